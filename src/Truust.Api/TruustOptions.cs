namespace Truust.Api;

/// <summary>Truust's own settings (section <c>Truust</c>), read by the host, the pages and the services alike.</summary>
public sealed class TruustOptions
{
    /// <summary>The operator's key: manages platforms and may act on any order. Empty disables the operator.</summary>
    public string OperatorKey { get; set; } = string.Empty;

    /// <summary>
    /// Public base URL used in links (buyer_link, direct_link, ...). Empty: the first address Truust listens on
    /// (<c>--urls</c> or <c>ASPNETCORE_URLS</c>, a wildcard host read as localhost), else http://localhost:5080.
    /// </summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    public bool MigrateOnStartup { get; set; } = true;

    public bool SeedDemo { get; set; }

    public string DemoApiKey { get; set; } = "sk_test_demo_truust_00000000000000000000";

    public const string DefaultBaseUrl = "http://localhost:5080";

    /// <summary>The base URL links use when none is configured: the first of the <c>urls</c> Truust binds.</summary>
    public static string BaseUrlFrom(string? urls)
    {
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (first.Length == 0)
        {
            return DefaultBaseUrl;
        }

        var url = first[0].TrimEnd('/');
        foreach (var wildcard in WildcardHosts)
        {
            url = url.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return url;
    }

    /// <summary>Whether <paramref name="url"/> binds every address (http://+:8080, http://[::]:8080): no address
    /// to open.</summary>
    public static bool IsWildcard(string url) =>
        WildcardHosts.Any(wildcard => url.Contains(wildcard, StringComparison.Ordinal));

    private static readonly string[] WildcardHosts = ["://+", "://*", "://0.0.0.0", "://[::]"];
}
