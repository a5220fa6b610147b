using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// Rate limits count what a request is, not how it is spelt: one bucket per authenticated key whatever the
/// Authorization header looks like; requests that fail authentication share a smaller bucket per client address;
/// the dashboard sign-in counts only failed attempts, so the right key always gets in.
/// </summary>
public sealed partial class RateLimitKeyTests(RateLimitKeyTests.TightFactory factory)
    : IClassFixture<RateLimitKeyTests.TightFactory>
{
    public const int Burst = 3;
    public const int FailedAuthBurst = 2;
    public const int FailedSignIns = 5;

    /// <summary>Small budgets, refilled slowly, so every limit is reached within a test.</summary>
    public sealed class TightFactory : TruustApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:PermitsPerSecond", "1");
            builder.UseSetting("RateLimits:Burst", Burst.ToString());
            builder.UseSetting("RateLimits:UnauthenticatedPermitsPerSecond", "1");
            builder.UseSetting("RateLimits:UnauthenticatedBurst", FailedAuthBurst.ToString());
            builder.UseSetting("RateLimits:SignInsPerMinute", FailedSignIns.ToString());
        }
    }

    [Fact]
    public async Task Different_spellings_of_one_key_share_one_bucket()
    {
        var platform = await factory.CreateTestPlatformAsync();
        string[] spellings =
        [
            $"Bearer {platform.Secret}",
            $"bearer {platform.Secret}",
            $"BEARER {platform.Secret}",
            $"Bearer  {platform.Secret}",
            $"Bearer {platform.Secret} ",
            $"bEaReR   {platform.Secret}",
        ];

        var watch = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        foreach (var authorization in spellings)
        {
            using var client = factory.AnonymousClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
            statuses.Add((await client.GetAsync("/v1/customers")).StatusCode);
        }

        var served = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{s}"));
        Assert.InRange(served, Burst, Burst + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Wrong_keys_get_429_once_the_failed_authentication_budget_of_the_address_is_spent()
    {
        var platform = await factory.CreateTestPlatformAsync();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < FailedAuthBurst + 4; i++)
        {
            using var client = factory.ClientWithKey($"sk_test_never_issued_{i}_{Guid.NewGuid():N}");
            responses.Add(await client.GetAsync("/v1/customers"));
        }

        Assert.All(responses.Take(FailedAuthBurst), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var limited = responses.Last();
        await limited.ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{limited.Headers.RetryAfter}");
        // The address's failed attempts do not spend the bucket of a key that works.
        Assert.Equal(HttpStatusCode.OK, (await platform.Client.GetAsync("/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task After_forty_wrong_sign_ins_from_one_address_the_right_key_still_signs_in()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await AntiforgeryTokenAsync(browser);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await SignInAsync(browser, token, $"sk_test_wrong_{i}")).StatusCode);
        }

        Assert.All(statuses.Take(FailedSignIns), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(FailedSignIns), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var signedIn = await SignInAsync(browser, token, platform.Secret);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/orders", signedIn.Headers.Location?.OriginalString);
        Assert.Contains(
            signedIn.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("truust_dashboard=", StringComparison.Ordinal)
        );
        // Still limited for wrong keys: the right key's success does not reset the count of failures.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, token, "sk_test_wrong")).StatusCode);
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient browser)
    {
        var page = await (await browser.GetAsync("/dashboard/signin")).Content.ReadAsStringAsync();
        return TokenField().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups["token"].Value)
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string key) =>
        browser.PostAsync(
            "/dashboard/signin",
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = key, ["__RequestVerificationToken"] = token }
            )
        );

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
