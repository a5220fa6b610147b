using System.Net;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>Buyer and seller links are capability URLs: they serve one step, and then say so.</summary>
public sealed class LinkTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Fact]
    public async Task A_stale_link_says_it_is_no_longer_active_and_changes_nothing()
    {
        using var shop = await Host.NewPlatformAsync();
        var (order, _) = await SellerJourneyTests.CreatePaidOrderAsync(shop);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            // The buyer link after payment.
            var paid = await page.GotoAsync(order.Str("buyer_link"));
            Assert.Equal(410, paid!.Status);
            await Expect(Heading(page, "This link is no longer active")).ToBeVisibleAsync();
            await Expect(page.GetByText("has already been paid")).ToBeVisibleAsync();

            // The seller opened the page; meanwhile the platform cancels the order; then the seller accepts.
            await page.GotoAsync(order.Str("seller_link"));
            await page.GetByLabel("My Truust wallet").CheckAsync();
            await shop.PostAsync(
                $"/v1/orders/{id}/cancel",
                new { reason = "buyer changed their mind" },
                HttpStatusCode.OK
            );
            var accepted = await SubmitAsync(page, "Accept order");
            Assert.Equal(410, accepted.Status);
            await Expect(Heading(page, "This link is no longer active")).ToBeVisibleAsync();

            // And the seller link itself, opened again.
            var again = await page.GotoAsync(order.Str("seller_link"));
            Assert.Equal(410, again!.Status);
            await Expect(page.GetByText("was cancelled")).ToBeVisibleAsync();

            // A link that never existed.
            var unknown = await page.GotoAsync($"{Host.BaseUrl}/s/thisTokenWasNeverIssued0000000000");
            Assert.Equal(404, unknown!.Status);
            await Expect(Heading(page, "This link is not valid")).ToBeVisibleAsync();

            // None of these pages gives away the platform's key.
            Assert.DoesNotContain(shop.Secret, await page.ContentAsync());
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("CANCELLED", order.Str("status"));
        Assert.Null(order.StrOrNull("payout_id"));
        // The cancellation refunded the card; the stale accept moved nothing.
        var ledger = await shop.LedgerAsync(id);
        Assert.Equal(["PAYIN", "REFUND"], ledger.Select(t => t.Str("kind")));
        Assert.Equal(0, order.Long("held"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var shop = await Host.NewPlatformAsync();
        var (order, _) = await SellerJourneyTests.CreatePaidOrderAsync(shop);
        var id = order.Str("id");

        // What a forged form on another site would send: the right fields, no token pair.
        using var client = new HttpClient();
        using var forged = await client.PostAsync(
            $"{order.Str("seller_link")}?handler=Reject",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "forged" })
        );
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        await InBrowserAsync(async page =>
        {
            var response = await page.GotoAsync(order.Str("seller_link"));
            Assert.Equal(200, response!.Status);
            Assert.Contains("no-store", await response.HeaderValueAsync("cache-control"));
            Assert.Equal("no-referrer", await response.HeaderValueAsync("referrer-policy"));
            Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
            Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy"));
            // Every form carries the token.
            var forms = page.Locator("form[method=post]");
            await Expect(forms).ToHaveCountAsync(2);
            await Expect(page.Locator("form[method=post] input[name=__RequestVerificationToken]")).ToHaveCountAsync(2);
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        var ledger = await shop.LedgerAsync(id);
        Assert.Single(ledger);
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task The_pages_stay_out_of_the_api_description()
    {
        using var client = new HttpClient { BaseAddress = new Uri(Host.BaseUrl) };
        var swagger = await client.GetStringAsync("/swagger/v1/swagger.json");
        Assert.Contains("\"/v1/orders\"", swagger);
        Assert.DoesNotContain("/b/{token}", swagger);
        Assert.DoesNotContain("/pay/{token}", swagger);
    }
}
