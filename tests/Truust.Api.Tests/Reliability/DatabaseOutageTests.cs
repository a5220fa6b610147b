using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Serilog.Core;
using Serilog.Events;
using Truust.Api.Persistence;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// When PostgreSQL is down, restarting or refusing connections, a caller hears "try again shortly" (503
/// service_unavailable with Retry-After), the log gets one line per failed request rather than a stack trace, the
/// liveness probe keeps answering without touching the database, and the service recovers by itself.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.OutageFactory factory)
    : IClassFixture<DatabaseOutageTests.OutageFactory>
{
    /// <summary>No workers (their rounds would fail too and add their own lines), every log event kept.</summary>
    public sealed class OutageFactory : TruustApiFactory
    {
        public CapturingSink Sink { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workers:Enabled", "false");
            builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Sink));
        }
    }

    public sealed class CapturingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    [Fact]
    public async Task While_the_database_refuses_connections_requests_are_503_with_retry_after_and_then_recover()
    {
        var platform = await factory.CreateTestPlatformAsync();
        Assert.Equal(HttpStatusCode.OK, (await platform.Client.GetAsync("/v1/customers")).StatusCode);
        var logged = factory.Sink.Events.Count;

        await AllowConnectionsAsync(false);
        var failed = 0;
        try
        {
            for (var i = 0; i < 4; i++)
            {
                foreach (
                    var request in new Func<Task<HttpResponseMessage>>[]
                    {
                        () => platform.Client.GetAsync("/v1/customers"),
                        () =>
                            platform.Client.PostJsonAsync(
                                "/v1/customers",
                                new { name = "Ada", email = "ada@example.com" }
                            ),
                    }
                )
                {
                    var response = await request();
                    await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
                    Assert.True(
                        response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1),
                        $"Retry-After was '{response.Headers.RetryAfter}'"
                    );
                    failed++;
                }
            }

            using var probe = factory.AnonymousClient();
            probe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Secret);
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
            // Readiness does ask the database, and says it is not ready: a failure, logged once like the others.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/health/ready")).StatusCode);
            failed++;
        }
        finally
        {
            await AllowConnectionsAsync(true);
        }

        var lines = factory
            .Sink.Events.Skip(logged)
            .Where(e => e.Level >= LogEventLevel.Warning && !e.MessageTemplate.Text.StartsWith("HTTP "))
            .ToList();
        Assert.All(lines, e => Assert.Null(e.Exception));
        Assert.True(
            lines.Count == failed,
            $"{failed} failures, {lines.Count} lines:\n" + string.Join('\n', lines.Select(e => e.RenderMessage()))
        );

        // The pool drops the connections PostgreSQL killed and opens new ones: no restart, at most a few more 503s.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await platform.Client.GetAsync("/v1/customers");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.True(DateTime.UtcNow < deadline, "The API did not recover within 10 s of the database returning.");
            await Task.Delay(100);
        }

        await platform.Client.CreateCustomerAsync("Ada Lovelace");
        Assert.Equal(HttpStatusCode.OK, (await platform.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_database_that_cannot_write_yet_answers_503_like_a_standby_being_promoted()
    {
        var platform = await factory.CreateTestPlatformAsync();
        var server = await TestDatabaseServer.GetAsync();
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();

        async Task ReadOnlyAsync(bool readOnly)
        {
            // New sessions start read-only, as every session on a server in recovery does; open ones are dropped.
            await using var alter = new NpgsqlCommand(
                $"ALTER DATABASE \"{factory.DatabaseName}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}",
                admin
            );
            await alter.ExecuteNonQueryAsync();
            NpgsqlConnection.ClearAllPools();
        }

        await ReadOnlyAsync(true);
        try
        {
            var response = await platform.Client.PostJsonAsync(
                "/v1/customers",
                new { name = "Ada", email = "ada@example.com" }
            );
            await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            await ReadOnlyAsync(false);
        }

        var created = await platform.Client.PostJsonAsync(
            "/v1/customers",
            new { name = "Ada", email = "ada@example.com" }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>
    /// Closes the factory's database to new connections and kills the open ones (what a restart or a failover does
    /// to the API), or opens it again.
    /// </summary>
    private async Task AllowConnectionsAsync(bool allowed)
    {
        var server = await TestDatabaseServer.GetAsync();
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        var name = factory.DatabaseName;
        await using (
            var alter = new NpgsqlCommand(
                $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}",
                connection
            )
        )
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allowed)
        {
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name",
                connection
            );
            kill.Parameters.AddWithValue("name", name);
            await kill.ExecuteScalarAsync();
        }
    }
}
