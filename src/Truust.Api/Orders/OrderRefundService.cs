using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
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
    RefundService refunds,
    CardRail cards,
    EventOutbox events,
    TimeProvider clock
)
{
    /// <summary>
    /// A platform's explicit refund of a REJECTED order: partial or full, never more than it holds. (Cancelling
    /// refunds the other paid statuses.)
    /// </summary>
    public async Task<RefundResponse> RefundRejectedAsync(
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
                // A refund keeps the order REJECTED: the table allows it (REJECTED, money still held) or refuses it,
                // and there is no status to apply.
                order.EnsureCan(OrderTrigger.Refund, caller.IsOperator ? OrderActor.Operator : OrderActor.Platform);
                var payin = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
                return await refunds.StartAsync(order, payin, request.Amount ?? order.HeldMinor, request.Reason, ct);
            },
            ct
        );
        await refunds.ExecuteAsync(refund.Id, ct);
        return RefundResponse.From(await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refund.Id, ct));
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
                var groupId = (await orders.FindAsync(caller, id, ct)).OrderGroupId;
                var group = groupId is null
                    ? [await orders.LockAsync(caller, id, ct)]
                    : await orders.LockGroupAsync(caller, groupId, ct);
                var order = group.Single(o => o.Id == id);
                var siblings = group.Where(o => o.Id != id).ToList();

                var payout = order.PayoutId is null
                    ? null
                    : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
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

        return orders.ToResponse(order, await orders.SplitsOfAsync(order.Id, ct), caller);
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
        var payinId = (await orders.FindAsync(caller, id, ct)).PayinId;
        var processing =
            payinId is not null
            && await db.Payins.AnyAsync(p => p.Id == payinId && p.Status == PayinStatus.Processing, ct);
        if (processing)
        {
            await cards.ResolveAsync(payinId!, ct);
        }
    }
}
