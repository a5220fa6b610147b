using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// The API as a real child process (<c>dotnet Truust.Api.dll</c>) on 127.0.0.1 and a free port, for tests that must
/// kill it the way a machine dies: <see cref="Kill"/> is SIGKILL on Linux, so no shutdown code, <c>finally</c> or
/// flush runs. WebApplicationFactory cannot do this: its host shares the test process and always stops in order.
/// The process is killed at the latest when this object is disposed, and at test-process exit as a last resort.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;

    private static readonly Lock LiveGate = new();
    private static readonly HashSet<Process> Live = [];

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    static ApiProcess() =>
        // A test host that exits without disposing (a crash, a timeout) must not leave an API running.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (LiveGate)
            {
                foreach (var process in Live)
                {
                    KillQuietly(process);
                }
            }
        };

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Truust.Api.dll as built: the test project references the API, so the assembly of <see cref="Program"/> is the
    /// built API, next to the test binaries with its runtimeconfig.json; its own bin folder is the fallback.
    /// </summary>
    public static string ApiAssemblyPath { get; } = FindApiAssembly();

    /// <summary>
    /// Starts the API with <paramref name="settings"/> as environment variables (<c>Section__Key</c>) and waits
    /// until <c>/health/ready</c> answers 200. The address is chosen here; do not pass <c>ASPNETCORE_URLS</c>.
    /// </summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The content root is the working directory: appsettings.json sits next to the assembly.
            WorkingDirectory = Path.GetDirectoryName(ApiAssemblyPath)!,
        };
        info.ArgumentList.Add(ApiAssemblyPath);
        // Inherited host settings (a developer's shell, the test runner's) must not decide how the child runs.
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name == "DOTNET_ENVIRONMENT")
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var api = new ApiProcess(process, baseAddress);
        // Read both pipes continuously: a child whose pipe buffer fills blocks on its next log line.
        process.OutputDataReceived += (_, e) => api.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => api.Remember(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start dotnet {ApiAssemblyPath}.");
        }

        lock (LiveGate)
        {
            Live.Add(process);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilReadyAsync(timeout);
        }
        catch
        {
            api.Kill();
            throw;
        }

        return api;
    }

    /// <summary>SIGKILL to the API and anything it started, then waits until it is gone.</summary>
    public void Kill()
    {
        KillQuietly(_process);
        _process.WaitForExit(10_000);
        lock (LiveGate)
        {
            Live.Remove(_process);
        }
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a container or a deploy replaces an instance: the host shuts down in order.
    /// Returns once the process has exited, or throws after <paramref name="timeout"/>.
    /// </summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        const int SigTerm = 15;
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed.");
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        lock (LiveGate)
        {
            Live.Remove(_process);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>The last lines the API wrote, for failure messages.</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The API exited with code {_process.ExitCode} while starting. Its output:\n{RecentOutput()}"
                );
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The API was not ready within {timeout.TotalSeconds} s. Its output:\n{RecentOutput()}"
                );
            }

            await Task.Delay(50);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited, or never started.
        }
    }

    /// <summary>
    /// A port nobody listens on now. Another process could take it before the API binds it; then the start fails
    /// loudly (the API exits) rather than silently talking to something else.
    /// </summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindApiAssembly()
    {
        var referenced = typeof(Program).Assembly.Location;
        var directory = Path.GetDirectoryName(referenced)!;
        if (File.Exists(Path.Combine(directory, "Truust.Api.runtimeconfig.json")))
        {
            return referenced;
        }

        // Without its runtimeconfig.json next to it, `dotnet Truust.Api.dll` cannot start: use the API's own build.
        var configuration = new DirectoryInfo(directory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(
                dir.FullName,
                "src",
                "Truust.Api",
                "bin",
                configuration,
                "net10.0",
                "Truust.Api.dll"
            );
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Truust.Api.dll has no Truust.Api.runtimeconfig.json next to it ({referenced}) and no build was found "
                + "under src/Truust.Api/bin. Run `dotnet build` first."
        );
    }
}
