using System.Text.RegularExpressions;

namespace Truust.Domain.Tests.Architecture;

/// <summary>
/// Reads the sources and fails when a folder imports against the intended direction: features → Persistence →
/// Domain, never back. The compiler cannot see this (one assembly), so without this test the folders would slowly
/// grow into each other again, as they had before the renovation (docs/decisions/0005-feature-folders.md).
/// </summary>
public partial class LayeringTests
{
    /// <summary>The folders of Truust.Api that are infrastructure, from the bottom up, and what each may import.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Truust.Api.Persistence"] = [],
        ["Truust.Api.Telemetry"] = ["Truust.Api.Persistence"],
        ["Truust.Api.Workers"] = ["Truust.Api.Persistence"],
        ["Truust.Api.Gateways"] = ["Truust.Api.Persistence"],
        ["Truust.Api.Http"] = ["Truust.Api.Persistence", "Truust.Api.Workers"],
    };

    /// <summary>The feature folders. They may import infrastructure and each other, but never the pages.</summary>
    private static readonly string[] Features =
    [
        "Truust.Api.Orders",
        "Truust.Api.Payins",
        "Truust.Api.Payouts",
        "Truust.Api.Refunds",
        "Truust.Api.Wallets",
        "Truust.Api.Campaigns",
        "Truust.Api.Webhooks",
        "Truust.Api.Customers",
        "Truust.Api.Platforms",
        "Truust.Api.Sandbox",
        "Truust.Api.Ledger",
        "Truust.Api.Disputes",
        "Truust.Api.Reports",
    ];

    [Fact]
    public void The_domain_imports_nothing_of_the_api_and_no_package()
    {
        var offenders = SourcesOf("src/Truust.Domain")
            .SelectMany(file => Imports(file).Select(import => (file.Path, import)))
            .Where(x => !x.import.StartsWith("Truust.Domain", StringComparison.Ordinal))
            .Where(x => !x.import.StartsWith("System", StringComparison.Ordinal))
            .Select(x => $"{x.Path} imports {x.import}")
            .ToList();
        Assert.Empty(offenders);

        var project = File.ReadAllText(Path.Combine(Repository.Root, "src/Truust.Domain/Truust.Domain.csproj"));
        Assert.DoesNotContain("PackageReference", project);
        Assert.DoesNotContain("ProjectReference", project);
    }

    [Fact]
    public void Infrastructure_folders_import_only_what_lies_below_them()
    {
        var offenders = new List<string>();
        foreach (var file in SourcesOf("src/Truust.Api"))
        {
            var layer = Allowed.Keys.FirstOrDefault(l => IsIn(file.Namespace, l));
            if (layer is null)
            {
                continue;
            }

            foreach (var import in Imports(file).Where(i => i.StartsWith("Truust.Api", StringComparison.Ordinal)))
            {
                if (!IsIn(import, layer) && !Allowed[layer].Any(below => IsIn(import, below)))
                {
                    offenders.Add($"{file.Path} ({layer}) imports {import}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Features_never_import_the_pages_and_payins_know_neither_orders_nor_campaigns()
    {
        var offenders = new List<string>();
        foreach (var file in SourcesOf("src/Truust.Api"))
        {
            if (!Features.Any(f => IsIn(file.Namespace, f)))
            {
                continue;
            }

            foreach (var import in Imports(file))
            {
                if (IsIn(import, "Truust.Api.Pages"))
                {
                    offenders.Add($"{file.Path} imports {import}");
                }

                if (
                    IsIn(file.Namespace, "Truust.Api.Payins")
                    && (IsIn(import, "Truust.Api.Orders") || IsIn(import, "Truust.Api.Campaigns"))
                )
                {
                    // What a payin funds is one interface with an implementation in each target's own folder.
                    offenders.Add($"{file.Path} imports {import}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_source_file_declares_the_namespace_of_its_folder()
    {
        var offenders = SourcesOf("src")
            .Where(f => f.Namespace.Length > 0 && f.Namespace != f.ExpectedNamespace)
            .Select(f => $"{f.Path} declares {f.Namespace}, its folder says {f.ExpectedNamespace}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_rules_catch_an_import_against_the_direction()
    {
        // The negative space: the same reading of a file that imports upwards is an offence.
        var file = new SourceFile(
            "src/Truust.Api/Persistence/Example.cs",
            "Truust.Api.Persistence",
            "Truust.Api.Persistence",
            "using Truust.Api.Orders;\nnamespace Truust.Api.Persistence;\n"
        );
        var import = Assert.Single(Imports(file));
        Assert.Equal("Truust.Api.Orders", import);
        Assert.DoesNotContain(Allowed["Truust.Api.Persistence"], below => IsIn(import, below));
        Assert.DoesNotContain(Allowed["Truust.Api.Persistence"], below => IsIn("Truust.Api.Workers", below));
        Assert.False(IsIn("Truust.Api.OrdersExtra", "Truust.Api.Orders"));
    }

    private static bool IsIn(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    private static IEnumerable<string> Imports(SourceFile file) =>
        UsingPattern().Matches(file.Text).Select(m => m.Groups["ns"].Value);

    private static IEnumerable<SourceFile> SourcesOf(string folder)
    {
        var root = Path.Combine(Repository.Root, folder);
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
            if (relative.Contains("/obj/") || relative.Contains("/bin/") || relative.Contains("/Migrations/"))
            {
                continue;
            }

            var text = File.ReadAllText(path);
            var declared = NamespacePattern().Match(text) is { Success: true } m ? m.Groups["ns"].Value : "";
            var directory = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            var expected = directory["src/".Length..].Replace('/', '.');
            yield return new SourceFile(relative, declared, expected, text);
        }
    }

    private sealed record SourceFile(string Path, string Namespace, string ExpectedNamespace, string Text);

    [GeneratedRegex(
        @"^\s*(?:global\s+)?using\s+(?:static\s+)?(?<ns>Truust[\w.]*|System[\w.]*|[\w.]+)\s*;",
        RegexOptions.Multiline
    )]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();
}
