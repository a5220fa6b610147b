using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Domain.Platforms;

namespace Truust.Api.Persistence;

/// <summary>The connection string in use, decided once at start-up (configured, or the local cluster's).</summary>
public sealed class DatabaseConnection
{
    private string? _connectionString;

    /// <summary>
    /// The connection string, with Truust's pool settings added where the configured one does not say otherwise:
    /// <c>No Reset On Close</c> (a pooled connection is not reset with a <c>DISCARD ALL</c> round trip each time EF
    /// Core closes it: Truust keeps no session state, only transaction-scoped settings) and <c>Max Auto Prepare</c>
    /// (statements run often are prepared on each physical connection once, then only bound and executed).
    /// </summary>
    public string? ConnectionString
    {
        get => _connectionString;
        set => _connectionString = value is null ? null : Tuned(value);
    }

    public static string Tuned(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    }

    public string Required =>
        ConnectionString ?? throw new InvalidOperationException("The database connection has not been prepared yet.");
}

/// <summary>
/// Start-up: find or start the database, apply migrations, seed the demo platform. With no connection string
/// configured, a local PostgreSQL cluster in the git-ignored <c>.data/</c> folder is used, so the first run
/// needs nothing but the machine's PostgreSQL binaries.
/// </summary>
public static class DatabaseStartup
{
    public const string DemoPlatformName = "Demo platform";

    /// <summary>The first argument that makes the process migrate the database and exit.</summary>
    public const string MigrateCommand = "migrate";

    /// <summary>
    /// Creates the Data Protection key if the shared ring has none, so instances started after the one-shot migration
    /// find one key instead of each creating its own at its first request.
    /// </summary>
    public static void EnsureSharedKey(WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IKeyManager>();
        if (keys.GetAllKeys().Count == 0)
        {
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            keys.CreateNewKey(now, now.AddDays(90));
        }
    }

    public static async Task<LocalPostgres?> PrepareAsync(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Truust.Database");
        var connection = app.Services.GetRequiredService<DatabaseConnection>();
        var options = app.Services.GetRequiredService<IOptions<TruustOptions>>().Value;
        LocalPostgres? local = null;

        var configured = app.Configuration.GetConnectionString("Truust");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            connection.ConnectionString = configured;
        }
        else
        {
            var dataDirectory = app.Configuration["Truust:DataDirectory"] is { Length: > 0 } dir
                ? dir
                : Path.Combine(RepositoryRoot(app.Environment.ContentRootPath), ".data", "postgres");
            local = await LocalPostgres.StartAsync(
                dataDirectory,
                throwaway: false,
                m => log.LogInformation("{Message}", m)
            );
            await local.EnsureDatabaseAsync("truust");
            connection.ConnectionString = local.ConnectionString("truust");
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TruustDbContext>();
        if (options.MigrateOnStartup)
        {
            foreach (var migrated in app.Services.GetServices<MigratedContext>())
            {
                await (
                    (DbContext)scope.ServiceProvider.GetRequiredService(migrated.ContextType)
                ).Database.MigrateAsync();
            }
        }

        if (options.SeedDemo)
        {
            await SeedDemoAsync(db, options.DemoApiKey, app.Services.GetRequiredService<TimeProvider>());
        }

        return local;
    }

    private static async Task SeedDemoAsync(TruustDbContext db, string demoKey, TimeProvider clock)
    {
        var hash = ApiKey.HashOf(demoKey);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash))
        {
            return;
        }

        var platform = new Platform(DemoPlatformName, clock.GetUtcNow());
        db.Platforms.Add(platform);
        db.ApiKeys.Add(ApiKey.FromKnownSecret(platform.Id, demoKey, clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    /// <summary>The folder holding Truust.sln above <paramref name="start"/>, or <paramref name="start"/>
    /// itself.</summary>
    private static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Truust.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }
}
