using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Truust.Api.Platforms;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>A platform created for a test, with a client that sends its API key.</summary>
public sealed record TestPlatform(string Id, string Name, string ApiKeyId, string Secret, HttpClient Client);

/// <summary>
/// The API in memory, on a fresh database of its own (one per test class: use it as an
/// <c>IClassFixture&lt;TruustApiFactory&gt;</c>), with a known operator key and a clock the tests move by hand.
/// Subclasses that need more (a different gateway, another setting) override <see cref="ConfigureWebHost"/> and
/// call the base first.
/// </summary>
public class TruustApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorKey = "sk_operator_test_7f3c1e9a0b5d4c2e8f6a1b3d5c7e9f0a";

    private static readonly Lock StartGate = new();
    private string? _connectionString;

    /// <summary>The application's only clock. Starts at the real current time; tests call Advance/SetUtcNow.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>
    /// The connection string of this factory's own database, with the pool settings the API adds to it: the tests'
    /// own connections then share the API's pool instead of keeping a second one open (the cluster's connections are
    /// shared by every test class running in parallel).
    /// </summary>
    public string ConnectionString =>
        Truust.Api.Persistence.DatabaseConnection.Tuned(
            _connectionString
                ?? throw new InvalidOperationException("The factory has not been initialised by xunit yet.")
        );

    public string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    public async Task InitializeAsync()
    {
        var server = await TestDatabaseServer.GetAsync();
        _connectionString = await server.CreateDatabaseAsync();
        // Start the host here, so that a start-up failure names the fixture instead of the first test.
        _ = Services;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            await (await TestDatabaseServer.GetAsync()).ReleaseDatabaseAsync(_connectionString);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Truust", ConnectionString);
        builder.UseSetting("Truust:OperatorKey", OperatorKey);
        builder.UseSetting("Truust:SeedDemo", "false");
        // The template database was migrated once for the whole run.
        builder.UseSetting("Truust:MigrateOnStartup", "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Program.cs swaps Serilog's static bootstrap logger, and a host freezes whichever one is current when it
        // starts; two hosts starting at once could freeze the same logger twice and fail. Start one at a time.
        lock (StartGate)
        {
            return base.CreateHost(builder);
        }
    }

    /// <summary>A client without credentials. Every answer is checked against docs/openapi.json
    /// (<see cref="ContractCheck"/>).</summary>
    public HttpClient AnonymousClient() =>
        CreateDefaultClient(
            new Uri("http://localhost"),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(),
            new ContractCheck()
        );

    /// <summary>A client that sends <c>Authorization: Bearer <paramref name="key"/></c>.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A client with the operator key (platform management, acting on any platform).</summary>
    public HttpClient OperatorClient() => ClientWithKey(OperatorKey);

    /// <summary>Creates a platform through the operator API and returns a client with its new API key.</summary>
    public async Task<HttpClient> CreatePlatformAsync(
        string? name = null,
        long feePercentBp = 0,
        long feeFixedMinor = 0
    ) => (await CreateTestPlatformAsync(name, feePercentBp, feeFixedMinor)).Client;

    /// <summary>Like <see cref="CreatePlatformAsync"/>, also giving the platform and key ids and the secret.</summary>
    public async Task<TestPlatform> CreateTestPlatformAsync(
        string? name = null,
        long feePercentBp = 0,
        long feeFixedMinor = 0
    )
    {
        name ??= $"Test platform {Guid.NewGuid():N}"[..24];
        using var operatorClient = OperatorClient();
        var response = await operatorClient.PostJsonAsync(
            "/v1/platforms",
            new
            {
                name,
                fee_percent_bp = feePercentBp,
                fee_fixed = feeFixedMinor,
            }
        );
        var created = await response.ReadAsync<CreatedPlatformResponse>(HttpStatusCode.Created);
        var secret =
            created.ApiKey.Secret ?? throw new InvalidOperationException("The new key came without its secret.");
        return new TestPlatform(
            created.Platform.Id,
            created.Platform.Name,
            created.ApiKey.Id,
            secret,
            ClientWithKey(secret)
        );
    }

    /// <summary>An open connection to this factory's database, for direct SQL in assertions.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The number of rows in <paramref name="table"/> (a table name, never user input).</summary>
    public async Task<long> CountAsync(string table, string where = "true")
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Quoted(table)} WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A table name, schema-qualified or not (<c>simulator.card_charges</c>), quoted part by part.</summary>
    private static string Quoted(string table) => string.Join('.', table.Split('.').Select(part => $"\"{part}\""));

    /// <summary>Every table's row count and content hash; compare two to prove a request changed nothing.</summary>
    public Task<DatabaseSnapshot> SnapshotAsync() => DatabaseSnapshot.TakeAsync(ConnectionString);

    /// <summary>Runs <paramref name="request"/> and asserts that no row of any table was added, removed or changed.
    /// </summary>
    public async Task<T> AssertUnchangedAsync<T>(Func<Task<T>> request)
    {
        var before = await SnapshotAsync();
        var result = await request();
        (await SnapshotAsync()).AssertSameAs(before);
        return result;
    }
}
