using Microsoft.EntityFrameworkCore;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Disputes;

/// <summary>
/// The money side of a dispute: which milestone a new dispute holds, and, inside the commit of the move that ends a
/// dispute, the settlement of the order (or of its disputed milestone). <see cref="DisputeService"/> runs the
/// lifecycle and calls this; the refund it starts is handed to its rail by the caller after the commit (decision 3).
/// </summary>
public sealed class DisputeSettlement(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    MilestoneService milestones,
    RefundService refunds,
    EventOutbox events,
    WorkerSignals signals
)
{
    /// <summary>
    /// Inside the dispute's commit: frees the order and settles its money. Everything held back to the buyer cancels
    /// the order; anything less is refunded in place and the order validated, so the release pays the seller the
    /// rest with the fee and splits pro rata (<see cref="ReleaseShares"/>). Actor <c>system</c>, the history saying
    /// which dispute decided.
    /// </summary>
    public async Task<Refund?> SettleAsync(Order order, Dispute dispute, long refundMinor, CancellationToken ct)
    {
        order.EndDispute(dispute.Id);
        var reason = $"dispute {dispute.Id} {dispute.Outcome}: {refundMinor} refunded to the buyer";
        var payin = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
        Refund? refund = null;
        if (refundMinor == order.HeldMinor)
        {
            orders.Apply(order, OrderTrigger.Cancel, OrderActor.System, reason);
            refund = await refunds.StartAsync(order, payin, refundMinor, reason, ct);
        }
        else
        {
            if (refundMinor > 0)
            {
                order.EnsureCan(OrderTrigger.Refund, OrderActor.System);
                refund = await refunds.StartAsync(order, payin, refundMinor, reason, ct);
            }

            orders.Apply(order, OrderTrigger.Validate, OrderActor.System, reason);
            unitOfWork.WakeAfterCommit(signals.Release);
        }

        PublishSettled(dispute);
        return refund;
    }

    /// <summary>
    /// Inside the dispute's commit: frees the milestone and settles its money with the milestones' own code. The
    /// refund leaves escrow towards the payer's rail; what the milestone still holds is released to the seller (its
    /// own payout, its part of the fee and splits pro rata). The order ends when nothing is held any more.
    /// </summary>
    public async Task<Refund?> SettleMilestoneAsync(
        Order order,
        Milestone milestone,
        Dispute dispute,
        long refundMinor,
        CancellationToken ct
    )
    {
        milestone.EndDispute(dispute.Id);
        var reason = $"dispute {dispute.Id} {dispute.Outcome}: {refundMinor} of milestone {milestone.Id} refunded";
        Refund? refund = null;
        if (refundMinor > 0)
        {
            refund = await milestones.RefundHeldAsync(order, milestone, refundMinor, OrderActor.System, reason, ct);
        }

        if (milestone.RemainingMinor > 0)
        {
            await milestones.ReleaseAsync(order, milestone, OrderActor.System, reason, ct);
        }

        PublishSettled(dispute);
        return refund;
    }

    /// <summary>
    /// The milestone a new dispute names: required on an order paid in milestones, refused on any other, and one of
    /// this order's (422 otherwise, naming <c>milestone_id</c>).
    /// </summary>
    public async Task<Milestone?> DisputedMilestoneAsync(Order order, string? milestoneId, CancellationToken ct)
    {
        if (milestoneId is null)
        {
            return order.HasMilestones
                ? throw new BusinessRuleException(
                    "milestone_required",
                    $"Order {order.Id} is paid in milestones; a dispute names the milestone it is about.",
                    "milestone_id"
                )
                : null;
        }

        if (!order.HasMilestones)
        {
            throw new BusinessRuleException(
                "no_milestones",
                $"Order {order.Id} is not paid in milestones; a dispute on it names no milestone_id.",
                "milestone_id"
            );
        }

        return await db.Milestones.FirstOrDefaultAsync(m => m.Id == milestoneId && m.OrderId == order.Id, ct)
            ?? throw new BusinessRuleException(
                "unknown_milestone",
                $"Order {order.Id} has no milestone {milestoneId}.",
                "milestone_id"
            );
    }

    private void PublishSettled(Dispute dispute) =>
        events.Add(dispute.PlatformId, "dispute.settled", dispute.Id, DisputeEventData.Of(dispute));
}
