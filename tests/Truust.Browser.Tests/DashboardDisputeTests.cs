using System.Net;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>The dashboard's dispute queue (nearest deadline first), a dispute's evidence, its resolve
/// form.</summary>
public sealed class DashboardDisputeTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    [Fact]
    public async Task The_queue_lists_open_disputes_by_deadline_and_the_platform_resolves_one_with_a_refund()
    {
        using var shop = await Host.NewPlatformAsync(name: "Dispute Market");
        var market = await Marketplace.OpenAsync(shop);
        var first = await market.AwaitingValidationAsync("Camera", 30_000);
        var second = await market.AwaitingValidationAsync("Lens", 12_000);
        var a = await OpenDisputeAsync(shop, first, "not_received");
        var b = await OpenDisputeAsync(shop, second, "damaged");
        // The first seller contests: its dispute now waits for the buyer, until a later deadline than the second's.
        await shop.PostAsync(
            $"/v1/disputes/{a}/answer",
            new { type = "CONTEST", text = "Tracked." },
            HttpStatusCode.OK
        );

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GetByRole(AriaRole.Link, new() { Name = "Disputes" }).ClickAsync();
            await Expect(page.GetByTestId("disputes").Locator("tbody tr")).ToHaveCountAsync(2);
            var rows = page.GetByTestId("disputes").Locator("tbody tr");
            Assert.Equal([b, a], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.disputeId)"));

            await page.GetByRole(AriaRole.Link, new() { Name = b }).ClickAsync();
            await Expect(page.GetByTestId("evidence")).ToContainTextAsync("The lens arrived scratched.");
            await page.GetByLabel("Refund to the buyer (EUR)").FillAsync("500");
            var refused = await SubmitAsync(page, "Resolve the dispute");
            Assert.Equal(422, refused.Status);
            await Expect(page.GetByTestId("resolve-error")).ToContainTextAsync("from 0 to 120.00 EUR");

            await page.GetByLabel("Refund to the buyer (EUR)").FillAsync("50.00");
            await page.GetByLabel("Note").FillAsync("Half the scratch repair.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Resolve the dispute" }).ClickAsync();
            await Expect(page.GetByTestId("dispute-status")).ToHaveTextAsync("Resolved");
            await Expect(page.GetByTestId("dispute-outcome")).ToContainTextAsync("50.00 EUR");

            await page.GotoAsync($"{Host.BaseUrl}/dashboard/disputes");
            await Expect(page.GetByTestId("disputes").Locator("tbody tr")).ToHaveCountAsync(1);
        });

        var resolved = await shop.GetAsync($"/v1/disputes/{b}");
        Assert.Equal(
            ("RESOLVED", 5_000L, "resolve"),
            (resolved.Str("status"), resolved.Long("refunded_amount"), resolved.Str("outcome"))
        );
        await EventuallyAsync(async () => (await shop.OrderAsync(second)).Str("status") == "RELEASED");
        Assert.Equal(5_000, (await shop.OrderAsync(second)).Long("refunded"));
        Assert.Equal("PENDING_VALIDATE", (await shop.OrderAsync(first)).Str("status"));
    }

    private static async Task<string> OpenDisputeAsync(PlatformApi shop, string orderId, string reason) =>
        (
            await shop.PostAsync(
                $"/v1/orders/{orderId}/disputes",
                new { reason, text = reason == "damaged" ? "The lens arrived scratched." : "Nothing arrived." },
                HttpStatusCode.Created
            )
        ).Str("id");
}
