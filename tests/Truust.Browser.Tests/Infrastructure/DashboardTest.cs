using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>A platform's buyer and seller, and what it takes to bring an order to each status via the API.</summary>
public sealed class Marketplace(PlatformApi api, string buyerId, string sellerId)
{
    /// <summary>An IBAN the simulated bank refuses up front (its account number ends in 0000000666).</summary>
    public const string RefusedIban = "DE31370400440000000666";

    public PlatformApi Api { get; } = api;

    public string BuyerId { get; } = buyerId;

    public string SellerId { get; } = sellerId;

    private string? _sellerWallet;

    public static async Task<Marketplace> OpenAsync(
        PlatformApi api,
        string buyer = "Bea Buyer",
        string seller = "Sam Seller"
    )
    {
        var buyerId = await api.CreateCustomerAsync(buyer, "bea@example.com");
        var sellerId = await api.CreateCustomerAsync(seller, "sam@example.com");
        return new Marketplace(api, buyerId, sellerId);
    }

    public async Task<string> DraftAsync(string name, long amount, Dictionary<string, string>? metadata = null) =>
        (
            await Api.CreateOrderAsync(
                new
                {
                    name,
                    amount,
                    currency = "EUR",
                    buyer_id = BuyerId,
                    seller_id = SellerId,
                    metadata,
                }
            )
        ).Str("id");

    /// <summary>An order created without its buyer: DRAFT until the buyer is known or a payin is made.</summary>
    public async Task<string> BuyerlessDraftAsync(string name, long amount) =>
        (
            await Api.CreateOrderAsync(
                new
                {
                    name,
                    amount,
                    currency = "EUR",
                    seller_id = SellerId,
                }
            )
        ).Str("id");

    public async Task<string> PublishedAsync(string name, long amount)
    {
        var id = await DraftAsync(name, amount);
        await Api.PayByCardAsync(id);
        return id;
    }

    public async Task<string> AcceptedAsync(string name, long amount)
    {
        var id = await PublishedAsync(name, amount);
        await Api.PostAsync($"/v1/orders/{id}/accept", null, HttpStatusCode.OK);
        return id;
    }

    /// <summary>Accepted, with a WALLET payout to the seller (or ACCOUNT to <paramref name="iban"/>).</summary>
    public async Task<string> AwaitingValidationAsync(string name, long amount, string? iban = null)
    {
        var id = await AcceptedAsync(name, amount);
        if (iban is null)
        {
            _sellerWallet ??= (
                await Api.PostAsync(
                    "/v1/wallets",
                    new { customer_id = SellerId, currency = "EUR" },
                    HttpStatusCode.Created
                )
            ).Str("id");
            await Api.PostAsync(
                "/v1/payouts",
                new
                {
                    order_id = id,
                    type = "WALLET",
                    wallet_id = _sellerWallet,
                },
                HttpStatusCode.Created
            );
        }
        else
        {
            var account = await Api.PostAsync(
                $"/v1/customers/{SellerId}/bank_accounts",
                new { holder_name = "Sam Seller", iban },
                HttpStatusCode.Created
            );
            await Api.PostAsync(
                "/v1/payouts",
                new
                {
                    order_id = id,
                    type = "ACCOUNT",
                    bankaccount_id = account.Str("id"),
                },
                HttpStatusCode.Created
            );
        }

        return id;
    }

    public async Task<string> StatusAsync(string orderId) => (await Api.OrderAsync(orderId)).Str("status");
}

/// <summary>Dashboard scenarios: signing in, and reading statuses and colours off the pages.</summary>
public abstract class DashboardTest(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    /// <summary>Signs in through the form and waits for the order list.</summary>
    protected static async Task SignInAsync(IPage page, string baseUrl, string key)
    {
        await page.GotoAsync($"{baseUrl}/dashboard/signin");
        await page.GetByLabel("Secret key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{baseUrl}/dashboard/orders");
        await Expect(Heading(page, "Orders")).ToBeVisibleAsync();
    }

    /// <summary>The wire status shown by a badge inside <paramref name="scope"/>.</summary>
    protected static Task<string?> BadgeStatusAsync(ILocator scope) =>
        scope.Locator(".status").First.GetAttributeAsync("data-status");

    /// <summary>The computed background and text colours of the badges in <paramref name="badges"/>.</summary>
    protected static async Task<IReadOnlyList<(string Status, string Background, string Text)>> ColoursAsync(
        ILocator badges
    )
    {
        var found = await badges.EvaluateAllAsync<JsonElement>(
            """
            els => els.map(e => {
                const style = getComputedStyle(e);
                return { status: e.dataset.status, background: style.backgroundColor, text: style.color };
            })
            """
        );
        return found.EnumerateArray().Select(e => (e.Str("status"), e.Str("background"), e.Str("text"))).ToList();
    }

    /// <summary>WCAG contrast ratio of two CSS <c>rgb(r, g, b)</c> colours.</summary>
    protected static double Contrast(string a, string b)
    {
        static double Luminance(string css)
        {
            var channels = css[(css.IndexOf('(') + 1)..css.IndexOf(')')]
                .Split(',')
                .Take(3)
                .Select(c => double.Parse(c.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 255)
                .Select(c => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4))
                .ToArray();
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
        }

        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>Opens the confirmation step of an action from the order page and confirms it.</summary>
    protected static async Task<IResponse> ConfirmActionAsync(
        IPage page,
        string action,
        string confirm,
        string? reason = null
    )
    {
        await page.GetByTestId("actions").GetByRole(AriaRole.Link, new() { Name = action, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();
        if (reason is not null)
        {
            await page.GetByLabel("Reason").FillAsync(reason);
        }

        return await SubmitAsync(page, confirm);
    }

    /// <summary>Reloads the page until the order's badge shows <paramref name="status"/> (workers run on their own).
    /// </summary>
    protected static async Task ReloadUntilStatusAsync(IPage page, string status)
    {
        await EventuallyAsync(async () =>
        {
            if (await BadgeStatusAsync(page.GetByTestId("order-status")) == status)
            {
                return true;
            }

            await page.ReloadAsync();
            return false;
        });
    }
}
