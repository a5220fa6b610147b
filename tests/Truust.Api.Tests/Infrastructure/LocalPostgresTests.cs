using System.Diagnostics;
using Truust.Api.Persistence;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>The run command's database: what a newcomer sees when PostgreSQL is missing.</summary>
public sealed class LocalPostgresTests
{
    [Fact]
    public async Task Without_PostgreSQL_binaries_the_error_says_what_to_install_and_what_to_configure()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"truust-no-pg-{Guid.NewGuid():N}");
        var error = await Assert.ThrowsAsync<LocalPostgresUnavailableException>(() =>
            LocalPostgres.StartAsync(dir, throwaway: true, findBinaries: () => null)
        );

        Assert.Contains("apt-get install -y postgresql", error.Message);
        Assert.Contains("ConnectionStrings__Truust", error.Message);
        Assert.False(File.Exists(Path.Combine(dir, "PG_VERSION")), "Nothing may be initialised without binaries.");
    }

    [Fact]
    public async Task An_explicit_TRUUST_PG_BIN_that_is_wrong_is_reported_rather_than_replaced()
    {
        // Run in a child process: the variable must not leak into the clusters other tests start.
        var info = new ProcessStartInfo("dotnet", ["exec", typeof(LocalPostgres).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["TRUUST_PG_BIN"] = "/nonexistent/postgresql/bin";
        info.Environment["ConnectionStrings__Truust"] = string.Empty;
        info.Environment["Truust__DataDirectory"] = Path.Combine(
            Path.GetTempPath(),
            $"truust-no-pg-{Guid.NewGuid():N}"
        );
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.WorkingDirectory = Path.GetDirectoryName(typeof(LocalPostgres).Assembly.Location)!;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("apt-get install -y postgresql", await output + await errors);
    }
}
