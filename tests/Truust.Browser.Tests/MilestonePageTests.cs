using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>An order paid in stages: the dashboard's order page and the hosted seller page show each milestone's
/// progress.</summary>
public sealed class MilestonePageTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    [Fact]
    public async Task The_dashboard_and_the_seller_page_show_each_milestones_amount_and_status()
    {
        using var shop = await Host.NewPlatformAsync(name: "Stage Works");
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var order = await shop.CreateOrderAsync(
            new
            {
                name = "Website in stages",
                amount = 100_000,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                milestones = new object[]
                {
                    new { name = "Design", basis_points = 3_000 },
                    new { name = "Build", basis_points = 3_000 },
                    new { name = "Launch", basis_points = 4_000 },
                },
            }
        );
        var id = order.Str("id");
        await shop.PayByCardAsync(id);
        var design = order.GetProperty("milestones")[0].Str("id");
        await shop.PostAsync(
            $"/v1/orders/{id}/milestones/{design}/refunds",
            new { amount = 30_000 },
            System.Net.HttpStatusCode.Created
        );

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{id}");
            var rows = page.GetByTestId("milestones").GetByTestId("milestone");
            await Expect(rows).ToHaveCountAsync(3);
            await Expect(rows.Nth(0)).ToContainTextAsync("Design");
            await Expect(rows.Nth(2)).ToContainTextAsync("400.00 EUR");
            await Expect(page.GetByTestId("milestone-status")).ToHaveTextAsync(["REFUNDED", "PENDING", "PENDING"]);

            await page.GotoAsync(order.Str("seller_link"));
            var hosted = page.GetByTestId("milestones").GetByTestId("milestone");
            await Expect(hosted).ToHaveCountAsync(3);
            await Expect(hosted.Nth(1)).ToContainTextAsync("Build");
            await Expect(hosted.Nth(0)).ToContainTextAsync("REFUNDED");
        });
    }

    [Fact]
    public async Task The_buyer_reports_a_problem_with_one_stage_and_only_that_stage_is_held()
    {
        using var shop = await Host.NewPlatformAsync(name: "Stage Works");
        var seller = await shop.CreateCustomerAsync("Sam Seller", "sam@example.com");
        var buyer = await shop.CreateCustomerAsync("Bea Buyer", "bea@example.com");
        var order = await shop.CreateOrderAsync(
            new
            {
                name = "Kitchen in stages",
                amount = 60_000,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
                milestones = new object[]
                {
                    new { name = "Cabinets", amount = 30_000 },
                    new { name = "Worktop", amount = 30_000 },
                },
            }
        );
        var id = order.Str("id");
        var (cabinets, worktop) = (
            order.GetProperty("milestones")[0].Str("id"),
            order.GetProperty("milestones")[1].Str("id")
        );
        await shop.PayByCardAsync(id);
        await shop.PostAsync($"/v1/orders/{id}/accept", null, System.Net.HttpStatusCode.OK);
        var wallet = await shop.PostAsync(
            "/v1/wallets",
            new { customer_id = seller, currency = "EUR" },
            System.Net.HttpStatusCode.Created
        );
        await shop.PostAsync(
            "/v1/payouts",
            new
            {
                order_id = id,
                type = "WALLET",
                wallet_id = wallet.Str("id"),
            },
            System.Net.HttpStatusCode.Created
        );

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync($"{order.Str("buyer_link")}/problem");
            await page.GetByLabel("Which stage?").SelectOptionAsync(worktop);
            await page.GetByLabel("What is the problem?").SelectOptionAsync("damaged");
            await page.GetByLabel("What happened").FillAsync("The worktop is chipped at the sink.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Report a problem" }).ClickAsync();
            await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("Waiting for the seller's answer");
        });

        // Only the stage the buyer named is held: the other is validated and paid as usual.
        var held = await shop.PostAsync(
            $"/v1/orders/{id}/milestones/{worktop}/validate",
            null,
            System.Net.HttpStatusCode.Conflict
        );
        Assert.Equal("dispute_open", held.Str("code"));
        await shop.PostAsync($"/v1/orders/{id}/milestones/{cabinets}/validate", null, System.Net.HttpStatusCode.OK);
    }
}
