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
    private readonly SemaphoreSlim _quietGate = new(1, 1);
    private TruustKestrelFactory? _quietServer;
    private string? _quietDatabase;
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
                $"The browser tests drive Chromium at {ChromiumPath}; install it with 'apt-get install chromium'."
            );
        }

        // Two cores run the server, PostgreSQL and Chromium at once: give assertions room beyond Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _database = await BrowserTestDatabase.StartAsync();
        _server = new TruustKestrelFactory(_database.ConnectionString);
        _server.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            }
        );
    }

    /// <summary>A new platform with its own API key, created through the operator API (of the main server, or of
    /// the server at <paramref name="baseUrl"/>).</summary>
    public async Task<PlatformApi> NewPlatformAsync(string? baseUrl = null, string name = "Bike Market")
    {
        baseUrl ??= BaseUrl;
        using var operatorApi = OperatorApi(baseUrl);
        var created = await operatorApi.PostAsync(
            "/v1/platforms",
            new
            {
                name,
                fee_percent_bp = 0,
                fee_fixed = 0,
            },
            HttpStatusCode.Created
        );
        var secret = created.GetProperty("api_key").Str("secret");
        return new PlatformApi(PlatformApi.Client(baseUrl, secret), created.GetProperty("platform").Str("id"), secret)
        {
            KeyId = created.GetProperty("api_key").Str("id"),
        };
    }

    /// <summary>The operator's view of the API (platform management, any platform's orders).</summary>
    public PlatformApi OperatorApi(string? baseUrl = null) =>
        new(
            PlatformApi.Client(baseUrl ?? BaseUrl, TruustKestrelFactory.OperatorKey),
            string.Empty,
            TruustKestrelFactory.OperatorKey
        );

    /// <summary>
    /// A second Truust that runs no background work, on a database of its own (the main server's workers would
    /// release its orders otherwise): an order validated there stays PENDING_RELEASE, so the operator can block it.
    /// Started on first use.
    /// </summary>
    public async Task<string> QuietServerUrlAsync()
    {
        await _quietGate.WaitAsync();
        try
        {
            if (_quietServer is null)
            {
                var database = await Database.CreateDatabaseAsync("truust_browser_quiet");
                _quietDatabase = database;
                _quietServer = new TruustKestrelFactory(
                    database,
                    new Dictionary<string, string> { ["Workers:Enabled"] = "false" }
                );
                _quietServer.StartServer();
            }

            return _quietServer.BaseUrl;
        }
        finally
        {
            _quietGate.Release();
        }
    }

    /// <summary>The quiet server's database (started by <see cref="QuietServerUrlAsync"/>).</summary>
    public string QuietConnectionString => _quietDatabase ?? throw NotStarted();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_quietServer is not null)
        {
            await _quietServer.DisposeAsync();
        }

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
