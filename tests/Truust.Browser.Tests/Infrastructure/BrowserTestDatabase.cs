using Npgsql;
using Truust.Api.Persistence;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>
/// The browser tests' PostgreSQL: a throwaway local cluster (started from the machine's PostgreSQL binaries,
/// deleted at the end) holding one database for the run. Deliberately small: it stands in for the shared test
/// database chooser of Truust.Api.Tests and is meant to be replaced by it.
/// </summary>
public sealed class BrowserTestDatabase : IAsyncDisposable
{
    private const string DatabaseName = "truust_browser";

    private readonly LocalPostgres _cluster;

    private BrowserTestDatabase(LocalPostgres cluster)
    {
        _cluster = cluster;
        ConnectionString = cluster.ConnectionString(DatabaseName);
    }

    public string ConnectionString { get; }

    public static async Task<BrowserTestDatabase> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"truust-browser-tests-{Environment.ProcessId}");
        var cluster = await LocalPostgres.StartAsync(directory, throwaway: true);
        await cluster.EnsureDatabaseAsync(DatabaseName);
        return new BrowserTestDatabase(cluster);
    }

    /// <summary>Another database in the same cluster, for a second server that must not share the first's data.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await _cluster.EnsureDatabaseAsync(name);
        return _cluster.ConnectionString(name);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
    }
}
