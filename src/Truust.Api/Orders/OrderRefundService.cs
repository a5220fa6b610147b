using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// The order actions that give the buyer money back: cancelling (voiding an open payin, or refunding what is held
/// along the rail it came by) and the explicit refund of a REJECTED order. They live apart from
/// <see cref="OrderService"/> because they reach the card rail, and the card rail reaches OrderService through what
/// a payin funds.
/// </summary>
public sealed class OrderRefundService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    OrderQueries queries,
    RefundService refunds,
    CardRail cards,
    EventOutbox events,
    TimeProvider clock
)
{
    /// <summary>
    /// The one entry point of <c>POST /v1/orders/{id}/refunds</c>: a platform's (or the operator's) refund of part or
    /// all of what the order holds, along the payin's rail, in any status that holds money (the table's
    /// <c>refund</c> rows). The rest stays held and is released as usual, the fee and splits shrunk pro rata
    /// (<see cref="ReleaseShares"/>). A refund that empties the escrow of an order on its way to release ends it
    /// CANCELLED (<see cref="OrderTrigger.RefundAll"/>); a REJECTED order stays REJECTED. Never more than is held:
    /// the order row lock serialises concurrent refunds, and the loser sees what the winner left.
    /// </summary>
    public async Task<RefundResponse> RefundAsync(
        Caller caller,
        string id,
        CreateRefundRequest request,
        CancellationToken ct
    )
    {
        var refund = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(caller, id, ct);
                if (order.Status == OrderStatus.Released)
                {
                    // Released since the caller looked (ReleasedOrderRefunds sends a RELEASED order to the refund
                    // after release): the same request sent again is that refund.
                    throw new ConflictException(
                        "order_released",
                        $"Order {order.Id} was released while this refund was being made: its money has left escrow. "
                            + "Send the request again to refund it after release."
                    );
                }

                return await RefundHeldAsync(caller, order, request, ct);
            },
            ct
        );
        await refunds.ExecuteAsync(refund.Id, ct);
        return RefundResponse.From(await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refund.Id, ct));
    }

    /// <summary>Inside the caller's transaction, the order locked: refunds part or all of what it holds.</summary>
    private async Task<Refund> RefundHeldAsync(
        Caller caller,
        Order order,
        CreateRefundRequest request,
        CancellationToken ct
    )
    {
        var actor = caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;
        var payout = order.PayoutId is null ? null : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
        // The table allows the refund (money held, no dispute, the payout not being handed to the bank) or refuses it.
        order.EnsureCan(OrderTrigger.Refund, actor, payout?.Status);
        if (order.HasMilestones)
        {
            // Whose money a refund returns decides what each milestone still releases: it names its milestone.
            throw new ConflictException(
                "order_has_milestones",
                $"Order {order.Id} is paid in milestones: refund a milestone "
                    + "(POST /v1/orders/{id}/milestones/{milestone_id}/refunds), or cancel the order to refund all "
                    + "that is unreleased."
            );
        }

        var amountMinor = request.Amount ?? order.HeldMinor;
        var payin = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
        var emptied = amountMinor == order.HeldMinor;
        var refund = await refunds.StartAsync(order, payin, amountMinor, request.Reason, ct);
        if (emptied && order.Status != OrderStatus.Rejected)
        {
            orders.Apply(
                order,
                OrderTrigger.RefundAll,
                OrderActor.System,
                $"refund {refund.Id} by the {WireName.Action(actor)} returned everything held",
                payout?.Status
            );
        }

        return refund;
    }

    /// <summary>
    /// Cancels the order. Before payment this only voids the open payin; once paid, everything still held goes back
    /// to the buyer along the rail it came by, in the same commit as the status change.
    /// </summary>
    public async Task<OrderResponse> CancelAsync(
        Caller caller,
        string id,
        OrderActor actor,
        string? reason,
        CancellationToken ct
    )
    {
        await ResolveProcessingCardAsync(caller, id, ct);
        Refund? refund = null;
        var order = await unitOfWork.RunAsync(
            async () =>
            {
                // An order of a cart shares its payin with the other orders: voiding that payin fails their payment
                // too, so the whole cart is locked, in id order like every multi-order lock (no deadlock).
                var groupId = (await queries.FindAsync(caller, id, ct)).OrderGroupId;
                var group = groupId is null
                    ? [await orders.LockAsync(caller, id, ct)]
                    : await orders.LockGroupAsync(caller, groupId, ct);
                var order = group.Single(o => o.Id == id);
                var siblings = group.Where(o => o.Id != id).ToList();

                var payout = order.PayoutId is null
                    ? null
                    : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
                if (order.HasMilestones && order.ReleasedMinor > 0)
                {
                    // Some milestones were already paid out: cancelling refunds only what is unreleased, and the order
                    // ends RELEASED (something was released, nothing is held), not CANCELLED.
                    order.EnsureCan(OrderTrigger.Cancel, actor, payout?.Status);
                    var paidBy = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
                    var rest = order.HeldMinor;
                    await CancelMilestonesAsync(order, reason, ct);
                    refund = await refunds.StartAsync(order, paidBy, rest, reason ?? "order cancelled", ct);
                    orders.Apply(
                        order,
                        OrderTrigger.FinishMilestones,
                        OrderActor.System,
                        $"cancelled by the {WireName.Action(actor)}: {rest} unreleased refunded in {refund.Id}"
                    );
                    return order;
                }

                var transition = orders.Apply(order, OrderTrigger.Cancel, actor, reason, payout?.Status);
                var payin = order.PayinId is null ? null : await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
                switch (transition.Effect)
                {
                    case EscrowEffect.VoidPendingPayin when payin is { IsOpen: true }:
                        payin.Cancel(clock.GetUtcNow());
                        events.PayinChanged(payin);
                        foreach (
                            var sibling in siblings.Where(o =>
                                o.Status == OrderStatus.PendingPublish && o.PayinId == payin.Id
                            )
                        )
                        {
                            orders.Apply(
                                sibling,
                                OrderTrigger.FailPayin,
                                OrderActor.System,
                                $"cart payment cancelled with order {id}"
                            );
                        }

                        break;
                    case EscrowEffect.RefundBuyer when order.HeldMinor > 0:
                        await CancelMilestonesAsync(order, reason, ct);
                        refund = await refunds.StartAsync(
                            order,
                            payin!,
                            order.HeldMinor,
                            reason ?? "order cancelled",
                            ct
                        );
                        break;
                }

                return order;
            },
            ct
        );

        if (refund is not null)
        {
            await refunds.ExecuteAsync(refund.Id, ct);
        }

        return await queries.ResponseAsync(order, caller, ct);
    }

    /// <summary>Every milestone still open ends CANCELLED, what it held going back with the order's refund.</summary>
    private async Task CancelMilestonesAsync(Order order, string? reason, CancellationToken ct)
    {
        if (!order.HasMilestones)
        {
            return;
        }

        var open = await db
            .Milestones.Where(m =>
                m.OrderId == order.Id && (m.Status == MilestoneStatus.Pending || m.Status == MilestoneStatus.Delivered)
            )
            .OrderBy(m => m.Position)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var milestone in open)
        {
            milestone.Refund(milestone.RemainingMinor, OrderActor.System, now, cancelling: true);
            events.Add(
                order.PlatformId,
                "order.milestone.cancelled",
                milestone.Id,
                MilestoneEventData.Of(milestone, reason ?? "order cancelled")
            );
        }
    }

    /// <summary>
    /// A card with the processor right now (payin PROCESSING) is resolved before the order is cancelled, outside any
    /// transaction: its outcome is recorded first (an approved charge funds the escrow, which the cancel then refunds
    /// along the card rail), so a cancel never leaves an approved charge unrecorded. When the processor has no record
    /// yet and the submission's lease has not passed, the payin stays PROCESSING and the cancel answers 409
    /// <c>payin_processing</c>.
    /// </summary>
    private async Task ResolveProcessingCardAsync(Caller caller, string id, CancellationToken ct)
    {
        var payinId = (await queries.FindAsync(caller, id, ct)).PayinId;
        var processing =
            payinId is not null
            && await db.Payins.AnyAsync(p => p.Id == payinId && p.Status == PayinStatus.Processing, ct);
        if (processing)
        {
            await cards.ResolveAsync(payinId!, ct);
        }
    }
}
