using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Integration;

/// <summary>Rate limits count per API key: one key past its burst gets 429, the others are still served.</summary>
public sealed class RateLimitTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task Past_its_burst_a_key_gets_429_with_retry_after_while_another_key_is_still_served()
    {
        using var busy = await factory.CreatePlatformAsync();
        using var quiet = await factory.CreatePlatformAsync();

        var watch = Stopwatch.StartNew();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await busy.GetAsync("/v1/customers"));
        }

        var elapsed = watch.Elapsed;
        Assert.All(responses.Take(3), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // A burst of 3, plus at most one token for every second that passed while the requests ran.
        var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(served, 3, 3 + (int)Math.Ceiling(elapsed.TotalSeconds));
        var rejected = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await rejected.ReadProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(
            rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1),
            $"Retry-After was {rejected.Headers.RetryAfter}"
        );

        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Failed_dashboard_sign_ins_are_limited_per_client()
    {
        using var client = factory.AnonymousClient();
        var page = await client.GetStringAsync("/dashboard/signin");
        var token = WebUtility.HtmlDecode(
            Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value
        );
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = "sk_test_wrong", ["__RequestVerificationToken"] = token }
            );
            statuses.Add((await client.PostAsync("/dashboard/signin", form)).StatusCode);
        }

        // Two failures are refused as such; the third is past the address's budget.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/signin")).StatusCode);
    }
}
