using System.Net;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Banking;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Money going back to the buyer: explicit refunds of a rejected order (partial, full, never more than held), and
/// the automatic refund of a cancelled paid order along the rail the money came by.
/// </summary>
public sealed class RefundTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_rejected_order_is_refunded_in_part_then_in_full_and_never_beyond_what_it_holds()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(10_000);

        var rejected = await flow.ActAsync(order.Id, "reject");
        var partial = await RefundAsync(flow, order.Id, new { amount = 3_000, reason = "arrived scratched" });
        var afterPartial = await flow.GetOrderAsync(order.Id);

        Assert.Equal(OrderStatus.Rejected, rejected.Status);
        Assert.Equal(["refund"], rejected.AllowedActions);
        Assert.Equal(
            (RefundStatus.Succeeded, PayinType.Addon, 3_000L, "arrived scratched", order.PayinId),
            (partial.Status, partial.Rail, partial.Amount, partial.Reason, partial.PayinId)
        );
        Assert.Equal(
            (OrderStatus.Rejected, 7_000L, 3_000L),
            (afterPartial.Status, afterPartial.Held, afterPartial.Refunded)
        );

        var tooMuch = await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 7_001 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_held")
        );
        Assert.Contains("amount", tooMuch.Errors.Keys);

        // No amount: everything still held.
        var rest = await (
            await flow.Client.PostAsync($"/v1/orders/{order.Id}/refunds", null)
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        var emptied = await flow.GetOrderAsync(order.Id);

        Assert.Equal((RefundStatus.Succeeded, 7_000L), (rest.Status, rest.Amount));
        Assert.Equal((OrderStatus.Rejected, 0L, 10_000L), (emptied.Status, emptied.Held, emptied.Refunded));
        Assert.Empty(emptied.AllowedActions);
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 1 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_held")
        );
        Assert.Equal([partial.Id, rest.Id], (await flow.RefundsAsync(order.Id)).Select(r => r.Id));
        Assert.Equal(
            [
                $"PAYIN world:card -> escrow:{order.Id} 10000",
                $"REFUND escrow:{order.Id} -> world:card 3000",
                $"REFUND escrow:{order.Id} -> world:card 7000",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal(
            1,
            await factory.CountAsync(
                "simulator.card_charges",
                $"reference = '{order.PayinId}' AND refunded_minor = 10000"
            )
        );
        Assert.Equal(
            [
                "DRAFT->PENDING_PUBLISH:identify_buyer",
                "PENDING_PUBLISH->PUBLISHED:confirm_payin",
                "PUBLISHED->REJECTED:reject",
            ],
            await flow.StepsAsync(order.Id)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_an_order_paid_by_card_refunds_the_card()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(10_000);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 10_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Empty(cancelled.AllowedActions);
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal(
            (RefundStatus.Succeeded, PayinType.Addon, 10_000L, order.PayinId),
            (refund.Status, refund.Rail, refund.Amount, refund.PayinId)
        );
        Assert.Equal(
            1,
            await factory.CountAsync(
                "simulator.card_refunds",
                $"reference = '{refund.Id}' AND charge_reference = '{order.PayinId}' AND amount_minor = 10000"
            )
        );
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 10000", $"REFUND escrow:{order.Id} -> world:card 10000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal("PUBLISHED->CANCELLED:cancel", (await flow.StepsAsync(order.Id))[^1]);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_an_order_paid_from_a_wallet_credits_the_wallet_back()
    {
        using var flow = await StartAsync(factory);
        var wallet = await flow.FundedBuyerWalletAsync(10_000);
        var order = await flow.CreateOrderAsync(8_000);
        await flow.CreatePayinAsync(order.Id, "WALLET", wallet.Id);
        Assert.Equal(2_000, (await flow.GetWalletAsync(wallet.Id)).Balance);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 8_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal(10_000, (await flow.GetWalletAsync(wallet.Id)).Balance);
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal((RefundStatus.Succeeded, PayinType.Wallet, 8_000L), (refund.Status, refund.Rail, refund.Amount));
        Assert.Equal(
            [
                $"PAYIN wallet:{wallet.Id} -> escrow:{order.Id} 8000",
                $"REFUND escrow:{order.Id} -> wallet:{wallet.Id} 8000",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_an_order_paid_by_wire_sends_the_money_back_to_the_account_it_came_from()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(12_000);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        await flow.SendWireAsync(payin.Bankwire!.Reference, 12_000, TestIbans.Netherlands);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 12_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal(
            (RefundStatus.Succeeded, PayinType.Bankwire, 12_000L),
            (refund.Status, refund.Rail, refund.Amount)
        );
        Assert.Equal(
            1,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"reference = '{refund.Id}' AND iban = '{TestIbans.Netherlands}' AND amount_minor = 12000"
            )
        );
        Assert.Equal(
            [
                $"PAYIN world:bankwire -> escrow:{order.Id} 12000",
                $"REFUND escrow:{order.Id} -> world:bank_payouts 12000",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wire_refund_the_bank_refuses_fails_visibly_and_parks_the_money_in_suspense()
    {
        using var flow = await StartAsync(factory);
        var closed = Iban.FromBban("DE", "37040044" + "0000000666").Value;
        var order = await flow.CreateOrderAsync(2_500);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        await flow.SendWireAsync(payin.Bankwire!.Reference, 2_500, closed);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L), (cancelled.Status, cancelled.Held));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal(RefundStatus.Failed, refund.Status);
        Assert.Contains("account_closed", refund.FailureReason);
        Assert.Equal("REFUND world:bank_payouts -> suspense:refunds 2500", Trail(await flow.LedgerAsync(order.Id))[^1]);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_an_accepted_order_awaiting_validation_refunds_the_buyer_and_nothing_is_released()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(5_000, walletId: sellerWallet.Id);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 5_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal(0, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostActionAsync(order.Id, "validate")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 5000", $"REFUND escrow:{order.Id} -> world:card 5000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal("PENDING_VALIDATE->CANCELLED:cancel", (await flow.StepsAsync(order.Id))[^1]);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_before_payment_voids_the_open_payin_so_a_late_card_cannot_fund_the_order()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(3_000);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 0L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal(PayinStatus.Cancelled, (await flow.GetPayinAsync(payin.Id)).Status);
        Assert.Empty(await flow.RefundsAsync(order.Id));
        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostCardAsync(payin.Id, SuccessCard)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "payin_not_open"
            )
        );
        Assert.Empty(await flow.LedgerAsync(order.Id));
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->CANCELLED:cancel"],
            await flow.StepsAsync(order.Id)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<RefundResponse> RefundAsync(OrderFlow flow, string orderId, object body) =>
        await (await flow.Client.PostJsonAsync($"/v1/orders/{orderId}/refunds", body)).ReadAsync<RefundResponse>(
            HttpStatusCode.Created
        );
}
