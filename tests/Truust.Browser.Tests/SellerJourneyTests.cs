using System.Text.Json;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>The seller link: accept (and say where to be paid) or reject a paid order.</summary>
public sealed class SellerJourneyTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    private const long Amount = 24_990;

    [Fact]
    public async Task The_seller_accepts_with_a_new_iban_after_a_wrong_one_and_the_payout_awaits_validation()
    {
        using var shop = await Host.NewPlatformAsync();
        var (order, sellerId) = await CreatePaidOrderAsync(shop);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            var iban = page.GetByLabel("IBAN", new() { Exact = true });
            await page.GotoAsync(order.Str("seller_link"));
            await Expect(Heading(page, "Accept the order")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("status")).ToHaveTextAsync("Paid, held in escrow");
            await Expect(page.GetByTestId("amount")).ToHaveTextAsync("249.90 EUR");
            await Expect(page.GetByTestId("buyer")).ToHaveTextAsync("Bea Buyer");
            await DocumentAsync(page, "seller-page");

            await page.GetByLabel("A new bank account").CheckAsync();
            await Expect(page.GetByLabel("Account holder")).ToHaveValueAsync("Sam Seller");
            await iban.FillAsync("ES91 2100 0418 4502 0005 1333");
            var refused = await SubmitAsync(page, "Accept order");
            Assert.Equal(422, refused.Status);
            await Expect(page.Locator("#iban-error"))
                .ToHaveTextAsync(
                    "This IBAN is not valid: IBAN check digits are wrong (mod-97 check failed): please check for a typo."
                );
            await Expect(iban).ToHaveAttributeAsync("aria-invalid", "true");
            // What the seller typed stays, so they can correct it.
            await Expect(iban).ToHaveValueAsync("ES91 2100 0418 4502 0005 1333");

            // The wrong IBAN changed nothing: still paid and waiting, no account saved.
            Assert.Equal("PUBLISHED", (await shop.OrderAsync(id)).Str("status"));
            var accounts = await shop.GetAsync($"/v1/customers/{sellerId}/bank_accounts");
            Assert.Empty(accounts.GetProperty("data").EnumerateArray());

            await iban.FillAsync("ES91 2100 0418 4502 0005 1332");
            await page.GetByRole(AriaRole.Button, new() { Name = "Accept order" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/sales/accepted?order_id={id}");
        });

        Assert.Null(Assert.Single(PlatformVisits).Referer);
        order = await shop.OrderAsync(id);
        Assert.Equal("PENDING_VALIDATE", order.Str("status"));
        var history = await shop.HistoryAsync(id);
        Assert.Equal(["accept", "create_payout"], history.TakeLast(2).Select(c => c.Str("action")));
        Assert.All(history.TakeLast(2), c => Assert.Equal("SELLER", c.Str("actor")));

        var payout = await shop.GetAsync($"/v1/payouts/{order.Str("payout_id")}");
        Assert.Equal("ACCOUNT", payout.Str("type"));
        Assert.Equal(sellerId, payout.Str("customer_id"));
        var account = await shop.GetAsync($"/v1/bank_accounts/{payout.Str("bankaccount_id")}");
        Assert.Equal("ES9121000418450200051332", account.Str("iban"));
        Assert.Equal("Sam Seller", account.Str("holder_name"));

        // Accepting moves no money: escrow still holds the payment until validation and release.
        var ledger = await shop.LedgerAsync(id);
        Assert.Equal(Amount, Assert.Single(ledger).Long("amount"));
        Assert.Equal(Amount, order.Long("held"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task The_seller_rejects_and_lands_on_the_platforms_denied_url()
    {
        using var shop = await Host.NewPlatformAsync();
        var (order, _) = await CreatePaidOrderAsync(shop);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("seller_link"));
            await page.GetByLabel("Reason").FillAsync("Sold out, sorry");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reject order" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/sales/rejected?order_id={id}");
        });

        Assert.Equal($"{ShopUrl}/sales/rejected?order_id={id}", Assert.Single(PlatformVisits).Url);
        order = await shop.OrderAsync(id);
        Assert.Equal("REJECTED", order.Str("status"));
        var last = (await shop.HistoryAsync(id))[^1];
        Assert.Equal("reject", last.Str("action"));
        Assert.Equal("SELLER", last.Str("actor"));
        Assert.Equal("Sold out, sorry", last.Str("reason"));
        // Rejecting moves no money by itself: the refund is the platform's explicit next step.
        var ledger = await shop.LedgerAsync(id);
        Assert.Single(ledger);
        Assert.Equal(Amount, order.Long("held"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task The_seller_can_be_paid_to_a_wallet_and_sees_truusts_own_page_when_the_platform_gave_no_url()
    {
        using var shop = await Host.NewPlatformAsync();
        var (order, sellerId) = await CreatePaidOrderAsync(shop, withUrls: false);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("seller_link"));
            await page.GetByLabel("My Truust wallet").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Accept order" }).ClickAsync();
            await page.WaitForURLAsync($"{order.Str("seller_link")}/done");
            await Expect(Heading(page, "You accepted the order")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("destination")).ToHaveTextAsync("your Truust wallet");
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PENDING_VALIDATE", order.Str("status"));
        var payout = await shop.GetAsync($"/v1/payouts/{order.Str("payout_id")}");
        Assert.Equal("WALLET", payout.Str("type"));
        var wallet = await shop.GetAsync($"/v1/wallets/{payout.Str("wallet_id")}");
        Assert.Equal(sellerId, wallet.Str("customer_id"));
        Assert.Equal("EUR", wallet.Str("currency"));
        var ledger = await shop.LedgerAsync(id);
        Assert.Single(ledger);
        AssertEscrowMatchesOrder(order, ledger);
    }

    internal static async Task<(JsonElement Order, string SellerId)> CreatePaidOrderAsync(
        PlatformApi shop,
        bool withUrls = true
    )
    {
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var order = await shop.CreateOrderAsync(
            new
            {
                name = "Road bike, 56 cm",
                amount = Amount,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                seller_confirmed_url = withUrls ? $"{ShopUrl}/sales/accepted" : null,
                seller_denied_url = withUrls ? $"{ShopUrl}/sales/rejected" : null,
            }
        );
        await shop.PayByCardAsync(order.Str("id"));
        order = await shop.OrderAsync(order.Str("id"));
        Assert.Equal("PUBLISHED", order.Str("status"));
        return (order, seller);
    }
}
