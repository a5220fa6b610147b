using System.Diagnostics;
using DotNet.Testcontainers.Containers;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Persistence;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run, chosen once, in this order:
/// <list type="number">
/// <item><c>TRUUST_TEST_DATABASE</c>: a connection string to a server where the tests may create databases
/// (when it is set and does not work the run fails: an explicit choice never silently falls back);</item>
/// <item>Testcontainers, when a Docker engine answers and the image (<c>TRUUST_TEST_PG_IMAGE</c>, default
/// <c>postgres:16-alpine</c>) starts within <c>TRUUST_TEST_DOCKER_TIMEOUT_SECONDS</c> (default 30);</item>
/// <item>a throwaway cluster from the machine's PostgreSQL binaries (<see cref="LocalPostgres"/>).</item>
/// </list>
/// A template database is migrated once with the real EF Core migrations; every test class then gets a fresh copy
/// of it (<c>CREATE DATABASE … TEMPLATE …</c>, 0.03–0.3 s), so classes never see each other's rows and run in
/// parallel. xunit 2 has no assembly fixture, hence the static lazy singleton; the server is stopped when the test
/// process exits.
/// </summary>
public sealed class TestDatabaseServer
{
    public const string DatabaseVariable = "TRUUST_TEST_DATABASE";
    public const string ImageVariable = "TRUUST_TEST_PG_IMAGE";
    public const string DockerTimeoutVariable = "TRUUST_TEST_DOCKER_TIMEOUT_SECONDS";
    public const string DefaultImage = "postgres:16-alpine";

    private static readonly Lazy<Task<TestDatabaseServer>> Instance = new(
        StartAsync,
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    // Unique per run, also across machines sharing a configured server: pids alone repeat.
    private static readonly string RunId = $"{Environment.ProcessId}_{Random.Shared.Next(100_000, 999_999)}";
    private static int _databaseCounter;

    private readonly List<string> _createdDatabases = [];
    private readonly Func<Task> _stopAsync;
    private readonly bool _dropsDatabases;

    private TestDatabaseServer(
        string source,
        string adminConnectionString,
        string templateName,
        bool dropsDatabases,
        Func<Task> stopAsync
    )
    {
        Source = source;
        _dropsDatabases = dropsDatabases;
        AdminConnectionString = adminConnectionString;
        TemplateName = templateName;
        _stopAsync = stopAsync;
    }

    /// <summary>Which server the run uses, for messages: TRUUST_TEST_DATABASE, Testcontainers or a local one.</summary>
    public string Source { get; }

    /// <summary>A connection to the server's maintenance database (<c>postgres</c>), without pooling.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The migrated database every test database is copied from.</summary>
    public string TemplateName { get; }

    /// <summary>The server of this test run, started (and the template migrated) on first use.</summary>
    public static Task<TestDatabaseServer> GetAsync() => Instance.Value;

    /// <summary>Creates a fresh, fully migrated database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"truust_test_{RunId}_{Interlocked.Increment(ref _databaseCounter)}";
        // The template has no open connection (it was migrated without pooling), so copies of it can run at once.
        await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\"");
        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 100,
            // Many test classes hold a factory at once and the cluster's connections are shared by all of them: a
            // connection idle for two seconds is closed instead of kept for the default five minutes.
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    /// <summary>
    /// Done with a database from <see cref="CreateDatabaseAsync"/>: its pooled connections are closed, and on a
    /// configured server, which outlives the run, it is dropped. A server started for the run dies with it.
    /// </summary>
    public async Task ReleaseDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        if (!_dropsDatabases)
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        lock (_createdDatabases)
        {
            _createdDatabases.Remove(name);
        }
    }

    private static async Task<TestDatabaseServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(DatabaseVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return await UseConfiguredServerAsync(configured);
        }

        var attempts = new List<string>();
        var container = await TryStartContainerAsync(attempts);
        if (container is not null)
        {
            return container;
        }

        var local = await TryStartLocalClusterAsync(attempts);
        if (local is not null)
        {
            return local;
        }

        throw new InvalidOperationException(
            "The API tests need PostgreSQL and found none. Tried:\n  - "
                + string.Join("\n  - ", attempts)
                + "\n"
                + $"Fix one of them: set {DatabaseVariable} to a connection string of a server where the tests may create "
                + "databases (e.g. 'Host=localhost;Username=postgres;Password=...'), start Docker with the image "
                + $"{DefaultImage} available (or name another in {ImageVariable}), or install PostgreSQL locally. "
                + LocalPostgres.InstallHint
        );
    }

    private static async Task<TestDatabaseServer> UseConfiguredServerAsync(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        // Several runs may share a configured server, so this run's databases carry its own suffix and are dropped
        // at exit; on a server started for this run the fixed name is simpler to find in psql.
        var template = $"truust_template_{RunId}";
        TestDatabaseServer? server = null;
        server = new TestDatabaseServer(
            DatabaseVariable,
            admin.ConnectionString,
            template,
            dropsDatabases: true,
            () => server!.DropOwnDatabasesAsync()
        );
        try
        {
            await server.CreateTemplateAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"{DatabaseVariable} is set, but its server could not be used to create and migrate a template "
                    + $"database: {e.Message}. Check the connection string and that its user may CREATE DATABASE.",
                e
            );
        }

        server.StopAtProcessExit();
        return server;
    }

    private static async Task<TestDatabaseServer?> TryStartContainerAsync(List<string> attempts)
    {
        var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } configured
            ? configured
            : DefaultImage;
        if (!await DockerAnswersAsync(attempts))
        {
            return null;
        }

        var timeoutSeconds =
            int.TryParse(Environment.GetEnvironmentVariable(DockerTimeoutVariable), out var t) && t > 0 ? t : 30;
        PostgreSqlContainer? container = null;
        try
        {
            container = new PostgreSqlBuilder(image)
                // Test databases are thrown away: durability buys nothing and costs time.
                .WithCommand(
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=1000"
                )
                .Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            await container.StartAsync(timeout.Token);
            var admin = new NpgsqlConnectionStringBuilder(container.GetConnectionString())
            {
                Database = "postgres",
                Pooling = false,
            };
            var started = container;
            // Testcontainers' resource reaper removes the container should the exit be cut short.
            var server = new TestDatabaseServer(
                $"Testcontainers ({image})",
                admin.ConnectionString,
                "truust_template",
                dropsDatabases: false,
                async () => await started.DisposeAsync()
            );
            await server.CreateTemplateAsync();
            server.StopAtProcessExit();
            return server;
        }
        catch (Exception e)
        {
            // Anything from the Docker client (no registry, no image, a slow daemon) means: try the next option.
            attempts.Add($"Testcontainers with image {image} did not start within {timeoutSeconds} s: {e.Message}");
            if (container is not null)
            {
                await DisposeQuietlyAsync(container);
            }

            return null;
        }
    }

    private static async Task<TestDatabaseServer?> TryStartLocalClusterAsync(List<string> attempts)
    {
        var runDirectory = LocalClusterDirectories.Create();
        try
        {
            var cluster = await LocalPostgres.StartAsync(Path.Combine(runDirectory, "data"), throwaway: true);
            var admin = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false };
            // Not cluster.DisposeAsync(): it waits for pg_ctl, and while the process exits .NET no longer reaps
            // children, so that wait never ends; and the test host is killed about 0.1 s after it starts exiting.
            // A signal stops the server in time; the folder is deleted in the background (or by the next run).
            var server = new TestDatabaseServer(
                $"local throwaway cluster ({cluster.DataDirectory})",
                admin.ConnectionString,
                "truust_template",
                dropsDatabases: false,
                () =>
                {
                    LocalClusterDirectories.StopPostmaster(cluster.DataDirectory);
                    LocalClusterDirectories.DeleteInBackground(runDirectory);
                    return Task.CompletedTask;
                }
            );
            // Registered before migrating, so a failed migration does not leave a server running.
            server.StopAtProcessExit();
            await server.CreateTemplateAsync();
            return server;
        }
        catch (LocalPostgresUnavailableException e)
        {
            attempts.Add($"a local throwaway cluster: {e.Message}");
            LocalClusterDirectories.Delete(runDirectory);
            return null;
        }
    }

    /// <summary>
    /// Whether a Docker engine answers within a few seconds. Testcontainers alone would wait much longer for an
    /// engine that is not there, and every test run on a machine without Docker would pay for it.
    /// </summary>
    private static async Task<bool> DockerAnswersAsync(List<string> attempts)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var home = Environment.GetEnvironmentVariable("HOME") ?? string.Empty;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") ?? string.Empty;
        var sockets = new[]
        {
            "/var/run/docker.sock",
            Path.Combine(home, ".docker", "run", "docker.sock"),
            Path.Combine(runtime, "docker.sock"),
        };
        if (string.IsNullOrEmpty(dockerHost) && !OperatingSystem.IsWindows() && !sockets.Any(File.Exists))
        {
            attempts.Add("Docker: no engine (DOCKER_HOST is not set and there is no docker.sock)");
            return false;
        }

        try
        {
            var (code, output) = await ProcessRunner.RunAsync(
                "docker",
                ["info", "--format", "{{.ServerVersion}}"],
                TimeSpan.FromSeconds(5)
            );
            if (code == 0)
            {
                return true;
            }

            attempts.Add($"Docker: 'docker info' failed: {output.Trim()}");
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No docker CLI to ask, but an engine endpoint exists: let Testcontainers try, within its time limit.
            return true;
        }
        catch (TimeoutException e)
        {
            attempts.Add($"Docker: the engine did not answer 'docker info': {e.Message}");
            return false;
        }
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS \"{TemplateName}\"");
        await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE \"{TemplateName}\"");
        // No pooling: a connection left open on the template would make every copy of it fail.
        var template = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = TemplateName,
            Pooling = false,
        };
        var options = new DbContextOptionsBuilder<TruustDbContext>()
            .UseNpgsql(template.ConnectionString)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var db = new TruustDbContext(options);
        // The real migrations, never EnsureCreated: the tests must run against the schema production gets.
        await db.Database.MigrateAsync();
        var simulatorOptions = new DbContextOptionsBuilder<SimulatorDbContext>();
        SimulatorDbContext.UseDatabase(simulatorOptions, template.ConnectionString);
        await using var simulator = new SimulatorDbContext(simulatorOptions.Options);
        await simulator.Database.MigrateAsync();
        var keysOptions = new DbContextOptionsBuilder<SharedKeysDbContext>();
        SharedKeysDbContext.UseDatabase(keysOptions, template.ConnectionString);
        await using var keys = new SharedKeysDbContext(keysOptions.Options);
        await keys.Database.MigrateAsync();
    }

    private void StopAtProcessExit() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                _stopAsync().Wait(TimeSpan.FromSeconds(5));
            }
            catch (Exception e)
            {
                // The process is ending either way; say what was left behind rather than crash the exit.
                Console.Error.WriteLine($"Could not stop the test database server ({Source}): {e.Message}");
            }
        };

    /// <summary>
    /// At exit on a configured server: the template first, since the test runner allows the exit about 0.1 s and
    /// each test class has dropped its own database already; whatever is still left is named truust_test_&lt;run&gt;_*.
    /// </summary>
    private async Task DropOwnDatabasesAsync()
    {
        string[] names;
        lock (_createdDatabases)
        {
            names = [TemplateName, .. _createdDatabases];
        }

        foreach (var name in names)
        {
            await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task DisposeQuietlyAsync(IContainer container)
    {
        try
        {
            await container.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // The container never became usable; failing to remove it must not hide the real reason.
        }
    }
}

/// <summary>Runs a command with a time limit, killing it when the limit passes.</summary>
internal static class ProcessRunner
{
    public static async Task<(int Code, string Output)> RunAsync(
        string fileName,
        IReadOnlyList<string> args,
        TimeSpan timeout
    )
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds} s."
            );
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
