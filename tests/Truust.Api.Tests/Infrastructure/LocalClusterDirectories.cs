using System.Runtime.InteropServices;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// Folders of the throwaway clusters the tests start:
/// <c>/dev/shm</c> or <c>$TMPDIR</c> <c>/truust-tests-&lt;user&gt;/run-&lt;pid&gt;-&lt;n&gt;/</c>, holding
/// <c>owner.pid</c> (the test process) and <c>data/</c> (the cluster). A test run that was killed cannot stop its
/// cluster at exit, so each run first stops and deletes the clusters of runs whose process is gone; without that,
/// every interrupted run would leave a postgres server running until the machine restarts.
/// </summary>
internal static class LocalClusterDirectories
{
    private const long MinimumMemoryFolderBytes = 2L * 1024 * 1024 * 1024;

    private static readonly string[] Roots =
    [
        Path.Combine("/dev/shm", $"truust-tests-{Environment.UserName}"),
        Path.Combine(Path.GetTempPath(), $"truust-tests-{Environment.UserName}"),
    ];

    public static string Create()
    {
        foreach (var root in Roots)
        {
            SweepAbandoned(root);
        }

        var name = $"run-{Environment.ProcessId}-{Random.Shared.Next(100_000, 999_999)}";
        var directory = Path.Combine(ChooseRoot(), name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString());
        return directory;
    }

    public static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover folder in the temp directory is harmless and the next run sweeps it.
        }
    }

    /// <summary>
    /// Deletes <paramref name="directory"/> from a detached shell, so that the deletion goes on after this process
    /// is gone (it is called at process exit, which the test runner cuts short).
    /// </summary>
    public static void DeleteInBackground(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Delete(directory);
            return;
        }

        try
        {
            // The inner '&' detaches rm from this process, so killing the test host does not kill it.
            using var shell = System.Diagnostics.Process.Start("sh", ["-c", "rm -rf -- \"$1\" &", "sh", directory]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Delete(directory);
        }
    }

    /// <summary>
    /// A memory-backed folder when the machine has a roomy one: there a template copy takes about 0.03 s instead of
    /// 0.3 s on a virtual disk, and every test's writes get faster too. Otherwise the temp folder.
    /// </summary>
    private static string ChooseRoot()
    {
        try
        {
            if (
                !OperatingSystem.IsWindows()
                && Directory.Exists("/dev/shm")
                && new DriveInfo("/dev/shm").AvailableFreeSpace >= MinimumMemoryFolderBytes
            )
            {
                return Roots[0];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not usable: the temp folder always is.
        }

        return Roots[1];
    }

    private static void SweepAbandoned(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(root, "run-*"))
        {
            try
            {
                var ownerFile = Path.Combine(directory, "owner.pid");
                if (
                    File.Exists(ownerFile)
                        ? int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) && IsRunning(owner)
                        // A run that is starting right now has made its folder but not yet written its pid.
                        : Directory.GetLastWriteTimeUtc(directory) > DateTime.UtcNow.AddMinutes(-10)
                )
                {
                    continue;
                }

                StopPostmaster(Path.Combine(directory, "data"));
                Delete(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: another run may be sweeping the same folder at this moment.
            }
        }
    }

    /// <summary>
    /// Stops the postgres serving <paramref name="dataDirectory"/> with an immediate shutdown (SIGQUIT) and waits
    /// until it is gone. Safe during process exit: it starts no child process.
    /// </summary>
    public static void StopPostmaster(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (
            !File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
            || !IsRunning(pid)
        )
        {
            return;
        }

        // Only a postgres serving this very folder: the pid may since have been reused by something else.
        var commandLine = $"/proc/{pid}/cmdline";
        if (
            Directory.Exists("/proc")
            && (
                !File.Exists(commandLine)
                || !File.ReadAllText(commandLine).Contains(dataDirectory, StringComparison.Ordinal)
            )
        )
        {
            return;
        }

        if (kill(pid, SignalQuit) != 0)
        {
            return;
        }

        // postgres deletes its pid file as the last step of shutting down; the process itself may linger as a
        // zombie until its parent reaps it, so its pid alone would say "running" for longer.
        for (var i = 0; i < 100 && File.Exists(pidFile) && IsRunning(pid); i++)
        {
            Thread.Sleep(50);
        }
    }

    private const int SignalQuit = 3;

    private static bool IsRunning(int pid) => kill(pid, 0) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
