using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>A visit of the fake platform site the pages send people back to.</summary>
public sealed record PlatformVisit(string Url, string? Referer);

/// <summary>
/// Base of the browser scenarios. Each runs in a fresh browser context (no cookies shared between tests); the
/// platform's site (<see cref="ShopUrl"/>) is answered inside the browser, so a redirect back to the platform is
/// seen end to end with its headers. A failing scenario leaves a full-page screenshot in <c>screenshots/</c> next
/// to the test assembly. Any JavaScript error, Content-Security-Policy violation, failed asset or request to
/// another origin than Truust's (or the platform's, when it is sent back there) fails the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserHost host, ITestOutputHelper output)
{
    public const string ShopUrl = "https://shop.example";

    protected BrowserHost Host { get; } = host;

    protected List<PlatformVisit> PlatformVisits { get; } = [];

    /// <summary>A second Truust server the scenario drives (<see cref="BrowserHost.QuietServerUrlAsync"/>): its
    /// requests are Truust's own, not foreign.</summary>
    protected string? SecondServerUrl { get; set; }

    /// <summary>An expiry date two years ahead, as typed into the card form.</summary>
    protected static string FutureExpiry => $"12/{(DateTime.UtcNow.Year + 2) % 100:00}";

    protected static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected async Task InBrowserAsync(
        Func<IPage, Task> scenario,
        bool javaScript = true,
        [CallerMemberName] string name = ""
    )
    {
        await using var context = await Host.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1100, Height = 860 },
                Locale = "en-GB",
                JavaScriptEnabled = javaScript,
            }
        );
        context.SetDefaultTimeout(15_000);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = Host.BaseUrl });
        await context.RouteAsync(
            $"{ShopUrl}/**",
            async route =>
            {
                var headers = await route.Request.AllHeadersAsync();
                PlatformVisits.Add(new PlatformVisit(route.Request.Url, headers.GetValueOrDefault("referer")));
                await route.FulfillAsync(
                    new RouteFulfillOptions
                    {
                        Status = 200,
                        ContentType = "text/html",
                        Body =
                            "<!DOCTYPE html><html lang=\"en\"><title>Bike Market</title><h1>Back on Bike Market</h1></html>",
                    }
                );
            }
        );

        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // A page answered 410 or 422 on purpose is logged as a failed load; failed assets are caught below.
            if (
                message.Type == "error"
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
            )
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.Request += (_, request) =>
        {
            // Every asset comes from Truust itself: no CDN, no third-party script or font.
            if (
                !request.Url.StartsWith(Host.BaseUrl + "/", StringComparison.Ordinal)
                && !(SecondServerUrl is { } second && request.Url.StartsWith(second + "/", StringComparison.Ordinal))
                && !request.Url.StartsWith(ShopUrl + "/", StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal)
            )
            {
                problems.Add($"foreign request: {request.Url}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType != "document" && response.Status >= 400)
            {
                problems.Add($"asset: {response.Status} {response.Url}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        try
        {
            await scenario(page);
            Assert.True(problems.Count == 0, "The pages reported errors:\n" + string.Join('\n', problems));
        }
        catch
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            var path = Path.Combine(ScreenshotDirectory, $"{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            output.WriteLine($"Screenshot of the failing page ({page.Url}): {path}");
            foreach (var problem in problems)
            {
                output.WriteLine(problem);
            }

            throw;
        }
    }

    protected static ILocator Heading(IPage page, string name) =>
        page.GetByRole(AriaRole.Heading, new() { Name = name });

    /// <summary>Waits (up to ten seconds) for work the background workers do on their own, such as a release.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 seconds.");
            await Task.Delay(100);
        }
    }

    /// <summary>Clicks a form's submit button and returns the server's answer to the POST.</summary>
    protected static Task<IResponse> SubmitAsync(IPage page, string button) =>
        page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync(),
            response => response.Request.Method == "POST"
        );

    /// <summary>
    /// Saves a picture of the page for the documentation when <c>TRUUST_DOC_SCREENSHOTS</c> names a folder
    /// (docs/images); otherwise does nothing, so ordinary runs leave the working tree alone.
    /// </summary>
    protected static async Task DocumentAsync(IPage page, string name, bool alsoOnAPhone = false)
    {
        if (Environment.GetEnvironmentVariable("TRUUST_DOC_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true }
        );
        if (alsoOnAPhone)
        {
            var desktop = page.ViewportSize!;
            await page.SetViewportSizeAsync(390, 844);
            await page.ScreenshotAsync(
                new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-phone.png"), FullPage = true }
            );
            await page.SetViewportSizeAsync(desktop.Width, desktop.Height);
        }
    }

    /// <summary>
    /// The order's escrow balance by the ledger (money credited to it less money debited from it) equals what the
    /// order says it holds: the pages moved money only through the ledger.
    /// </summary>
    protected static void AssertEscrowMatchesOrder(JsonElement order, IReadOnlyList<JsonElement> ledger)
    {
        var escrow = $"escrow:{order.Str("id")}";
        var balance =
            ledger.Where(t => t.Str("credit_account") == escrow).Sum(t => t.Long("amount"))
            - ledger.Where(t => t.Str("debit_account") == escrow).Sum(t => t.Long("amount"));
        Assert.Equal(order.Long("held"), balance);
    }
}
