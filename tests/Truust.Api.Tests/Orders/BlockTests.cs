using System.Net;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Orders;
using Truust.Api.Payouts;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Workers;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// The API with its background workers switched off, so a test decides when the release worker runs: the only way
/// to hold an order in PENDING_RELEASE long enough to block it deterministically.
/// </summary>
public sealed class ManualWorkersFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:Enabled", "false");
    }
}

/// <summary>Operator-only block and unblock of a release, and what a platform key gets when it tries.</summary>
public sealed class BlockTests(ManualWorkersFactory factory) : IClassFixture<ManualWorkersFactory>
{
    [Fact]
    public async Task The_operator_blocks_a_release_the_worker_then_leaves_alone_and_unblocking_lets_it_go_ahead()
    {
        using var flow = await StartAsync(factory);
        using var operatorClient = factory.OperatorClient();
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, payout) = await flow.AwaitingValidationAsync(7_000, walletId: sellerWallet.Id);
        var validated = await flow.ActAsync(order.Id, "validate");
        Assert.Equal(OrderStatus.PendingRelease, validated.Status);
        Assert.Equal(["refund"], validated.AllowedActions);

        var platformBlock = await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostActionAsync(order.Id, "block")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        var blocked = await OperatorActAsync(operatorClient, order.Id, "block", "KYC review of the seller");

        Assert.Equal("PENDING_RELEASE", platformBlock.Body.GetProperty("current_status").GetString());
        Assert.Equal(
            (OrderStatus.BlockedRelease, "KYC review of the seller", 7_000L),
            (blocked.Status, blocked.BlockedReason, blocked.Held)
        );
        Assert.Equal(["unblock", "cancel", "refund"], blocked.AllowedActions);
        Assert.Equal(0, await flow.RunJobAsync<ReleaseJob>());
        var stillBlocked = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.BlockedRelease, 7_000L), (stillBlocked.Status, stillBlocked.Held));
        Assert.Equal(0, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(PayoutStatus.Pending, (await flow.GetPayoutAsync(payout.Id)).Status);
        await LedgerInvariants.AssertAsync(factory);

        var platformUnblock = await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostActionAsync(order.Id, "unblock")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        var unblocked = await OperatorActAsync(operatorClient, order.Id, "unblock", "KYC passed");

        Assert.Equal("BLOCKED_RELEASE", platformUnblock.Body.GetProperty("current_status").GetString());
        Assert.Equal(
            ["refund"],
            platformUnblock.Body.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString())
        );
        Assert.Equal((OrderStatus.PendingRelease, (string?)null), (unblocked.Status, unblocked.BlockedReason));
        Assert.Equal(1, await flow.RunJobAsync<ReleaseJob>());
        var released = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L), (released.Status, released.Held));
        Assert.Equal(7_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(PayoutStatus.Paid, (await flow.GetPayoutAsync(payout.Id)).Status);
        Assert.Equal(
            [
                $"PAYIN world:card -> escrow:{order.Id} 7000",
                $"RELEASE escrow:{order.Id} -> wallet:{sellerWallet.Id} 7000",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        var history = await flow.HistoryAsync(order.Id);
        Assert.Equal(
            [
                ("block", OrderActor.Operator, "KYC review of the seller"),
                ("unblock", OrderActor.Operator, "KYC passed"),
                ("release", OrderActor.System, null),
            ],
            history.TakeLast(3).Select(c => (c.Action, c.Actor, c.Reason))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_blocked_order_cancelled_by_the_operator_refunds_the_buyer_and_pays_the_seller_nothing()
    {
        using var flow = await StartAsync(factory);
        using var operatorClient = factory.OperatorClient();
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(4_000, walletId: sellerWallet.Id);
        await flow.ActAsync(order.Id, "validate");
        await OperatorActAsync(operatorClient, order.Id, "block", "chargeback risk");

        var platformCancel = await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostActionAsync(order.Id, "cancel")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        var cancelled = await OperatorActAsync(operatorClient, order.Id, "cancel", "fraud confirmed");

        Assert.Equal("BLOCKED_RELEASE", platformCancel.Body.GetProperty("current_status").GetString());
        Assert.Equal((OrderStatus.Cancelled, 0L, 4_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal(0, await flow.RunJobAsync<ReleaseJob>());
        Assert.Equal(0, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(RefundStatus.Succeeded, Assert.Single(await flow.RefundsAsync(order.Id)).Status);
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 4000", $"REFUND escrow:{order.Id} -> world:card 4000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_release_the_bank_refused_is_tried_again_after_the_operator_unblocks_it()
    {
        using var flow = await StartAsync(factory);
        using var operatorClient = factory.OperatorClient();
        var closed = Domain.Banking.Iban.FromBban("DE", "37040044" + "0000000666").Value;
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, closed);
        var (order, payout) = await flow.AwaitingValidationAsync(2_000, bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");

        Assert.Equal(1, await flow.RunJobAsync<ReleaseJob>());
        var blocked = await flow.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.BlockedRelease, blocked.Status);
        Assert.Contains("account_closed", blocked.BlockedReason);

        await OperatorActAsync(operatorClient, order.Id, "unblock", "seller says the account works again");
        Assert.Equal(PayoutStatus.Pending, (await flow.GetPayoutAsync(payout.Id)).Status);
        Assert.Equal(1, await flow.RunJobAsync<ReleaseJob>());

        // Still the same closed account: the bank refuses the second attempt too, and nothing left escrow.
        var blockedAgain = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.BlockedRelease, 2_000L), (blockedAgain.Status, blockedAgain.Held));
        Assert.Equal(
            2,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"reference LIKE '{payout.Id}-%' AND status = 'REFUSED'"
            )
        );
        Assert.Equal([$"PAYIN world:card -> escrow:{order.Id} 2000"], Trail(await flow.LedgerAsync(order.Id)));
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<OrderResponse> OperatorActAsync(
        HttpClient operatorClient,
        string orderId,
        string action,
        string reason
    ) =>
        await (
            await operatorClient.PostJsonAsync($"/v1/orders/{orderId}/{action}", new { reason })
        ).ReadAsync<OrderResponse>();
}
