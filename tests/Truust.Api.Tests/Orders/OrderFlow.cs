using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Sandbox;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Drives one platform's orders through the lifecycle over HTTP, the way a platform backend and the sandbox
/// would. Each step asserts the status it expects, so a scenario fails at the step that went wrong.
/// </summary>
public sealed class OrderFlow(
    TruustApiFactory factory,
    HttpClient client,
    CustomerResponse buyer,
    CustomerResponse seller
) : IDisposable
{
    public const string SuccessCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string ThreeDSecureCard = "4000002760003184";

    public HttpClient Client { get; } = client;

    public CustomerResponse Buyer { get; } = buyer;

    public CustomerResponse Seller { get; } = seller;

    /// <summary>A new platform (with the given fees) with a buyer and a seller.</summary>
    public static async Task<OrderFlow> StartAsync(
        TruustApiFactory factory,
        long feePercentBp = 0,
        long feeFixedMinor = 0
    )
    {
        var client = await factory.CreatePlatformAsync(feePercentBp: feePercentBp, feeFixedMinor: feeFixedMinor);
        var buyer = await client.CreateCustomerAsync("Bea Buyer");
        var seller = await client.CreateCustomerAsync("Sam Seller");
        return new OrderFlow(factory, client, buyer, seller);
    }

    public async Task<OrderResponse> CreateOrderAsync(long amountMinor = 10_000, bool withBuyer = true)
    {
        var response = await Client.PostJsonAsync(
            "/v1/orders",
            new
            {
                name = "Vintage bicycle",
                amount = amountMinor,
                currency = "EUR",
                buyer_id = withBuyer ? Buyer.Id : null,
                seller_id = Seller.Id,
            }
        );
        var order = await response.ReadAsync<OrderResponse>(HttpStatusCode.Created);
        // An order whose buyer is known is "buyer identified, pending payment" from the start.
        Assert.Equal(withBuyer ? OrderStatus.PendingPublish : OrderStatus.Draft, order.Status);
        return order;
    }

    public Task<HttpResponseMessage> PostPayinAsync(string orderId, string type, string? walletId = null) =>
        Client.PostJsonAsync(
            "/v1/payins",
            walletId is null
                ? new { order_id = orderId, type }
                : new
                {
                    order_id = orderId,
                    type,
                    wallet_id = walletId,
                }
        );

    public async Task<PayinResponse> CreatePayinAsync(string orderId, string type, string? walletId = null) =>
        await (await PostPayinAsync(orderId, type, walletId)).ReadAsync<PayinResponse>(HttpStatusCode.Created);

    public Task<HttpResponseMessage> PostCardAsync(string payinId, string number) =>
        Client.PostJsonAsync(
            $"/v1/sandbox/payins/{payinId}/card",
            new
            {
                number,
                exp_month = 12,
                exp_year = factory.Clock.GetUtcNow().Year + 3,
                cvc = "123",
                holder_name = "Bea Buyer",
            }
        );

    public async Task<PayinResponse> PayCardAsync(string payinId, string number) =>
        await (await PostCardAsync(payinId, number)).ReadAsync<PayinResponse>();

    public async Task<PayinResponse> AnswerChallengeAsync(string payinId, bool authenticated) =>
        await (
            await Client.PostJsonAsync($"/v1/sandbox/payins/{payinId}/3ds", new { authenticated })
        ).ReadAsync<PayinResponse>();

    public async Task<IncomingWireResponse> SendWireAsync(
        string reference,
        long amountMinor,
        string senderIban = TestIbans.Germany
    ) =>
        await (
            await Client.PostJsonAsync(
                "/v1/sandbox/bankwires",
                new
                {
                    reference,
                    amount = amountMinor,
                    currency = "EUR",
                    sender_iban = senderIban,
                }
            )
        ).ReadAsync<IncomingWireResponse>(HttpStatusCode.Created);

    /// <summary>An order paid by card: PUBLISHED, its whole amount in escrow.</summary>
    public async Task<OrderResponse> PaidOrderAsync(long amountMinor = 10_000)
    {
        var order = await CreateOrderAsync(amountMinor);
        var payin = await CreatePayinAsync(order.Id, "ADDON");
        await PayCardAsync(payin.Id, SuccessCard);
        var paid = await GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, amountMinor), (paid.Status, paid.Held));
        return paid;
    }

    /// <summary>The buyer's wallet, topped up by card with <paramref name="amountMinor"/>.</summary>
    public async Task<WalletResponse> FundedBuyerWalletAsync(long amountMinor)
    {
        var wallet = await Client.CreateWalletAsync(Buyer.Id);
        var topup = await (
            await Client.PostJsonAsync($"/v1/wallets/{wallet.Id}/topups", new { type = "ADDON", amount = amountMinor })
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);
        await PayCardAsync(topup.Id, SuccessCard);
        var funded = await GetWalletAsync(wallet.Id);
        Assert.Equal(amountMinor, funded.Balance);
        return funded;
    }

    public Task<HttpResponseMessage> PostActionAsync(string orderId, string action, HttpClient? caller = null) =>
        (caller ?? Client).PostAsync($"/v1/orders/{orderId}/{action}", null);

    public async Task<OrderResponse> ActAsync(string orderId, string action, HttpClient? caller = null) =>
        await (await PostActionAsync(orderId, action, caller)).ReadAsync<OrderResponse>();

    public async Task<PayoutResponse> CreatePayoutAsync(
        string orderId,
        string? bankAccountId = null,
        string? walletId = null
    )
    {
        object body = bankAccountId is not null
            ? new
            {
                order_id = orderId,
                type = "ACCOUNT",
                bankaccount_id = bankAccountId,
            }
            : new
            {
                order_id = orderId,
                type = "WALLET",
                wallet_id = walletId,
            };
        return await (await Client.PostJsonAsync("/v1/payouts", body)).ReadAsync<PayoutResponse>(
            HttpStatusCode.Created
        );
    }

    /// <summary>A paid, accepted order with a payout: PENDING_VALIDATE, ready to validate.</summary>
    public async Task<(OrderResponse Order, PayoutResponse Payout)> AwaitingValidationAsync(
        long amountMinor = 10_000,
        string? bankAccountId = null,
        string? walletId = null
    )
    {
        var order = await PaidOrderAsync(amountMinor);
        await ActAsync(order.Id, "accept");
        var payout = await CreatePayoutAsync(order.Id, bankAccountId, walletId);
        var awaiting = await GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.PendingValidate, awaiting.Status);
        return (awaiting, payout);
    }

    public Task<OrderResponse> GetOrderAsync(string id) => Client.GetJsonAsync<OrderResponse>($"/v1/orders/{id}");

    public Task<PayinResponse> GetPayinAsync(string id) => Client.GetJsonAsync<PayinResponse>($"/v1/payins/{id}");

    public Task<PayoutResponse> GetPayoutAsync(string id) => Client.GetJsonAsync<PayoutResponse>($"/v1/payouts/{id}");

    public Task<WalletResponse> GetWalletAsync(string id) => Client.GetJsonAsync<WalletResponse>($"/v1/wallets/{id}");

    public async Task<List<LedgerTransferResponse>> LedgerAsync(string orderId) =>
        (await Client.GetJsonAsync<Page<LedgerTransferResponse>>($"/v1/orders/{orderId}/ledger")).Data.ToList();

    public async Task<List<OrderStatusChangeResponse>> HistoryAsync(string orderId) =>
        (await Client.GetJsonAsync<Page<OrderStatusChangeResponse>>($"/v1/orders/{orderId}/history")).Data.ToList();

    public async Task<List<RefundResponse>> RefundsAsync(string orderId) =>
        (await Client.GetJsonAsync<Page<RefundResponse>>($"/v1/orders/{orderId}/refunds")).Data.ToList();

    /// <summary>The history as "FROM->TO:action" steps, for one readable assertion.</summary>
    public async Task<List<string>> StepsAsync(string orderId) =>
        (await HistoryAsync(orderId)).Select(c => $"{Wire(c.From)}->{Wire(c.To)}:{c.Action}").ToList();

    /// <summary>
    /// Waits for a background worker to bring the order to <paramref name="status"/>; fails after a few seconds
    /// with the status it is stuck in.
    /// </summary>
    public async Task<OrderResponse> WaitForStatusAsync(string orderId, OrderStatus status, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var order = await GetOrderAsync(orderId);
            if (order.Status == status)
            {
                return order;
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"Order {orderId} did not reach {status} within {timeoutSeconds} s; it is {order.Status}."
            );
            await Task.Delay(25);
        }
    }

    public async Task<PayoutResponse> WaitForPayoutAsync(
        string payoutId,
        Domain.Payments.PayoutStatus status,
        int timeoutSeconds = 10
    )
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var payout = await GetPayoutAsync(payoutId);
            if (payout.Status == status)
            {
                return payout;
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"Payout {payoutId} did not reach {status} within {timeoutSeconds} s; it is {payout.Status}."
            );
            await Task.Delay(25);
        }
    }

    /// <summary>Runs one round of a background job now, as its runner would.</summary>
    public async Task<int> RunJobAsync<TJob>()
        where TJob : IWorkerJob
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>The money trail as "KIND debit -> credit amount" lines, in the order the API lists them.</summary>
    public static List<string> Trail(IEnumerable<LedgerTransferResponse> transfers) =>
        transfers.Select(t => $"{WireName.Of(t.Kind)} {t.DebitAccount} -> {t.CreditAccount} {t.Amount}").ToList();

    public static string Wire(OrderStatus status) => WireName.Of(status);

    public void Dispose() => Client.Dispose();
}
