using System.Diagnostics;
using System.Net;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Tests.Wallets;

/// <summary>A buyer and a seller of one platform, each with a EUR wallet.</summary>
public sealed record Parties(
    CustomerResponse Buyer,
    WalletResponse BuyerWallet,
    CustomerResponse Seller,
    WalletResponse SellerWallet
);

/// <summary>
/// The steps of the money flows over HTTP, each asserting the status it expects so a failing test stops at the
/// step that went wrong. Card payments go through the sandbox with the always-approved test card.
/// </summary>
public static class MoneyFlows
{
    public const string ApprovedCard = "4242424242424242";

    public static async Task<Parties> CreatePartiesAsync(this HttpClient client)
    {
        var buyer = await client.CreateCustomerAsync("Buyer");
        var seller = await client.CreateCustomerAsync("Seller");
        return new Parties(
            buyer,
            await client.CreateWalletAsync(buyer.Id),
            seller,
            await client.CreateWalletAsync(seller.Id)
        );
    }

    /// <summary>A customer with a EUR wallet topped up by card with <paramref name="amountMinor"/> (0: none).</summary>
    public static async Task<WalletResponse> CreateFundedWalletAsync(
        this HttpClient client,
        long amountMinor,
        string name = "Wallet owner"
    )
    {
        var owner = await client.CreateCustomerAsync(name);
        var wallet = await client.CreateWalletAsync(owner.Id);
        if (amountMinor > 0)
        {
            await client.TopUpByCardAsync(wallet.Id, amountMinor);
        }

        return wallet;
    }

    /// <summary>Starts a top-up (ADDON or BANKWIRE): the payin is PENDING until the card or the wire arrives.</summary>
    public static async Task<PayinResponse> StartTopUpAsync(
        this HttpClient client,
        string walletId,
        string type,
        long amountMinor
    ) =>
        await (
            await client.PostJsonAsync($"/v1/wallets/{walletId}/topups", new { type, amount = amountMinor })
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);

    public static async Task<PayinResponse> TopUpByCardAsync(this HttpClient client, string walletId, long amountMinor)
    {
        var topup = await client.StartTopUpAsync(walletId, "ADDON", amountMinor);
        var paid = await client.PayByCardAsync(topup.Id);
        Assert.Equal(PayinStatus.Succeeded, paid.Status);
        return paid;
    }

    public static async Task<PayinResponse> PayByCardAsync(
        this HttpClient client,
        string payinId,
        string number = ApprovedCard
    ) =>
        await (
            await client.PostJsonAsync(
                $"/v1/sandbox/payins/{payinId}/card",
                new
                {
                    number,
                    exp_month = 12,
                    exp_year = DateTime.UtcNow.Year + 3,
                    cvc = "123",
                }
            )
        ).ReadAsync<PayinResponse>();

    public static async Task<OrderResponse> CreateOrderAsync(
        this HttpClient client,
        Parties parties,
        long amountMinor,
        long? feeAmount = null,
        object[]? splits = null,
        string name = "Vintage bicycle"
    )
    {
        var response = await client.PostJsonAsync(
            "/v1/orders",
            new
            {
                name,
                amount = amountMinor,
                currency = "EUR",
                buyer_id = parties.Buyer.Id,
                seller_id = parties.Seller.Id,
                fee_amount = feeAmount,
                splits,
            }
        );
        return await response.ReadAsync<OrderResponse>(HttpStatusCode.Created);
    }

    /// <summary>Pays the order by card through the sandbox: the order is PUBLISHED and holds its amount.</summary>
    public static async Task<PayinResponse> PayOrderByCardAsync(this HttpClient client, string orderId)
    {
        var payin = await (
            await client.PostJsonAsync("/v1/payins", new { order_id = orderId, type = "ADDON" })
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);
        var paid = await client.PayByCardAsync(payin.Id);
        Assert.Equal(PayinStatus.Succeeded, paid.Status);
        return paid;
    }

    public static async Task<OrderResponse> ActAsync(this HttpClient client, string orderId, string action) =>
        await (await client.PostJsonAsync($"/v1/orders/{orderId}/{action}", new { })).ReadAsync<OrderResponse>();

    /// <summary>Accepts, asks for a WALLET payout, validates, and waits for the release worker to pay it.</summary>
    public static async Task<OrderResponse> ReleaseToWalletAsync(
        this HttpClient client,
        string orderId,
        string sellerWalletId
    )
    {
        await client.ActAsync(orderId, "accept");
        await (
            await client.PostJsonAsync(
                "/v1/payouts",
                new
                {
                    order_id = orderId,
                    type = "WALLET",
                    wallet_id = sellerWalletId,
                }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);
        await client.ActAsync(orderId, "validate");
        return await client.WaitForOrderAsync(orderId, OrderStatus.Released);
    }

    /// <summary>Polls the order until the release worker (or anything) brings it to this status.</summary>
    public static async Task<OrderResponse> WaitForOrderAsync(
        this HttpClient client,
        string orderId,
        OrderStatus status
    )
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var order = await client.GetJsonAsync<OrderResponse>($"/v1/orders/{orderId}");
            if (order.Status == status)
            {
                return order;
            }

            Assert.True(
                watch.Elapsed < TimeSpan.FromSeconds(15),
                $"Order {orderId} stayed {order.Status}; expected {status}."
            );
            await Task.Delay(20);
        }
    }

    public static async Task<TransferResponse> TransferAsync(
        this HttpClient client,
        string fromWalletId,
        string toWalletId,
        long amountMinor
    ) =>
        await (
            await client.PostJsonAsync(
                "/v1/transfers",
                new
                {
                    from_wallet_id = fromWalletId,
                    to_wallet_id = toWalletId,
                    amount = amountMinor,
                }
            )
        ).ReadAsync<TransferResponse>(HttpStatusCode.Created);

    /// <summary>A page of the wallet's history; <paramref name="query"/> is appended as is (e.g. "?limit=3").</summary>
    public static Task<Page<WalletTransactionResponse>> HistoryAsync(
        this HttpClient client,
        string walletId,
        string query = ""
    ) => client.GetJsonAsync<Page<WalletTransactionResponse>>($"/v1/wallets/{walletId}/transactions{query}");

    public static async Task<long> BalanceAsync(this HttpClient client, string walletId) =>
        (await client.GetJsonAsync<WalletResponse>($"/v1/wallets/{walletId}")).Balance;

    /// <summary>The platform's fee wallet in EUR, or null while no fee was ever taken.</summary>
    public static async Task<WalletResponse?> FeeWalletAsync(this HttpClient client) =>
        (await client.GetJsonAsync<Page<WalletResponse>>("/v1/wallets?limit=100")).Data.SingleOrDefault(w =>
            w.Kind == WalletKind.PlatformFees && w.Currency == "EUR"
        );

    public static async Task<long> FeeBalanceAsync(this HttpClient client) =>
        (await client.FeeWalletAsync())?.Balance ?? 0;
}
