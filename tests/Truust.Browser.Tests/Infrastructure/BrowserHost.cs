using System.Net;
using Microsoft.Playwright;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>
/// One run's shared world: a throwaway PostgreSQL, Truust on Kestrel, and a headless Chromium driven by
/// Playwright. Started once for the collection; every test makes its own platform, so tests share nothing else.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    /// <summary>Debian's Chromium. Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private BrowserTestDatabase? _database;
    private TruustKestrelFactory? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl => Server.BaseUrl;

    public BrowserTestDatabase Database => _database ?? throw NotStarted();

    public IBrowser Browser => _browser ?? throw NotStarted();

    private TruustKestrelFactory Server => _server ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive Chromium at {ChromiumPath}; install it with 'apt-get install chromium'.");
        }

        // Two cores run the server, PostgreSQL and Chromium at once: give assertions room beyond Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _database = await BrowserTestDatabase.StartAsync();
        _server = new TruustKestrelFactory(_database.ConnectionString);
        _server.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A new platform with its own API key, created through the operator API.</summary>
    public async Task<PlatformApi> NewPlatformAsync()
    {
        using var operatorClient = PlatformApi.Client(BaseUrl, TruustKestrelFactory.OperatorKey);
        var operatorApi = new PlatformApi(operatorClient, string.Empty, TruustKestrelFactory.OperatorKey);
        var created = await operatorApi.PostAsync("/v1/platforms",
            new { name = "Bike Market", fee_percent_bp = 0, fee_fixed = 0 }, HttpStatusCode.Created);
        var secret = created.GetProperty("api_key").Str("secret");
        return new PlatformApi(PlatformApi.Client(BaseUrl, secret), created.GetProperty("platform").Str("id"), secret);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("The browser host has not been started by xunit.");
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    /// <summary>One collection: the tests share one server and one browser and run one after the other.</summary>
    public const string Name = "browser";
}
