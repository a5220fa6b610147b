using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Npgsql;

namespace Truust.Api.Persistence;

/// <summary>
/// A PostgreSQL cluster started from the machine's own server binaries, so that the service and its tests run
/// with no configuration and no Docker. It listens on 127.0.0.1 only, on a free port. initdb and postgres refuse
/// to run as root, so as root the cluster runs as the unprivileged <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string InstallHint =
        "No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found on this machine. Install them "
        + "(Debian/Ubuntu: 'sudo apt-get install -y postgresql'; macOS: 'brew install postgresql'), or point Truust at "
        + "an existing database with the connection string ConnectionStrings__Truust "
        + "(e.g. 'Host=localhost;Database=truust;Username=postgres;Password=...').";

    private readonly string _binDirectory;
    private readonly bool _runAsPostgresUser;
    private readonly bool _throwaway;
    private readonly bool _startedHere;

    private LocalPostgres(
        string binDirectory,
        string dataDirectory,
        int port,
        bool runAsPostgresUser,
        bool throwaway,
        bool startedHere
    )
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        _runAsPostgresUser = runAsPostgresUser;
        _throwaway = throwaway;
        _startedHere = startedHere;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = "postgres",
            Pooling = true,
            MaxPoolSize = 200,
        }.ConnectionString;

    /// <summary>The directory holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("TRUUST_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            // An explicit choice is never second-guessed: a wrong path is reported, not replaced by another install.
            return File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }

        // Debian keeps each major version's server binaries here; the newest wins.
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory
                .GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
    }

    /// <summary>
    /// Starts (creating it first when needed) the cluster in <paramref name="dataDirectory"/>, or attaches to it
    /// when it is already running. <paramref name="throwaway"/> clusters trade durability for speed and are
    /// deleted on dispose; kept clusters survive restarts of the service.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(
        string dataDirectory,
        bool throwaway,
        Action<string>? log = null,
        Func<string?>? findBinaries = null
    )
    {
        var bin = (findBinaries ?? FindBinDirectory)() ?? throw new LocalPostgresUnavailableException(InstallHint);
        var asPostgres = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);

        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory]);
            var (code, _) = await RunAsync(
                "runuser",
                ["-u", "postgres", "--", "test", "-w", dataDirectory],
                check: false
            );
            if (code != 0)
            {
                throw new LocalPostgresUnavailableException(
                    $"The 'postgres' user cannot write to {dataDirectory} (a parent folder is not open to it). "
                        + "Clone the repository somewhere other users can reach, set TRUUST_DATA_DIR to such a folder, "
                        + "or configure ConnectionStrings__Truust."
                );
            }
        }

        var cluster = new LocalPostgres(bin, dataDirectory, 0, asPostgres, throwaway, startedHere: false);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            log?.Invoke($"Creating a local PostgreSQL cluster in {dataDirectory}");
            var initArgs = new List<string>
            {
                "-D",
                dataDirectory,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            };
            if (throwaway)
            {
                initArgs.Add("--no-sync");
            }

            await cluster.PgAsync("initdb", initArgs);
        }

        var running = await cluster.RunningPortAsync();
        if (running is { } existingPort)
        {
            log?.Invoke($"Using the local PostgreSQL cluster already running on 127.0.0.1:{existingPort}");
            return new LocalPostgres(bin, dataDirectory, existingPort, asPostgres, throwaway, startedHere: false);
        }

        var port = FreePort();
        // A throwaway cluster serves a whole parallel test run: dozens of API hosts at once, each with its pool and its
        // read-cache listener (Persistence/ReadCaches.cs).
        var maxConnections = throwaway ? 1000 : 300;
        var options =
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections={maxConnections}";
        if (throwaway)
        {
            // Test databases are thrown away, so durability buys nothing there; these make them much faster.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        await cluster.PgAsync(
            "pg_ctl",
            [
                "start",
                "-D",
                dataDirectory,
                "-w",
                "-t",
                "60",
                "-l",
                Path.Combine(dataDirectory, "server.log"),
                "-o",
                options,
            ]
        );
        log?.Invoke($"Started a local PostgreSQL cluster on 127.0.0.1:{port} (data: {dataDirectory})");
        return new LocalPostgres(bin, dataDirectory, port, asPostgres, throwaway, startedHere: true);
    }

    /// <summary>Creates <paramref name="database"/> when it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Stops the cluster if this process started it; a throwaway cluster's folder is deleted too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_startedHere)
        {
            return;
        }

        await PgAsync(
            "pg_ctl",
            ["stop", "-D", DataDirectory, "-m", _throwaway ? "immediate" : "fast", "-w"],
            check: false
        );
        if (!_throwaway)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test run over it would not be.
        }
    }

    private async Task<int?> RunningPortAsync()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var (code, _) = await PgAsync("pg_ctl", ["status", "-D", DataDirectory], check: false);
        if (code != 0)
        {
            return null;
        }

        // The fourth line of postmaster.pid is the port the running server listens on.
        var lines = await File.ReadAllLinesAsync(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private Task<(int Code, string Output)> PgAsync(string tool, IReadOnlyList<string> args, bool check = true)
    {
        var exe = Path.Combine(_binDirectory, tool);
        return _runAsPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args], check)
            : RunAsync(exe, args, check);
    }

    private static async Task<(int Code, string Output)> RunAsync(
        string fileName,
        IReadOnlyList<string> args,
        bool check = true
    )
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = (await stdout) + (await stderr);
        if (check && process.ExitCode != 0)
        {
            throw new LocalPostgresUnavailableException(
                $"'{fileName} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {output.Trim()}"
            );
        }

        return (process.ExitCode, output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The local cluster could not be started; the message says what to install or configure.</summary>
public sealed class LocalPostgresUnavailableException(string message) : Exception(message);
