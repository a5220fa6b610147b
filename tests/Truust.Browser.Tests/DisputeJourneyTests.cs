using System.Net;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>
/// The dispute journey in a real Chromium: the seller declares the delivery on the seller link, the buyer reports a
/// problem on the buyer link, the seller offers 60.00, the buyer accepts; 60.00 goes back to the card and the seller
/// is paid the rest less the fee pro rata.
/// </summary>
public sealed class DisputeJourneyTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Fact]
    public async Task The_buyer_reports_a_problem_the_seller_offers_60_and_the_buyer_accepts()
    {
        using var shop = await Host.NewPlatformAsync();
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var order = await shop.CreateOrderAsync(
            new
            {
                name = "Road bike, 56 cm",
                amount = 20_000,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                fee_amount = 1_000,
                release_policy = new { inspection_hours = 72, auto_validate = true },
            }
        );
        var id = order.Str("id");
        await shop.PayByCardAsync(id);
        await shop.PostAsync($"/v1/orders/{id}/accept", null, HttpStatusCode.OK);
        var wallet = await shop.PostAsync(
            "/v1/wallets",
            new { customer_id = seller, currency = "EUR" },
            HttpStatusCode.Created
        );
        await shop.PostAsync(
            "/v1/payouts",
            new
            {
                order_id = id,
                type = "WALLET",
                wallet_id = wallet.Str("id"),
            },
            HttpStatusCode.Created
        );

        await InBrowserAsync(async page =>
        {
            // The seller link leads to the delivery page once the order is accepted.
            await page.GotoAsync(order.Str("seller_link"));
            await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Delivery and problems" })
                .ClickAsync();
            await page.GetByLabel("Carrier").FillAsync("DHL");
            await page.GetByLabel("Tracking number").FillAsync("JD0146");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Mark as delivered" })
                .ClickAsync();
            await Expect(page.GetByTestId("delivery")).ToContainTextAsync("DHL JD0146");

            await page.GotoAsync(order.Str("buyer_link"));
            await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Delivery, or report a problem" })
                .ClickAsync();
            await Expect(Heading(page, "Report a problem")).ToBeVisibleAsync();
            await page.GetByLabel("What is the problem?").SelectOptionAsync("damaged");
            await page.GetByLabel("What happened").FillAsync("The frame is cracked near the saddle.");
            await page.GetByLabel("Link to a photo or document").FillAsync("https://photos.example/crack.jpg");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Report a problem" })
                .ClickAsync();
            await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("Waiting for the seller's answer");
            await Expect(page.GetByTestId("evidence")).ToContainTextAsync("The frame is cracked near the saddle.");

            // Validation is refused while the dispute is open.
            var order409 = await shop.PostAsync($"/v1/orders/{id}/validate", null, HttpStatusCode.Conflict);
            Assert.Equal("dispute_open", order409.Str("code"));

            await page.GotoAsync($"{order.Str("seller_link")}/delivery");
            await Expect(Heading(page, "The buyer reported a problem")).ToBeVisibleAsync();
            await page.GetByLabel("Offer a partial refund").CheckAsync();
            await page.GetByLabel("Amount to refund (EUR)").FillAsync("60.00");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
            await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("Waiting for the buyer's answer");

            await page.GotoAsync($"{order.Str("buyer_link")}/problem");
            await Expect(page.GetByText("The seller offers to refund 60.00 EUR")).ToBeVisibleAsync();
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
            await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("Resolved");
            await Expect(page.GetByTestId("dispute-outcome")).ToContainTextAsync("60.00 EUR");
        });

        await EventuallyAsync(async () => (await shop.OrderAsync(id)).Str("status") == "RELEASED");
        var released = await shop.OrderAsync(id);
        Assert.Equal((6_000L, 0L), (released.Long("refunded"), released.Long("held")));
        // 140.00 left; the 10.00 fee shrinks to 7.00; the seller gets 133.00.
        Assert.Equal(13_300, (await shop.GetAsync($"/v1/wallets/{wallet.Str("id")}")).Long("balance"));
        var refunds = (await shop.GetAsync($"/v1/orders/{id}/refunds")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            ("ADDON", 6_000L, "SUCCEEDED"),
            (refunds[0].Str("rail"), refunds[0].Long("amount"), refunds[0].Str("status"))
        );
        var history = await shop.HistoryAsync(id);
        Assert.Equal("SYSTEM", history.Single(c => c.Str("action") == "validate").Str("actor"));
        var ledger = await shop.LedgerAsync(id);
        AssertEscrowMatchesOrder(released, ledger);
    }
}
