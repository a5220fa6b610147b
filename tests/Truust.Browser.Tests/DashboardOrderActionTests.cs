using System.Net;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>The order page: what it shows, and the lifecycle actions taken from it, each checked via the API.</summary>
public sealed class DashboardOrderActionTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    private const long Amount = 64_900;

    [Fact]
    public async Task The_platform_validates_from_the_dashboard_and_watches_the_release_reach_the_sellers_wallet()
    {
        using var shop = await Host.NewPlatformAsync(name: "Validate Market");
        var market = await Marketplace.OpenAsync(shop);
        var id = await market.AwaitingValidationAsync("Mountain bike", Amount);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GetByRole(AriaRole.Link, new() { Name = "Mountain bike" }).ClickAsync();
            await page.WaitForURLAsync($"{Host.BaseUrl}/dashboard/orders/{id}");
            await Expect(Heading(page, "Mountain bike")).ToBeVisibleAsync();
            Assert.Equal("PENDING_VALIDATE", await BadgeStatusAsync(page.GetByTestId("order-status")));
            await Expect(page.GetByTestId("amount")).ToHaveTextAsync("649.00 EUR");
            await Expect(page.GetByTestId("held")).ToHaveTextAsync("649.00 EUR");
            // The actions offered are the API's allowed_actions that the dashboard can take.
            var order = await shop.OrderAsync(id);
            Assert.Equal(
                ["deliver", "open_dispute", "validate", "refund", "cancel"],
                order.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString())
            );
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link))
                .ToHaveTextAsync(["Validate", "Cancel the order"]);

            // Asking is one page, doing is another: nothing happens until the confirmation is posted.
            await page.GetByTestId("actions").GetByRole(AriaRole.Link, new() { Name = "Validate" }).ClickAsync();
            await Expect(page.GetByTestId("confirm")).ToContainTextAsync("Validate this order?");
            Assert.Equal("PENDING_VALIDATE", await market.StatusAsync(id));
            await page.GetByLabel("Reason").FillAsync("Delivered and checked");
            await DocumentAsync(page, "dashboard-order");
            var done = await SubmitAsync(page, "Yes, validate");
            Assert.Equal(302, done.Status);
            await Expect(page.GetByTestId("notice"))
                .ToHaveTextAsync("The order was validated; the release to the seller is under way.");

            // The release worker pays the seller on its own; the page shows it once reloaded.
            await ReloadUntilStatusAsync(page, "RELEASED");
            var history = page.GetByTestId("history").Locator("li");
            await Expect(history.Locator(".status")).ToHaveCountAsync(7);
            Assert.Equal(
                [
                    "DRAFT",
                    "PENDING_PUBLISH",
                    "PUBLISHED",
                    "ACCEPTED",
                    "PENDING_VALIDATE",
                    "PENDING_RELEASE",
                    "RELEASED",
                ],
                await history.Locator(".status").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)")
            );
            await Expect(page.GetByTestId("history")).ToContainTextAsync("“Delivered and checked”");
            await Expect(page.GetByTestId("held")).ToHaveTextAsync("0.00 EUR");
            await Expect(page.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("payins")).ToContainTextAsync("Visa •••• 4242");
            await Expect(page.GetByTestId("payouts")).ToContainTextAsync("PAID");
            // A released order can still be refunded (clawed back), and nothing else.
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link)).ToHaveTextAsync(["Refund the buyer"]);

            // The seller's wallet and customer pages show the money that arrived.
            await page.GetByRole(AriaRole.Link, new() { Name = "Sam Seller" }).ClickAsync();
            await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync("649.00 EUR");
            await page.GetByTestId("wallet-balance").Locator("xpath=..").GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page.GetByTestId("balance")).ToHaveTextAsync("649.00 EUR");
            await Expect(page.GetByTestId("movements").Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("movements")).ToContainTextAsync("+649.00 EUR");
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/wallets");
            await Expect(page.GetByTestId("wallets")).ToContainTextAsync("649.00 EUR");
        });

        var released = await shop.OrderAsync(id);
        Assert.Equal("RELEASED", released.Str("status"));
        Assert.Equal(0, released.Long("held"));
        var changes = await shop.HistoryAsync(id);
        var validate = Assert.Single(changes, c => c.Str("action") == "validate");
        Assert.Equal("PLATFORM", validate.Str("actor"));
        Assert.Equal("Delivered and checked", validate.Str("reason"));
        Assert.Equal("PENDING_RELEASE", validate.Str("to"));
        Assert.Equal("release", changes[^1].Str("action"));
        Assert.Equal("RELEASED", changes[^1].Str("to"));
        var ledger = await shop.LedgerAsync(id);
        AssertEscrowMatchesOrder(released, ledger);
        var payout = await shop.GetAsync($"/v1/payouts/{released.Str("payout_id")}");
        var wallet = await shop.GetAsync($"/v1/wallets/{payout.Str("wallet_id")}");
        Assert.Equal(Amount, wallet.Long("balance"));
    }

    [Fact]
    public async Task A_refused_action_shows_the_apis_message_and_changes_nothing()
    {
        using var shop = await Host.NewPlatformAsync(name: "Refusal Market");
        var market = await Marketplace.OpenAsync(shop);
        var id = await market.AwaitingValidationAsync("Vintage radio", Amount);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{id}?confirm=validate");
            await Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();

            // Meanwhile the platform's backend cancels the order through the API.
            await shop.PostAsync(
                $"/v1/orders/{id}/cancel",
                new { reason = "buyer changed their mind" },
                HttpStatusCode.OK
            );

            var refused = await SubmitAsync(page, "Yes, validate");
            Assert.Equal(409, refused.Status);
            // The very words the API answers with.
            await Expect(page.GetByTestId("action-error"))
                .ToHaveTextAsync(
                    $"Order {id} is CANCELLED; 'validate' is not allowed now. No action is allowed any more."
                );
            Assert.Equal("CANCELLED", await BadgeStatusAsync(page.GetByTestId("order-status")));
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link)).ToHaveCountAsync(0);

            // Asking to confirm an action the status does not allow offers nothing to confirm.
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{id}?confirm=block");
            await Expect(page.GetByTestId("confirm")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("action-error")).ToContainTextAsync("'block' is not allowed now.");
        });

        using var apiClient = PlatformApi.Client(Host.BaseUrl, shop.Secret);
        using var api = await apiClient.PostAsync($"/v1/orders/{id}/validate", null);
        var problem = System.Text.Json.JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(
            $"Order {id} is CANCELLED; 'validate' is not allowed now. No action is allowed any more.",
            problem.Str("detail")
        );
        var order = await shop.OrderAsync(id);
        Assert.Equal("CANCELLED", order.Str("status"));
        Assert.DoesNotContain(await shop.HistoryAsync(id), c => c.Str("action") == "validate");
        AssertEscrowMatchesOrder(order, await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task Rejecting_for_the_seller_then_refunding_without_javascript_gives_the_buyer_everything_back()
    {
        using var shop = await Host.NewPlatformAsync(name: "Refund Market");
        var market = await Marketplace.OpenAsync(shop);
        var id = await market.PublishedAsync("Tent", 18_000);

        await InBrowserAsync(
            async page =>
            {
                await SignInAsync(page, Host.BaseUrl, shop.Secret);
                await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{id}");
                await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link))
                    .ToHaveTextAsync(["Accept for the seller", "Reject for the seller", "Cancel the order"]);
                var rejected = await ConfirmActionAsync(
                    page,
                    "Reject for the seller",
                    "Yes, reject for the seller",
                    "Out of stock"
                );
                Assert.Equal(302, rejected.Status);
                await Expect(page.GetByTestId("notice")).ToHaveTextAsync("The order was rejected.");
                Assert.Equal("REJECTED", await BadgeStatusAsync(page.GetByTestId("order-status")));

                await page.GetByTestId("actions")
                    .GetByRole(AriaRole.Link, new() { Name = "Refund the buyer" })
                    .ClickAsync();
                await Expect(page.GetByTestId("confirm")).ToContainTextAsync("180.00 EUR goes back to the buyer.");
                var refunded = await SubmitAsync(page, "Yes, refund the buyer");
                Assert.Equal(302, refunded.Status);
                await Expect(page.GetByTestId("held")).ToHaveTextAsync("0.00 EUR");
                await Expect(page.GetByTestId("refunds")).ToContainTextAsync("SUCCEEDED");
                await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link, new() { Name = "Refund the buyer" }))
                    .ToHaveCountAsync(0);
            },
            javaScript: false
        );

        var order = await shop.OrderAsync(id);
        Assert.Equal("REJECTED", order.Str("status"));
        Assert.Equal(0, order.Long("held"));
        Assert.Equal(18_000, order.Long("refunded"));
        var reject = Assert.Single(await shop.HistoryAsync(id), c => c.Str("action") == "reject");
        Assert.Equal("PLATFORM", reject.Str("actor"));
        Assert.Equal("Out of stock", reject.Str("reason"));
        var refund = Assert.Single(
            (await shop.GetAsync($"/v1/orders/{id}/refunds")).GetProperty("data").EnumerateArray()
        );
        Assert.Equal(18_000, refund.Long("amount"));
        Assert.Equal("ADDON", refund.Str("rail"));
        AssertEscrowMatchesOrder(order, await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task Accepting_for_the_seller_then_cancelling_refunds_the_buyers_card()
    {
        using var shop = await Host.NewPlatformAsync(name: "Cancel Market");
        var market = await Marketplace.OpenAsync(shop, buyer: "Bea Canceller");
        var id = await market.PublishedAsync("Canoe", 52_000);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{id}");
            var accepted = await ConfirmActionAsync(page, "Accept for the seller", "Yes, accept for the seller");
            Assert.Equal(302, accepted.Status);
            Assert.Equal("ACCEPTED", await BadgeStatusAsync(page.GetByTestId("order-status")));
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link)).ToHaveTextAsync(["Cancel the order"]);

            var cancelled = await ConfirmActionAsync(page, "Cancel the order", "Yes, cancel the order", "No stock");
            Assert.Equal(302, cancelled.Status);
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync("The order was cancelled.");
            Assert.Equal("CANCELLED", await BadgeStatusAsync(page.GetByTestId("order-status")));
            await Expect(page.GetByTestId("held")).ToHaveTextAsync("0.00 EUR");
            await Expect(page.GetByTestId("refunds")).ToContainTextAsync("520.00 EUR");

            // The buyer is found among the platform's customers, with the cancelled order among their purchases.
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/customers?q=canceller");
            await Expect(page.GetByTestId("customers").Locator("tbody tr")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Link, new() { Name = "Bea Canceller" }).ClickAsync();
            await Expect(page.Locator("section[aria-label='Bought']")).ToContainTextAsync("Canoe");
        });

        var order = await shop.OrderAsync(id);
        Assert.Equal("CANCELLED", order.Str("status"));
        Assert.Equal(0, order.Long("held"));
        Assert.Equal(52_000, order.Long("refunded"));
        var changes = await shop.HistoryAsync(id);
        Assert.Equal(["accept", "cancel"], changes.TakeLast(2).Select(c => c.Str("action")));
        Assert.All(changes.TakeLast(2), c => Assert.Equal("PLATFORM", c.Str("actor")));
        Assert.Equal("No stock", changes[^1].Str("reason"));
        var refund = Assert.Single(
            (await shop.GetAsync($"/v1/orders/{id}/refunds")).GetProperty("data").EnumerateArray()
        );
        Assert.Equal(52_000, refund.Long("amount"));
        AssertEscrowMatchesOrder(order, await shop.LedgerAsync(id));
    }

    [Fact]
    public async Task The_operator_blocks_and_unblocks_a_release_which_a_platform_may_not()
    {
        // On the server without workers, a validated order stays PENDING_RELEASE until someone acts.
        var quiet = await Host.QuietServerUrlAsync();
        SecondServerUrl = quiet;
        using var shop = await Host.NewPlatformAsync(quiet, "Block Market");
        var market = await Marketplace.OpenAsync(shop);
        var id = await market.AwaitingValidationAsync("Grand piano", 900_000);
        await shop.PostAsync($"/v1/orders/{id}/validate", null, HttpStatusCode.OK);
        Assert.Equal("PENDING_RELEASE", await market.StatusAsync(id));

        await InBrowserAsync(async page =>
        {
            // The platform itself has nothing to do while the release is under way, and cannot force a block.
            await SignInAsync(page, quiet, shop.Secret);
            var row = page.Locator($"tr[data-order-id='{id}'] .status");
            await Expect(row).ToHaveAttributeAsync("data-status", "PENDING_RELEASE");
            var listed = Assert.Single(await ColoursAsync(row));
            var legend = await ColoursAsync(page.GetByTestId("totals").Locator(".status"));
            Assert.Equal(legend.Single(l => l.Status == "PENDING_RELEASE").Background, listed.Background);

            await page.GotoAsync($"{quiet}/dashboard/orders/{id}");
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
            await page.GotoAsync($"{quiet}/dashboard/orders/{id}?confirm=block");
            await Expect(page.GetByTestId("confirm")).ToHaveCountAsync(0);
            // A hand-made block form, with the page's own antiforgery token: the server refuses it all the same.
            var forced = await page.RunAndWaitForResponseAsync(
                () =>
                    page.EvaluateAsync(
                        """
                        id => {
                            const form = document.createElement('form');
                            form.method = 'post';
                            form.action = '/dashboard/orders/' + id;
                            const token = document.querySelector('input[name=__RequestVerificationToken]').value;
                            for (const [name, value] of [['action', 'block'], ['__RequestVerificationToken', token]]) {
                                const input = document.createElement('input');
                                input.type = 'hidden';
                                input.name = name;
                                input.value = value;
                                form.appendChild(input);
                            }
                            document.body.appendChild(form);
                            form.submit();
                        }
                        """,
                        id
                    ),
                response => response.Request.Method == "POST"
            );
            Assert.Equal(409, forced.Status);
            await Expect(page.GetByTestId("action-error"))
                .ToHaveTextAsync(
                    $"Order {id} is PENDING_RELEASE; 'block' is not allowed now. Allowed now: refund."
                );
            Assert.Equal("PENDING_RELEASE", await market.StatusAsync(id));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync($"{quiet}/dashboard/signin?signed_out=true");

            await SignInAsync(page, quiet, TruustKestrelFactory.OperatorKey);
            await page.GotoAsync($"{quiet}/dashboard/orders/{id}");
            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link)).ToHaveTextAsync(["Block the release"]);
            var blocked = await ConfirmActionAsync(
                page,
                "Block the release",
                "Yes, block the release",
                "Seller under review"
            );
            Assert.Equal(302, blocked.Status);
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync("The release was blocked.");
            Assert.Equal("BLOCKED_RELEASE", await BadgeStatusAsync(page.GetByTestId("order-status")));
            await Expect(page.GetByTestId("blocked-reason")).ToHaveTextAsync("Seller under review");
            Assert.Equal("BLOCKED_RELEASE", await market.StatusAsync(id));

            await Expect(page.GetByTestId("actions").GetByRole(AriaRole.Link))
                .ToHaveTextAsync(["Unblock the release", "Cancel the order"]);
            var unblocked = await ConfirmActionAsync(page, "Unblock the release", "Yes, unblock the release");
            Assert.Equal(302, unblocked.Status);
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync("The release was unblocked.");
            Assert.Equal("PENDING_RELEASE", await BadgeStatusAsync(page.GetByTestId("order-status")));
        });

        var changes = await shop.HistoryAsync(id);
        Assert.Equal(["validate", "block", "unblock"], changes.TakeLast(3).Select(c => c.Str("action")));
        Assert.All(changes.TakeLast(2), c => Assert.Equal("OPERATOR", c.Str("actor")));
        Assert.Equal("Seller under review", changes[^2].Str("reason"));
        var order = await shop.OrderAsync(id);
        Assert.Equal("PENDING_RELEASE", order.Str("status"));
        // Blocking and unblocking moved no money: the escrow still holds the whole amount.
        Assert.Equal(900_000, order.Long("held"));
        AssertEscrowMatchesOrder(order, await shop.LedgerAsync(id));
    }
}
