using TruustClient;
using LedgerInvariants = Truust.Api.Tests.Infrastructure.LedgerInvariants;
using TruustApiFactory = Truust.Api.Tests.Infrastructure.TruustApiFactory;

namespace Truust.Api.Tests.Contract;

/// <summary>
/// An integrator's view: the C# client NSwag generates from docs/openapi.json (at build, see the project file) drives
/// the escrow lifecycle, an idempotent retry and a refused action against the real API and PostgreSQL. No casts, no
/// hand-written DTOs: if the document lacked a response schema, a required member, an enum or the problem schema,
/// this would not compile or would not read the answers.
/// </summary>
public sealed class GeneratedClientTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task The_generated_client_drives_an_order_from_payment_to_release_and_a_retried_transfer()
    {
        using var http = await factory.CreatePlatformAsync();
        var customers = new CustomersClient(http);
        var wallets = new WalletsClient(http);
        var orders = new OrdersClient(http);
        var payins = new OrderPayinsClient(http);
        var sandbox = new SandboxClient(http);
        var payouts = new PayoutsClient(http);
        var transfers = new TransfersClient(http);

        var seller = (
            await customers.CreateAsync(
                null,
                new CreateCustomerRequest { Name = "Sam Seller", Email = "sam@example.com" }
            )
        ).Result;
        var buyer = (
            await customers.CreateAsync(
                null,
                new CreateCustomerRequest { Name = "Bea Buyer", Email = "bea@example.com" }
            )
        ).Result;
        var sellerWallet = (
            await wallets.CreateAsync(
                null,
                new CreateWalletRequest { Customer_id = seller.Id, Currency = Currency.EUR }
            )
        ).Result;
        var order = (
            await orders.CreateAsync(
                null,
                new CreateOrderRequest
                {
                    Name = "Vintage bicycle",
                    Amount = 15_000,
                    Currency = Currency.EUR,
                    Buyer_id = buyer.Id,
                    Seller_id = seller.Id,
                }
            )
        ).Result;
        // The buyer is identified at creation: "buyer identified, pending payment".
        Assert.Equal(OrderStatus.PENDING_PUBLISH, order.Status);

        var payin = (
            await payins.CreateAsync(null, new CreatePayinRequest { Order_id = order.Id, Type = PayinType.ADDON })
        ).Result;
        Assert.Null(payin.Card);
        var paid = (
            await sandbox.PayByCardAsync(
                payin.Id,
                null,
                new SandboxCardRequest
                {
                    Number = "4242424242424242",
                    Exp_month = 12,
                    Exp_year = 2030,
                    Cvc = "123",
                }
            )
        ).Result;
        Assert.Equal(PayinStatus.SUCCEEDED, paid.Status);
        Assert.Equal("4242", paid.Card!.Last4);

        Assert.Equal(OrderStatus.ACCEPTED, (await orders.AcceptAsync(order.Id, null, null)).Result.Status);
        var payout = (
            await payouts.CreateAsync(
                null,
                new CreatePayoutRequest
                {
                    Order_id = order.Id,
                    Type = PayoutType.WALLET,
                    Wallet_id = sellerWallet.Id,
                }
            )
        ).Result;
        Assert.Equal(PayoutStatus.PENDING, payout.Status);
        Assert.Equal(OrderStatus.PENDING_RELEASE, (await orders.ValidateAsync(order.Id, null, null)).Result.Status);

        var released = await WaitForAsync(orders, order.Id, OrderStatus.RELEASED);
        Assert.Equal([OrderAction.Refund], released.Allowed_actions);
        var paidOut = (await payouts.GetAsync(payout.Id)).Result;
        Assert.Equal(PayoutStatus.PAID, paidOut.Status);
        Assert.True(paidOut.Amount is > 0 and <= 15_000);
        Assert.Equal(paidOut.Amount, (await wallets.GetAsync(sellerWallet.Id)).Result.Balance);
        var history = (await orders.HistoryAsync(order.Id, null, null)).Result;
        Assert.Equal(OrderStatus.RELEASED, history.Data.Last().To);
        Assert.False(history.Has_more);
        Assert.NotEmpty((await orders.LedgerAsync(order.Id, null, null)).Result.Data);

        // A transfer retried with the same Idempotency-Key: the same answer, marked as replayed, applied once.
        var buyerWallet = (
            await wallets.CreateAsync(null, new CreateWalletRequest { Customer_id = buyer.Id, Currency = Currency.EUR })
        ).Result;
        var request = new CreateTransferRequest
        {
            From_wallet_id = sellerWallet.Id,
            To_wallet_id = buyerWallet.Id,
            Amount = 2_500,
            Description = "shared shipping",
        };
        var key = $"transfer-{Guid.NewGuid():N}";
        var first = await transfers.CreateAsync(key, request);
        var retry = await transfers.CreateAsync(key, request);
        Assert.Equal(201, first.StatusCode);
        Assert.Equal(201, retry.StatusCode);
        Assert.Equal(first.Result.Id, retry.Result.Id);
        Assert.False(first.Headers.ContainsKey("Idempotent-Replayed"));
        Assert.Equal(["true"], retry.Headers["Idempotent-Replayed"]);
        Assert.Equal(paidOut.Amount - 2_500, (await wallets.GetAsync(sellerWallet.Id)).Result.Balance);
        Assert.Equal(2_500, (await wallets.GetAsync(buyerWallet.Id)).Result.Balance);

        // An action the status does not allow: a typed 409 problem listing what is allowed.
        var refused = await Assert.ThrowsAsync<TruustApiException<Problem>>(() =>
            orders.AcceptAsync(order.Id, null, null)
        );
        Assert.Equal(409, refused.StatusCode);
        Assert.Equal("invalid_transition", refused.Result.Code);
        Assert.Equal("RELEASED", refused.Result.Current_status);
        Assert.NotNull(refused.Result.Allowed_actions);
        Assert.Equal([AllowedAction.Refund], refused.Result.Allowed_actions);

        var draft = (
            await orders.CreateAsync(
                null,
                new CreateOrderRequest
                {
                    Name = "Lamp",
                    Amount = 1_000,
                    Currency = Currency.EUR,
                    Seller_id = seller.Id,
                }
            )
        ).Result;
        var early = await Assert.ThrowsAsync<TruustApiException<Problem>>(() =>
            orders.ValidateAsync(draft.Id, null, null)
        );
        Assert.Equal(409, early.StatusCode);
        Assert.Contains(AllowedAction.Cancel, early.Result.Allowed_actions!);
        Assert.Equal(
            draft.Allowed_actions.Select(a => a.ToString()),
            early.Result.Allowed_actions!.Select(a => a.ToString())
        );

        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<OrderResponse> WaitForAsync(OrdersClient orders, string id, OrderStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var order = (await orders.GetAsync(id)).Result;
            if (order.Status == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, order.Status);
                return order;
            }

            await Task.Delay(25);
        }
    }
}
