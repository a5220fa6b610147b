using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Contract;

/// <summary>
/// The OpenAPI document is a contract: the served one is the committed <c>docs/openapi.json</c> (from which the
/// generated-client tests build their client), and spectral finds nothing in it with the rules of
/// <c>.spectral.yaml</c> (its recommended OpenAPI rules and Truust's own).
/// </summary>
public sealed class OpenApiDocumentTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    public const string Regenerate =
        "TRUUST_UPDATE_OPENAPI=1 dotnet test tests/Truust.Api.Tests --filter FullyQualifiedName~OpenApiDocumentTests";

    [Fact]
    public async Task The_served_document_is_the_committed_one()
    {
        var served = Normalise(await factory.AnonymousClient().GetStringAsync("/swagger/v1/swagger.json"));
        var path = RepositoryFiles.Path("docs/openapi.json");
        if (Environment.GetEnvironmentVariable("TRUUST_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        Assert.True(
            committed == served,
            $"docs/openapi.json differs from the document the API serves. If the change is intended, run: {Regenerate}"
        );
    }

    [Fact]
    public void Spectral_finds_nothing_in_the_committed_document()
    {
        var spectral = SpectralInstall.Ensure();
        var (exit, output) = SpectralInstall.Run(
            spectral,
            $"lint {RepositoryFiles.Path("docs/openapi.json")} --ruleset {RepositoryFiles.Path(".spectral.yaml")} "
                + "--format text --fail-severity hint"
        );
        Assert.True(exit == 0, $"spectral lint (fails on any result, warnings and hints included):\n{output}");
        Assert.Contains("No results", output);
    }

    [Fact]
    public void Spectral_reports_an_error_documented_as_plain_json()
    {
        // The rules bite: the committed document with one error response turned into application/json fails.
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("docs/openapi.json")))!;
        document["paths"]!["/v1/orders/{id}"]!["get"]!["responses"]!["404"]!["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
        };
        var broken = Path.Combine(Path.GetTempPath(), $"truust-openapi-{Guid.NewGuid():N}.json");
        File.WriteAllText(broken, document.ToJsonString());
        try
        {
            var (exit, output) = SpectralInstall.Run(
                SpectralInstall.Ensure(),
                $"lint {broken} --ruleset {RepositoryFiles.Path(".spectral.yaml")} --format text --fail-severity hint"
            );
            Assert.NotEqual(0, exit);
            Assert.Contains("truust-errors-problem-json", output);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    /// <summary>Indented, with a final newline: the committed file is readable and diffs line by line.</summary>
    public static string Normalise(string json) =>
        JsonNode
            .Parse(json)!
            .ToJsonString(
                new JsonSerializerOptions
                {
                    WriteIndented = true,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }
            ) + "\n";
}

/// <summary>Files of the repository, found from the test's output folder.</summary>
public static class RepositoryFiles
{
    public static readonly string Root = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Truust.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Truust.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// The spectral pinned in <c>tools/spectral/package-lock.json</c>, installed there with <c>npm ci</c> the first time
/// (needs Node.js and npm: <c>sudo apt-get install -y nodejs npm</c>; <c>.ci/run</c> installs them).
/// </summary>
public static class SpectralInstall
{
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Ensure() => Installed.Value;

    public static (int Exit, string Output) Run(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Install()
    {
        var folder = RepositoryFiles.Path("tools/spectral");
        var spectral = System.IO.Path.Combine(folder, "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral))
        {
            var (exit, output) = RunIn(folder, "npm", "ci --no-audit --no-fund --ignore-scripts");
            Assert.True(
                exit == 0,
                $"npm ci in tools/spectral failed (needs Node.js and npm: sudo apt-get install -y nodejs npm):\n"
                    + output
            );
        }

        return spectral;
    }

    private static (int, string) RunIn(string folder, string program, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program} not found ({e.Message})");
        }
    }
}
