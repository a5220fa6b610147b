using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>The buyer link, the card processor's page, the 3-D Secure step and the bank wire page.</summary>
public sealed class BuyerJourneyTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    private const long Amount = 15_000;
    private const string InvalidNumber = "This card number is not valid. Check it for typos.";

    [Fact]
    public async Task Buyer_pays_by_card_and_lands_on_the_platforms_confirmed_url()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: true);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await Expect(Heading(page, "How would you like to pay?")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("amount")).ToHaveTextAsync("150.00 EUR");
            await Expect(page.GetByTestId("seller")).ToHaveTextAsync("Sam Seller");
            await Expect(page.GetByText("Vintage bicycle")).ToBeVisibleAsync();
            await DocumentAsync(page, "buyer-page", alsoOnAPhone: true);

            await page.GetByLabel("Card").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(Host.BaseUrl)}/pay/[A-Za-z0-9_-]+$"));
            await Expect(Heading(page, "Pay 150.00 EUR by card")).ToBeVisibleAsync();
            await Expect(page.GetByText("4000 0027 6000 3184")).ToBeVisibleAsync();
            await DocumentAsync(page, "card-page", alsoOnAPhone: true);

            await FillCardAsync(page, "4242 4242 4242 4242");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/orders/paid?order_id={id}");
            await Expect(Heading(page, "Back on Bike Market")).ToBeVisibleAsync();
        });

        // The platform saw the buyer come back, without the payment link's secret in the Referer.
        var visit = Assert.Single(PlatformVisits);
        Assert.Equal($"{ShopUrl}/orders/paid?order_id={id}", visit.Url);
        Assert.Null(visit.Referer);

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        Assert.Equal(Amount, order.Long("held"));
        var transfer = Assert.Single(await shop.LedgerAsync(id));
        Assert.Equal("world:card", transfer.Str("debit_account"));
        Assert.Equal($"escrow:{id}", transfer.Str("credit_account"));
        Assert.Equal(Amount, transfer.Long("amount"));
        Assert.Equal("PAYIN", transfer.Str("kind"));
        AssertEscrowMatchesOrder(order, [transfer]);

        // Truust kept the card's brand, last four digits and expiry, and the number itself nowhere.
        var payin = await shop.GetAsync($"/v1/payins/{order.Str("payin_id")}");
        Assert.Equal("visa", payin.GetProperty("card").Str("brand"));
        Assert.Equal("4242", payin.GetProperty("card").Str("last4"));
        Assert.Equal(FutureExpiry, payin.GetProperty("card").Str("expiry"));
        Assert.Equal(0, await RowsContainingAsync("4242424242424242"));
    }

    [Fact]
    public async Task A_double_click_on_pay_charges_the_card_once_and_never_voids_the_charge_that_funded_the_escrow()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: false);
        var id = order.Str("id");

        // Without JavaScript nothing disables the button after the first click: both clicks post the form, as an
        // impatient buyer's double-click does on a slow page.
        await InBrowserAsync(
            async page =>
            {
                await page.GotoAsync(order.Str("buyer_link"));
                await page.GetByLabel("Card").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
                await FillCardAsync(page, "4242 4242 4242 4242");
                await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).DblClickAsync();
                await page.WaitForURLAsync(new Regex("/result$"));
                await Expect(Heading(page, "Payment received")).ToBeVisibleAsync();
            },
            javaScript: false
        );

        order = await shop.OrderAsync(id);
        Assert.Equal(("PUBLISHED", Amount, 0L), (order.Str("status"), order.Long("held"), order.Long("refunded")));
        Assert.Single(await shop.LedgerAsync(id));
        await using var connection = await Host.Database.OpenAsync();
        await using var voids = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM simulator.card_refunds WHERE charge_reference = @payin",
            connection
        );
        voids.Parameters.AddWithValue("payin", order.Str("payin_id"));
        Assert.Equal(0L, (long)(await voids.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_declined_card_then_a_retry_with_another_card_succeeds()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: false);
        var id = order.Str("id");
        string firstCardPage = string.Empty;

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await Expect(Heading(page, "Pay 150.00 EUR by card")).ToBeVisibleAsync();
            firstCardPage = page.Url;

            await FillCardAsync(page, "4000 0000 0000 0002");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();

            // No platform URL: Truust's own result page says what happened and offers to try again.
            await page.WaitForURLAsync($"{firstCardPage}/result");
            await Expect(Heading(page, "Payment not completed")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("failure")).ToHaveTextAsync("The card was declined.");
            Assert.Equal("FAILURE", (await shop.OrderAsync(id)).Str("status"));

            await page.GetByRole(AriaRole.Link, new() { Name = "Try again" }).ClickAsync();
            await page.WaitForURLAsync(order.Str("buyer_link"));
            await Expect(page.GetByText("Your previous payment did not go through.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await Expect(Heading(page, "Pay 150.00 EUR by card")).ToBeVisibleAsync();
            Assert.NotEqual(firstCardPage, page.Url);

            await FillCardAsync(page, "5555 5555 5555 4444");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/result$"));
            await Expect(Heading(page, "Payment received")).ToBeVisibleAsync();
            await Expect(page.GetByText("Paid with Mastercard •••• 4444")).ToBeVisibleAsync();

            // The declined payment's page is over: it shows its outcome and takes no second card.
            await page.GotoAsync(firstCardPage);
            await Expect(page.GetByTestId("failure")).ToHaveTextAsync("The card was declined.");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Try again" })).ToHaveCountAsync(0);
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        var history = (await shop.HistoryAsync(id)).Select(c => c.Str("to")).ToList();
        Assert.Equal(["PENDING_PUBLISH", "FAILURE", "PENDING_PUBLISH", "PUBLISHED"], history);
        // The declined card moved no money; the second card moved the amount once.
        var ledger = await shop.LedgerAsync(id);
        var transfer = Assert.Single(ledger);
        Assert.Equal("world:card", transfer.Str("debit_account"));
        Assert.Equal(Amount, transfer.Long("amount"));
        Assert.Equal(order.Str("payin_id"), transfer.Str("reference"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task The_card_form_is_checked_in_the_page_and_again_on_the_server()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: true);
        var id = order.Str("id");
        var payin = await shop.PostAsync("/v1/payins", new { order_id = id, type = "ADDON" }, HttpStatusCode.Created);
        var cardPage = payin.Str("direct_link");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(cardPage);
            await FillCardAsync(page, "4242 4242 4242 4241", expiry: "01/20");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await Expect(page.Locator("#number-error")).ToHaveTextAsync(InvalidNumber);
            await Expect(page.Locator("#expiry-error")).ToHaveTextAsync("This card has expired.");
            await Expect(page.Locator("#number")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator("#number")).ToBeFocusedAsync();
            Assert.Equal(cardPage, page.Url);
        });
        Assert.Equal("PENDING", (await shop.GetAsync($"/v1/payins/{payin.Str("id")}")).Str("status"));

        // Without JavaScript nothing checks in the page: the server refuses the same card itself.
        await InBrowserAsync(
            async page =>
            {
                await page.GotoAsync(cardPage);
                await FillCardAsync(page, "4242 4242 4242 4241");
                var response = await SubmitAsync(page, "Pay 150.00 EUR");
                Assert.Equal(422, response.Status);
                await Expect(page.Locator("#number-error")).ToHaveTextAsync(InvalidNumber);
                await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Please check the form.");
                // The number typed is not sent back in the page.
                await Expect(page.Locator("#number")).ToHaveValueAsync(string.Empty);

                await FillCardAsync(page, "4242 4242 4242 4242", expiry: "01/20");
                response = await SubmitAsync(page, "Pay 150.00 EUR");
                Assert.Equal(422, response.Status);
                await Expect(page.Locator("#expiry-error")).ToHaveTextAsync("The card expired at the end of 01/20.");
            },
            javaScript: false
        );

        Assert.Equal("PENDING", (await shop.GetAsync($"/v1/payins/{payin.Str("id")}")).Str("status"));
        order = await shop.OrderAsync(id);
        Assert.Equal("PENDING_PUBLISH", order.Str("status"));
        Assert.Empty(await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task The_3d_secure_challenge_approved_funds_the_order()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: true);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await PayWithCardFromBuyerLinkAsync(page, order, "4000 0027 6000 3184");
            await page.WaitForURLAsync(new Regex("/pay/[A-Za-z0-9_-]+/3ds$"));
            await Expect(Heading(page, "Confirm your payment")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("amount")).ToHaveTextAsync("150.00 EUR");
            await Expect(page.GetByTestId("card")).ToHaveTextAsync("Visa •••• 3184");
            Assert.Equal("PENDING_PUBLISH", (await shop.OrderAsync(id)).Str("status"));
            await DocumentAsync(page, "3ds-page");
            var challenge = page.Url;

            await page.GetByRole(AriaRole.Button, new() { Name = "Approve payment" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/orders/paid?order_id={id}");

            // The challenge is answered: its link no longer serves.
            var again = await page.GotoAsync(challenge);
            Assert.Equal(410, again!.Status);
            await Expect(Heading(page, "This link is no longer active")).ToBeVisibleAsync();
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        var ledger = await shop.LedgerAsync(id);
        var transfer = Assert.Single(ledger);
        Assert.Equal("world:card", transfer.Str("debit_account"));
        Assert.Equal(Amount, transfer.Long("amount"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task The_3d_secure_challenge_failed_sends_the_buyer_to_the_denied_url()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: true);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await PayWithCardFromBuyerLinkAsync(page, order, "4000 0027 6000 3184");
            await page.GetByRole(AriaRole.Button, new() { Name = "Fail authentication" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/orders/failed?order_id={id}");
        });

        Assert.Equal($"{ShopUrl}/orders/failed?order_id={id}", Assert.Single(PlatformVisits).Url);
        order = await shop.OrderAsync(id);
        Assert.Equal("FAILURE", order.Str("status"));
        Assert.Equal(0, order.Long("held"));
        var payin = await shop.GetAsync($"/v1/payins/{order.Str("payin_id")}");
        Assert.Equal("FAILED", payin.Str("status"));
        Assert.Equal("authentication_failed", payin.Str("failure_code"));
        Assert.Empty(await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task The_bank_wire_page_turns_to_received_when_the_wire_arrives()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: false);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await page.GetByLabel("Bank transfer").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await Expect(Heading(page, "Pay by bank transfer")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("wire-iban")).ToHaveTextAsync("ES79 2100 0813 6101 2345 6789");
            await Expect(page.GetByTestId("wire-bic")).ToHaveTextAsync("CAIXESBBXXX");
            await Expect(page.GetByTestId("wire-amount")).ToHaveTextAsync("150.00 EUR");
            await Expect(page.GetByTestId("deadline")).ToContainTextAsync($"{DateTime.UtcNow.AddDays(7):MMMM yyyy}");
            var reference = (await page.GetByTestId("wire-reference").TextContentAsync())!.Trim();
            Assert.Matches("^TRU-[A-Z0-9]+$", reference);
            await DocumentAsync(page, "wire-page");

            // The copy button puts the exact reference on the clipboard.
            var copyReference = page.Locator("button[aria-describedby=reference-label]");
            await copyReference.ClickAsync();
            await Expect(copyReference).ToHaveTextAsync("Copied");
            Assert.Equal(reference, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            Assert.Equal("PENDING_PUBLISH", (await shop.OrderAsync(id)).Str("status"));

            var wire = await shop.PostAsync(
                "/v1/sandbox/bankwires",
                new
                {
                    reference,
                    amount = Amount,
                    currency = "EUR",
                    sender_iban = "DE89370400440532013000",
                },
                HttpStatusCode.Created
            );
            Assert.Equal("MATCHED", wire.Str("status"));

            // Nobody touches the page: it notices the wire by itself.
            await Expect(Heading(page, "Payment received")).ToBeVisibleAsync();
            await Expect(page.GetByText($"Your bank transfer (reference {reference}) has arrived.")).ToBeVisibleAsync();
            Assert.EndsWith("/result", page.Url);
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        var ledger = await shop.LedgerAsync(id);
        var transfer = Assert.Single(ledger);
        Assert.Equal("world:bankwire", transfer.Str("debit_account"));
        Assert.Equal($"escrow:{id}", transfer.Str("credit_account"));
        Assert.Equal(Amount, transfer.Long("amount"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task A_buyer_identifies_themself_on_an_order_created_without_buyer_then_pays()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: false, withUrls: true);
        var id = order.Str("id");
        Assert.Null(order.StrOrNull("buyer_id"));

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await Expect(Heading(page, "Who is paying?")).ToBeVisibleAsync();

            await page.GetByLabel("Email").FillAsync("not an email");
            var response = await SubmitAsync(page, "Continue");
            Assert.Equal(422, response.Status);
            await Expect(page.Locator("#name-error"))
                .ToHaveTextAsync("Enter your name as it should appear on the order.");
            await Expect(page.Locator("#email-error"))
                .ToHaveTextAsync("Enter a valid email address, like name@example.com.");
            Assert.Null((await shop.OrderAsync(id)).StrOrNull("buyer_id"));

            await page.GetByLabel("Full name").FillAsync("Ines Identified");
            await page.GetByLabel("Email").FillAsync("ines@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(Heading(page, "How would you like to pay?")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("buyer")).ToHaveTextAsync("Ines Identified");

            var buyerId = (await shop.OrderAsync(id)).Str("buyer_id");
            var buyer = await shop.GetAsync($"/v1/customers/{buyerId}");
            Assert.Equal("Ines Identified", buyer.Str("name"));
            Assert.Equal("ines@example.com", buyer.Str("email"));

            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await FillCardAsync(page, "4242 4242 4242 4242", holder: "Ines Identified");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/orders/paid?order_id={id}");
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        Assert.NotNull(order.StrOrNull("buyer_id"));
        var payin = await shop.GetAsync($"/v1/payins/{order.Str("payin_id")}");
        Assert.Equal("SUCCEEDED", payin.Str("status"));
        var ledger = await shop.LedgerAsync(id);
        Assert.Equal(Amount, Assert.Single(ledger).Long("amount"));
        AssertEscrowMatchesOrder(order, ledger);
    }

    [Fact]
    public async Task A_buyer_whose_wallet_holds_enough_pays_from_it_at_once()
    {
        using var shop = await Host.NewPlatformAsync();
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var walletId = (
            await shop.PostAsync("/v1/wallets", new { customer_id = buyer, currency = "EUR" }, HttpStatusCode.Created)
        ).Str("id");

        // The wallet is funded the way money reaches a wallet: Bea sold something earlier and was paid into it.
        var earlier = (
            await shop.CreateOrderAsync(
                new
                {
                    name = "Old saddle",
                    amount = 20_000,
                    currency = "EUR",
                    seller_id = buyer,
                    buyer_id = seller,
                    fee_amount = 0,
                }
            )
        ).Str("id");
        await shop.PayByCardAsync(earlier);
        await shop.PostAsync($"/v1/orders/{earlier}/accept", null, HttpStatusCode.OK);
        await shop.PostAsync(
            "/v1/payouts",
            new
            {
                order_id = earlier,
                type = "WALLET",
                wallet_id = walletId,
            },
            HttpStatusCode.Created
        );
        await shop.PostAsync($"/v1/orders/{earlier}/validate", null, HttpStatusCode.OK);
        await EventuallyAsync(async () => (await shop.OrderAsync(earlier)).Str("status") == "RELEASED");
        Assert.Equal(20_000, (await shop.GetAsync($"/v1/wallets/{walletId}")).Long("balance"));

        var order = await shop.CreateOrderAsync(
            new
            {
                name = "Vintage bicycle",
                amount = Amount,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                buyer_confirmed_url = $"{ShopUrl}/orders/paid",
            }
        );
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await page.GetByLabel("Truust wallet").CheckAsync();
            await Expect(page.GetByText("Pay from your balance of 200.00 EUR.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
            await page.WaitForURLAsync($"{ShopUrl}/orders/paid?order_id={id}");
        });

        order = await shop.OrderAsync(id);
        Assert.Equal("PUBLISHED", order.Str("status"));
        var ledger = await shop.LedgerAsync(id);
        var transfer = Assert.Single(ledger);
        Assert.Equal($"wallet:{walletId}", transfer.Str("debit_account"));
        Assert.Equal($"escrow:{id}", transfer.Str("credit_account"));
        Assert.Equal(Amount, transfer.Long("amount"));
        AssertEscrowMatchesOrder(order, ledger);
        Assert.Equal(20_000 - Amount, (await shop.GetAsync($"/v1/wallets/{walletId}")).Long("balance"));
    }

    [Fact]
    public async Task Wallet_payment_is_not_offered_when_the_wallet_holds_too_little()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: false);
        await shop.PostAsync(
            "/v1/wallets",
            new { customer_id = order.Str("buyer_id"), currency = "EUR" },
            HttpStatusCode.Created
        );

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(order.Str("buyer_link"));
            await Expect(page.GetByRole(AriaRole.Radio)).ToHaveCountAsync(2);
            await Expect(page.GetByLabel("Truust wallet")).ToHaveCountAsync(0);
        });

        Assert.Equal("PENDING_PUBLISH", (await shop.OrderAsync(order.Str("id"))).Str("status"));
        Assert.Empty(await shop.LedgerAsync(order.Str("id")));
    }

    [Fact]
    public async Task A_buyer_cancels_from_the_buyer_link_after_a_declined_card_and_the_link_then_says_so()
    {
        using var shop = await Host.NewPlatformAsync();
        var order = await CreateOrderAsync(shop, withBuyer: true, withUrls: false);
        var id = order.Str("id");

        await InBrowserAsync(async page =>
        {
            await PayWithCardFromBuyerLinkAsync(page, order, "4000 0000 0000 0002");
            await page.WaitForURLAsync(new Regex("/result$"));
            await page.GotoAsync(order.Str("buyer_link"));
            await Expect(page.GetByText("Your previous payment did not go through.")).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel this order" }).ClickAsync();

            await Expect(page.GetByText("was cancelled, so there is nothing to pay")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel this order" })).ToHaveCountAsync(0);
        });

        Assert.Equal("CANCELLED", (await shop.OrderAsync(id)).Str("status"));
        var last = (await shop.HistoryAsync(id))[^1];
        Assert.Equal(
            ("FAILURE", "CANCELLED", "cancel", "BUYER", "cancelled by the buyer"),
            (last.Str("from"), last.Str("to"), last.Str("action"), last.Str("actor"), last.Str("reason"))
        );
        Assert.Empty(await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task A_carts_buyer_lands_on_the_platforms_confirmed_url_after_paying_by_card()
    {
        using var shop = await Host.NewPlatformAsync();
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var sam = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var sue = await shop.CreateCustomerAsync("Sue Seller", "sue@example.com");
        var cart = await shop.PostAsync(
            "/v1/order_groups",
            new
            {
                buyer_id = buyer,
                currency = "EUR",
                buyer_confirmed_url = $"{ShopUrl}/orders/paid",
                buyer_denied_url = $"{ShopUrl}/orders/failed",
                orders = new[]
                {
                    new
                    {
                        name = "Saddle",
                        amount = 5_000,
                        seller_id = sam,
                    },
                    new
                    {
                        name = "Lamp",
                        amount = 2_500,
                        seller_id = sue,
                    },
                },
            },
            HttpStatusCode.Created
        );
        var groupId = cart.Str("id");
        var payin = await shop.PostAsync(
            "/v1/payins",
            new { order_group_id = groupId, type = "ADDON" },
            HttpStatusCode.Created
        );

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(payin.Str("direct_link"));
            await FillCardAsync(page, "4242 4242 4242 4242");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 75.00 EUR" }).ClickAsync();
            // Before, a cart's buyer always landed on Truust's own result page.
            await page.WaitForURLAsync($"{ShopUrl}/orders/paid?order_group_id={groupId}");
        });

        var paid = await shop.GetAsync($"/v1/order_groups/{groupId}");
        Assert.All(paid.GetProperty("orders").EnumerateArray(), o => Assert.Equal("PUBLISHED", o.Str("status")));
    }

    private static async Task<JsonElement> CreateOrderAsync(PlatformApi shop, bool withBuyer, bool withUrls)
    {
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = withBuyer ? await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com") : null;
        return await shop.CreateOrderAsync(
            new
            {
                name = "Vintage bicycle",
                amount = Amount,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                buyer_confirmed_url = withUrls ? $"{ShopUrl}/orders/paid" : null,
                buyer_denied_url = withUrls ? $"{ShopUrl}/orders/failed" : null,
            }
        );
    }

    private static async Task PayWithCardFromBuyerLinkAsync(IPage page, JsonElement order, string number)
    {
        await page.GotoAsync(order.Str("buyer_link"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
        await FillCardAsync(page, number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 150.00 EUR" }).ClickAsync();
    }

    private static async Task FillCardAsync(
        IPage page,
        string number,
        string? expiry = null,
        string holder = "Bea Buyer"
    )
    {
        await page.GetByLabel("Card number").FillAsync(number);
        await page.GetByLabel("Expiry date").FillAsync(expiry ?? FutureExpiry);
        await page.GetByLabel("Security code").FillAsync("123");
        await page.GetByLabel("Name on card").FillAsync(holder);
    }

    /// <summary>Rows in any table of the database whose text contains <paramref name="needle"/>.</summary>
    private async Task<long> RowsContainingAsync(string needle)
    {
        await using var connection = await Host.Database.OpenAsync();
        var tables = new List<string>();
        await using (
            var list = new Npgsql.NpgsqlCommand(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                    + "WHERE schemaname IN ('public', 'simulator')",
                connection
            )
        )
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("public.payins", tables);
        long found = 0;
        foreach (var table in tables)
        {
            await using var count = new Npgsql.NpgsqlCommand(
                $"SELECT count(*) FROM {table} t WHERE t::text LIKE '%' || $1 || '%'",
                connection
            )
            {
                Parameters = { new() { Value = needle } },
            };
            found += (long)(await count.ExecuteScalarAsync())!;
        }

        return found;
    }
}
