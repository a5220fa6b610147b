using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>Creating an order from the dashboard, and sharing its links by hand.</summary>
public sealed class DashboardNewOrderTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    [Fact]
    public async Task The_platform_creates_an_order_in_the_dashboard_and_copies_e_mail_ready_messages_with_its_links()
    {
        using var shop = await Host.NewPlatformAsync(name: "Hand Market");
        var market = await Marketplace.OpenAsync(shop);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GetByTestId("new-order").ClickAsync();
            await Expect(Heading(page, "New order")).ToBeVisibleAsync();

            // A bad amount is said on the page and creates nothing.
            await page.GetByLabel("What is sold").FillAsync("Oak table");
            await page.GetByLabel("Amount").FillAsync("12.345");
            await page.GetByLabel("Seller").SelectOptionAsync(market.SellerId);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create order" }).ClickAsync();
            await Expect(page.GetByText("Enter a positive amount with at most 2 decimals")).ToHaveCountAsync(2);

            await page.GetByLabel("Amount").FillAsync("320.50");
            await page.GetByLabel("Buyer (optional", new() { Exact = false }).SelectOptionAsync(market.BuyerId);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create order" }).ClickAsync();
            await page.WaitForURLAsync(new Regex($"^{Regex.Escape(Host.BaseUrl)}/dashboard/orders/ord_[0-9a-z]+"));
            await Expect(page.GetByTestId("notice")).ToContainTextAsync("The order was created.");
            await Expect(Heading(page, "Oak table")).ToBeVisibleAsync();

            var id = new Regex("ord_[0-9a-z]+").Match(page.Url).Value;
            var order = await shop.OrderAsync(id);
            Assert.Equal(
                ("Oak table", 32_050L, "EUR", market.SellerId, market.BuyerId),
                (
                    order.Str("name"),
                    order.Long("amount"),
                    order.Str("currency"),
                    order.Str("seller_id"),
                    order.Str("buyer_id")
                )
            );
            var buyerText = await page.GetByTestId("share-buyer").InputValueAsync();
            Assert.Contains(order.Str("buyer_link"), buyerText);
            Assert.Contains("320.50 EUR", buyerText);
            Assert.StartsWith("Subject: Pay for", buyerText);
            var sellerText = await page.GetByTestId("share-seller").InputValueAsync();
            Assert.Contains(order.Str("seller_link"), sellerText);
            Assert.DoesNotContain(order.Str("buyer_link"), sellerText);
            var mail = await page.GetByTestId("mail-buyer").GetAttributeAsync("href");
            Assert.StartsWith("mailto:?subject=", mail);
            Assert.Contains(Uri.EscapeDataString(order.Str("buyer_link")), mail);

            // Copying puts the whole message on the clipboard.
            await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            await page.GetByTestId("copy-seller").ClickAsync();
            await Expect(page.GetByTestId("copy-seller")).ToHaveTextAsync("Copied");
            Assert.Equal(
                sellerText.ReplaceLineEndings("\n"),
                (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).ReplaceLineEndings("\n")
            );
            await DocumentAsync(page, "dashboard-share-links");
        });
    }
}
