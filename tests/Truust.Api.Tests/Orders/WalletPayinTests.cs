using System.Net;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>WALLET payins: the buyer's wallet is debited and the order published in one commit, or nothing.</summary>
public sealed class WalletPayinTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_wallet_with_enough_funds_pays_the_order_at_once()
    {
        using var flow = await StartAsync(factory);
        var wallet = await flow.FundedBuyerWalletAsync(20_000);
        var order = await flow.CreateOrderAsync(15_000);

        var payin = await flow.CreatePayinAsync(order.Id, "WALLET", wallet.Id);

        Assert.Equal(
            (PayinStatus.Succeeded, PayinType.Wallet, wallet.Id, 15_000L),
            (payin.Status, payin.Type, payin.WalletId, payin.Amount)
        );
        Assert.Equal(5_000, (await flow.GetWalletAsync(wallet.Id)).Balance);
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 15_000L, payin.Id), (published.Status, published.Held, published.PayinId));
        Assert.Equal([$"PAYIN wallet:{wallet.Id} -> escrow:{order.Id} 15000"], Trail(await flow.LedgerAsync(order.Id)));
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->PUBLISHED:confirm_payin"],
            await flow.StepsAsync(order.Id)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wallet_without_enough_funds_is_422_insufficient_funds_and_nothing_changes()
    {
        using var flow = await StartAsync(factory);
        var wallet = await flow.FundedBuyerWalletAsync(14_999);
        var order = await flow.CreateOrderAsync(15_000);

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostPayinAsync(order.Id, "WALLET", wallet.Id)).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "insufficient_funds"
            )
        );

        Assert.Contains("14999", problem.Detail);
        var draft = await flow.GetOrderAsync(order.Id);
        // Still "buyer identified, pending payment", as created: only the identification is in the history.
        Assert.Equal((OrderStatus.PendingPublish, 0L, (string?)null), (draft.Status, draft.Held, draft.PayinId));
        Assert.Equal(14_999, (await flow.GetWalletAsync(wallet.Id)).Balance);
        Assert.Equal(["DRAFT->PENDING_PUBLISH:identify_buyer"], await flow.StepsAsync(order.Id));
        Assert.Empty(await flow.LedgerAsync(order.Id));
        Assert.Equal(0, await factory.CountAsync("payins", $"order_id = '{order.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_empty_wallet_is_422_and_the_order_can_still_be_paid_by_card()
    {
        using var flow = await StartAsync(factory);
        var wallet = await flow.Client.CreateWalletAsync(flow.Buyer.Id);
        var order = await flow.CreateOrderAsync(1_000);

        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostPayinAsync(order.Id, "WALLET", wallet.Id)).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "insufficient_funds"
            )
        );
        var card = await flow.CreatePayinAsync(order.Id, "ADDON");
        await flow.PayCardAsync(card.Id, SuccessCard);

        Assert.Equal(OrderStatus.Published, (await flow.GetOrderAsync(order.Id)).Status);
        Assert.Equal(0, (await flow.GetWalletAsync(wallet.Id)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wallet_that_is_not_the_buyers_cannot_pay_and_nothing_changes()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(1_000);
        var sellersWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);

        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostPayinAsync(order.Id, "WALLET", sellersWallet.Id)).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "wallet_not_buyers"
            )
        );
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
    }
}
