using System.Net;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Api.Workers;
using Truust.Domain.Banking;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Accept, payout, validate, and the automatic release by the background worker: to a bank account (which then
/// settles, or refuses, or returns the money) or to a wallet (with the platform's fee).
/// </summary>
public sealed class ReleaseTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const int SettlementHours = 48;

    private static readonly string[] StepsToRelease =
    [
        "DRAFT->PENDING_PUBLISH:identify_buyer",
        "PENDING_PUBLISH->PUBLISHED:confirm_payin",
        "PUBLISHED->ACCEPTED:accept",
        "ACCEPTED->PENDING_VALIDATE:create_payout",
        "PENDING_VALIDATE->PENDING_RELEASE:validate",
        "PENDING_RELEASE->RELEASED:release",
    ];

    [Fact]
    public async Task An_account_payout_is_released_automatically_after_validation_and_settles_through_the_sandbox()
    {
        using var flow = await StartAsync(factory);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Spain);
        var order = await flow.PaidOrderAsync(10_000);

        var accepted = await flow.ActAsync(order.Id, "accept");
        var payout = await flow.CreatePayoutAsync(order.Id, bankAccountId: account.Id);
        var awaiting = await flow.GetOrderAsync(order.Id);
        var validated = await flow.ActAsync(order.Id, "validate");
        var released = await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        Assert.Equal(OrderStatus.Accepted, accepted.Status);
        Assert.Equal(["create_payout", "deliver", "cancel", "refund"], accepted.AllowedActions);
        Assert.Equal(
            (PayoutType.Account, PayoutStatus.Pending, account.Id, flow.Seller.Id),
            (payout.Type, payout.Status, payout.BankaccountId, payout.CustomerId)
        );
        Assert.Equal((OrderStatus.PendingValidate, payout.Id), (awaiting.Status, awaiting.PayoutId));
        Assert.Equal(["deliver", "open_dispute", "validate", "refund", "cancel"], awaiting.AllowedActions);
        Assert.Equal(OrderStatus.PendingRelease, validated.Status);
        Assert.Equal((0L, 0L), (released.Held, released.Refunded));
        Assert.NotNull(released.ReleasedAt);
        Assert.Equal(["refund"], released.AllowedActions);
        var inTransit = await flow.GetPayoutAsync(payout.Id);
        Assert.Equal((PayoutStatus.InTransit, 10_000L), (inTransit.Status, inTransit.Amount));
        // PostgreSQL keeps microseconds; the test clock has 100 ns ticks.
        Assert.Equal(
            factory.Clock.GetUtcNow().AddHours(SettlementHours),
            inTransit.SettlesAt!.Value,
            TimeSpan.FromMilliseconds(1)
        );
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 10000", $"RELEASE escrow:{order.Id} -> world:bank_payouts 10000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal(StepsToRelease, await flow.StepsAsync(order.Id));
        Assert.Equal(OrderActor.System, (await flow.HistoryAsync(order.Id))[^1].Actor);
        Assert.Equal(
            1,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"iban = '{TestIbans.Spain}' AND amount_minor = 10000 AND reference LIKE '{payout.Id}-%'"
            )
        );

        var settled = await (
            await flow.Client.PostAsync($"/v1/sandbox/payouts/{payout.Id}/settle", null)
        ).ReadAsync<PayoutResponse>();

        Assert.Equal(PayoutStatus.Paid, settled.Status);
        Assert.NotNull(settled.PaidAt);
        await factory.AssertUnchangedAsync(async () =>
            await (await flow.Client.PostAsync($"/v1/sandbox/payouts/{payout.Id}/settle", null)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "payout_not_in_transit"
            )
        );
        Assert.Equal(2, (await flow.LedgerAsync(order.Id)).Count);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_account_payout_settles_by_itself_once_the_banks_delay_has_passed()
    {
        using var flow = await StartAsync(factory);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.France);
        var (order, payout) = await flow.AwaitingValidationAsync(8_000, bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        factory.Clock.Advance(TimeSpan.FromHours(SettlementHours) - TimeSpan.FromMinutes(1));
        await flow.RunJobAsync<SettlementJob>();
        Assert.Equal(PayoutStatus.InTransit, (await flow.GetPayoutAsync(payout.Id)).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await flow.RunJobAsync<SettlementJob>();
        var paid = await flow.WaitForPayoutAsync(payout.Id, PayoutStatus.Paid);

        Assert.Equal(8_000L, paid.Amount);
        Assert.Equal(factory.Clock.GetUtcNow(), paid.PaidAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(
            1,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"reference LIKE '{payout.Id}-%' AND status = 'SETTLED'"
            )
        );
        var released = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L), (released.Status, released.Held));
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 8000", $"RELEASE escrow:{order.Id} -> world:bank_payouts 8000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wallet_payout_credits_the_seller_and_the_platforms_fee_wallet_at_release()
    {
        using var flow = await StartAsync(factory, feePercentBp: 250, feeFixedMinor: 30);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, payout) = await flow.AwaitingValidationAsync(10_000, walletId: sellerWallet.Id);

        await flow.ActAsync(order.Id, "validate");
        var released = await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        Assert.Equal(250L, order.FeeAmount);
        Assert.Equal(0L, released.Held);
        Assert.Equal(9_750, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        var paid = await flow.GetPayoutAsync(payout.Id);
        Assert.Equal(
            (PayoutType.Wallet, PayoutStatus.Paid, 9_750L, sellerWallet.Id),
            (paid.Type, paid.Status, paid.Amount, paid.WalletId)
        );
        var ledger = await flow.LedgerAsync(order.Id);
        var fee = Assert.Single(ledger, t => t.Kind == Domain.Ledger.TransferKind.Fee);
        var feeWallet = await flow.GetWalletAsync(fee.CreditAccount["wallet:".Length..]);
        Assert.Equal(
            (WalletKind.PlatformFees, (string?)null, 250L),
            (feeWallet.Kind, feeWallet.CustomerId, feeWallet.Balance)
        );
        Assert.Equal(
            [
                $"PAYIN world:card -> escrow:{order.Id} 10000",
                $"FEE escrow:{order.Id} -> wallet:{feeWallet.Id} 250",
                $"RELEASE escrow:{order.Id} -> wallet:{sellerWallet.Id} 9750",
            ],
            Trail(ledger)
        );
        Assert.All(ledger.Skip(1), t => Assert.Equal(payout.Id, t.Reference));
        Assert.Equal(StepsToRelease, await flow.StepsAsync(order.Id));

        // A second order of the same platform: the fixed fee applies when it is larger than the percentage.
        var (small, _) = await flow.AwaitingValidationAsync(1_000, walletId: sellerWallet.Id);
        await flow.ActAsync(small.Id, "validate");
        await flow.WaitForStatusAsync(small.Id, OrderStatus.Released);

        Assert.Equal(30L, small.FeeAmount);
        Assert.Equal(9_750 + 970, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(280, (await flow.GetWalletAsync(feeWallet.Id)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_payout_the_bank_refuses_blocks_the_release_with_the_reason_and_the_money_stays_in_escrow()
    {
        using var flow = await StartAsync(factory);
        var closedAccount = Iban.FromBban("DE", "37040044" + "0000000666").Value;
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, closedAccount);
        var (order, payout) = await flow.AwaitingValidationAsync(6_000, bankAccountId: account.Id);

        await flow.ActAsync(order.Id, "validate");
        var blocked = await flow.WaitForStatusAsync(order.Id, OrderStatus.BlockedRelease);

        Assert.Contains("account_closed", blocked.BlockedReason);
        Assert.Equal((6_000L, (DateTimeOffset?)null), (blocked.Held, blocked.ReleasedAt));
        // The platform may still give part or all of it back; unblocking or cancelling is the operator's.
        Assert.Equal(["refund"], blocked.AllowedActions);
        var refused = await flow.GetPayoutAsync(payout.Id);
        Assert.Equal(PayoutStatus.Refused, refused.Status);
        Assert.Contains("account_closed", refused.FailureReason);
        Assert.Equal([$"PAYIN world:card -> escrow:{order.Id} 6000"], Trail(await flow.LedgerAsync(order.Id)));
        var refusal = (await flow.HistoryAsync(order.Id))[^1];
        Assert.Equal(
            ("refuse_release", OrderActor.Gateway, blocked.BlockedReason),
            (refusal.Action, refusal.Actor, refusal.Reason)
        );
        using var operatorClient = factory.OperatorClient();
        var asOperator = await operatorClient.GetJsonAsync<OrderResponse>($"/v1/orders/{order.Id}");
        Assert.Equal(["unblock", "cancel", "refund"], asOperator.AllowedActions);
        await LedgerInvariants.AssertAsync(factory);

        // The operator gives up on the seller's account: cancelling refunds the buyer's card.
        var cancelled = await flow.ActAsync(order.Id, "cancel", operatorClient);

        Assert.Equal((OrderStatus.Cancelled, 0L, 6_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal((RefundStatus.Succeeded, PayinType.Addon, 6_000L), (refund.Status, refund.Rail, refund.Amount));
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 6000", $"REFUND escrow:{order.Id} -> world:card 6000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_payout_the_beneficiarys_bank_returns_after_settlement_is_credited_to_the_sellers_wallet()
    {
        using var flow = await StartAsync(factory);
        var frozenAccount = Iban.FromBban("DE", "37040044" + "0000000777").Value;
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, frozenAccount);
        var (order, payout) = await flow.AwaitingValidationAsync(4_200, bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        Assert.Equal(PayoutStatus.InTransit, (await flow.GetPayoutAsync(payout.Id)).Status);

        factory.Clock.Advance(TimeSpan.FromHours(SettlementHours + 1));
        await flow.RunJobAsync<SettlementJob>();
        var returned = await flow.WaitForPayoutAsync(payout.Id, PayoutStatus.Returned);

        Assert.Contains("returned", returned.FailureReason);
        var sellerWallets = await flow.Client.GetJsonAsync<Page<WalletResponse>>(
            $"/v1/wallets?customer_id={flow.Seller.Id}"
        );
        var sellerWallet = Assert.Single(sellerWallets.Data);
        Assert.Equal(("EUR", 4_200L), (sellerWallet.Currency, sellerWallet.Balance));
        var afterReturn = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L), (afterReturn.Status, afterReturn.Held));
        Assert.Equal(
            [
                $"PAYIN world:card -> escrow:{order.Id} 4200",
                $"RELEASE escrow:{order.Id} -> world:bank_payouts 4200",
                $"PAYOUT_RETURN world:bank_payouts -> wallet:{sellerWallet.Id} 4200",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_payout_failed_through_the_sandbox_is_credited_to_the_sellers_existing_wallet()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Netherlands);
        var (order, payout) = await flow.AwaitingValidationAsync(3_300, bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        var failed = await (
            await flow.Client.PostJsonAsync(
                $"/v1/sandbox/payouts/{payout.Id}/fail",
                new { reason = "beneficiary_bank_returned: name mismatch" }
            )
        ).ReadAsync<PayoutResponse>();

        Assert.Equal(
            (PayoutStatus.Returned, "beneficiary_bank_returned: name mismatch"),
            (failed.Status, failed.FailureReason)
        );
        Assert.Equal(3_300, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(
            $"PAYOUT_RETURN world:bank_payouts -> wallet:{sellerWallet.Id} 3300",
            Trail(await flow.LedgerAsync(order.Id))[^1]
        );
        await LedgerInvariants.AssertAsync(factory);
    }
}
