using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>A campaign's public contribution page (<c>/c/{campaign_id}</c>), then the gateway pages.</summary>
public sealed class ContributionPageTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    [Fact]
    public async Task A_visitor_contributes_by_card_and_sees_the_campaign_progress()
    {
        using var shop = await Host.NewPlatformAsync(name: "Village Fund");
        var campaign = await CreateCampaignAsync(shop);
        var id = campaign.Str("id");
        Assert.Equal($"{Host.BaseUrl}/c/{id}", campaign.Str("contribution_link"));

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(campaign.Str("contribution_link"));
            await Expect(Heading(page, "Solar roofs for the school")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("raised")).ToHaveTextAsync("0.00 EUR");
            await Expect(page.GetByTestId("target")).ToHaveTextAsync("100.00 EUR");
            await Expect(page.GetByTestId("percent")).ToHaveTextAsync("0 %");

            // Below the campaign's minimum: said in money, not in minor units, and nothing is created.
            await page.GetByLabel("Your name").FillAsync("Carla Contributor");
            await page.GetByLabel("Email").FillAsync("carla@example.com");
            await page.GetByLabel("Amount (EUR)").FillAsync("2");
            var refused = await SubmitAsync(page, "Continue to payment");
            Assert.Equal(422, refused.Status);
            await Expect(page.Locator("#amount-error")).ToHaveTextAsync("The smallest contribution is 5.00 EUR.");
            await Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Carla Contributor");

            await page.GetByLabel("Amount (EUR)").FillAsync("25,50");
            await page.GetByLabel("Card").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(Host.BaseUrl)}/pay/[A-Za-z0-9_-]+$"));
            await Expect(Heading(page, "Pay 25.50 EUR by card")).ToBeVisibleAsync();
            await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
            await page.GetByLabel("Expiry date").FillAsync(FutureExpiry);
            await page.GetByLabel("Security code").FillAsync("123");
            await page.GetByLabel("Name on card").FillAsync("Carla Contributor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 25.50 EUR" }).ClickAsync();

            // The result page of a payin that funds a campaign, not an order.
            await Expect(Heading(page, "Payment received")).ToBeVisibleAsync();
            await Expect(page.GetByText("Solar roofs for the school")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Back to the campaign" }).ClickAsync();
            await page.WaitForURLAsync(campaign.Str("contribution_link"));
            await Expect(page.GetByTestId("raised")).ToHaveTextAsync("25.50 EUR");
            await Expect(page.GetByTestId("percent")).ToHaveTextAsync("25 %");
            Assert.Equal("2550", await page.GetByTestId("progress").GetAttributeAsync("value"));
            await DocumentAsync(page, "campaign-page");
        });

        campaign = await shop.GetAsync($"/v1/campaigns/{id}");
        Assert.Equal(2_550, campaign.Long("raised"));
        Assert.Equal(0, campaign.Long("pending"));
        var contribution = Assert.Single(
            (await shop.GetAsync($"/v1/campaigns/{id}/contributions")).GetProperty("data").EnumerateArray()
        );
        Assert.Equal(2_550, contribution.Long("amount"));
        Assert.Equal("CONFIRMED", contribution.Str("status"));
        var contributor = await shop.GetAsync($"/v1/customers/{contribution.Str("contributor_id")}");
        Assert.Equal("Carla Contributor", contributor.Str("name"));
        Assert.Equal("carla@example.com", contributor.Str("email"));

        // The platform's dashboard lists the campaign with what it raised.
        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
            await Expect(page.GetByTestId("campaigns")).ToContainTextAsync("25.50 EUR / 100.00 EUR");
            await page.GetByRole(AriaRole.Link, new() { Name = "Solar roofs for the school" }).ClickAsync();
            await Expect(page.GetByTestId("raised")).ToHaveTextAsync("25.50 EUR");
            await Expect(page.GetByTestId("contributions")).ToContainTextAsync("CONFIRMED");
        });
    }

    [Fact]
    public async Task A_cancelled_campaign_shows_that_it_is_closed_and_takes_nothing()
    {
        using var shop = await Host.NewPlatformAsync(name: "Closed Fund");
        var campaign = await CreateCampaignAsync(shop);
        var id = campaign.Str("id");
        await shop.PostAsync($"/v1/campaigns/{id}/cancel", null, HttpStatusCode.OK);

        await InBrowserAsync(async page =>
        {
            await page.GotoAsync(campaign.Str("contribution_link"));
            await Expect(page.GetByTestId("closed")).ToContainTextAsync("This campaign is closed");
            await Expect(page.GetByTestId("closed")).ToContainTextAsync("It was cancelled");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" })).ToHaveCountAsync(0);

            var unknown = await page.GotoAsync($"{Host.BaseUrl}/c/cmp_does_not_exist");
            Assert.Equal(404, unknown!.Status);
        });

        Assert.Empty((await shop.GetAsync($"/v1/campaigns/{id}/contributions")).GetProperty("data").EnumerateArray());
        Assert.Equal("CANCELLED", (await shop.GetAsync($"/v1/campaigns/{id}")).Str("status"));
    }

    private static async Task<JsonElement> CreateCampaignAsync(PlatformApi shop)
    {
        var owner = await shop.CreateCustomerAsync("Olga Owner", "olga@example.com");
        return await shop.PostAsync(
            "/v1/campaigns",
            new
            {
                name = "Solar roofs for the school",
                kind = "DONATION",
                owner_id = owner,
                target_amount = 10_000,
                currency = "EUR",
                deadline = DateTimeOffset.UtcNow.AddDays(7),
                min_contribution = 500,
            },
            HttpStatusCode.Created
        );
    }
}
