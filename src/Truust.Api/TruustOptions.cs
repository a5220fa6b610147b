namespace Truust.Api;

/// <summary>Truust's own settings (section <c>Truust</c>), read by the host, the pages and the services alike.</summary>
public sealed class TruustOptions
{
    /// <summary>The operator's key: manages platforms and may act on any order. Empty disables the operator.</summary>
    public string OperatorKey { get; set; } = string.Empty;

    /// <summary>Public base URL used in links (buyer_link, direct_link, ...).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    public bool MigrateOnStartup { get; set; } = true;

    public bool SeedDemo { get; set; }

    public string DemoApiKey { get; set; } = "sk_test_demo_truust_00000000000000000000";
}
