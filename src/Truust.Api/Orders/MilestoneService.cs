using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// The actions on one milestone of an order paid in stages: delivery, validation (which releases its money to the
/// seller's wallet in the same commit, with its own payout and its part of the fee and splits), and refunds. Every
/// action locks the order row first, like every order action, so milestones of one order never race each other,
/// and asks both tables: the order's (is the order at a point where milestones may act) and the milestone's.
/// </summary>
public sealed class MilestoneService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    OrderQueries queries,
    ReleasePosting posting,
    RefundService refunds,
    EventOutbox events,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    /// <summary>The seller delivers the milestone: its inspection window (when it has one) starts now.</summary>
    public async Task<OrderResponse> DeliverAsync(
        Caller caller,
        string orderId,
        string milestoneId,
        OrderActor actor,
        CancellationToken ct
    )
    {
        var order = await unitOfWork.RunAsync(
            async () =>
            {
                var (order, milestone) = await LockAsync(caller, orderId, milestoneId, ct);
                order.EnsureCan(OrderTrigger.DeliverMilestone, actor);
                milestone.Deliver(actor, await platformClock.NowAsync(order.PlatformId, ct));
                // Claimable by the inspection job from now on (the lease is on Truust's own clock).
                db.Entry(milestone).Property<DateTimeOffset>(Claims.LeaseProperty).CurrentValue = clock.GetUtcNow();
                Publish(order, milestone, "order.milestone.delivered", null);
                return order;
            },
            ct
        );
        return await queries.ResponseAsync(order, caller, ct);
    }

    /// <summary>
    /// Validates the milestone and releases what it holds, in this commit: its payout to the seller's wallet, its part
    /// of the fee and splits (shrunk pro rata if part of it was refunded). When that empties the escrow the order is
    /// RELEASED.
    /// </summary>
    public async Task<OrderResponse> ValidateAsync(
        Caller caller,
        string orderId,
        string milestoneId,
        OrderActor actor,
        string? reason,
        CancellationToken ct
    )
    {
        var order = await unitOfWork.RunAsync(
            async () =>
            {
                var (order, milestone) = await LockAsync(caller, orderId, milestoneId, ct);
                await ReleaseAsync(order, milestone, actor, reason, ct);
                return order;
            },
            ct
        );
        return await queries.ResponseAsync(order, caller, ct);
    }

    /// <summary>
    /// Refunds part or all of what the milestone holds, along the payin's rail. A refund of all it holds ends it
    /// REFUNDED; when that empties the order's escrow, the order ends RELEASED if any milestone was released, else
    /// CANCELLED.
    /// </summary>
    public async Task<RefundResponse> RefundAsync(
        Caller caller,
        string orderId,
        string milestoneId,
        CreateRefundRequest request,
        CancellationToken ct
    )
    {
        var actor = caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;
        var refund = await unitOfWork.RunAsync(
            async () =>
            {
                var (order, milestone) = await LockAsync(caller, orderId, milestoneId, ct);
                return await RefundHeldAsync(
                    order,
                    milestone,
                    request.Amount ?? milestone.RemainingMinor,
                    actor,
                    request.Reason,
                    ct
                );
            },
            ct
        );
        await refunds.ExecuteAsync(refund.Id, ct);
        return RefundResponse.From(await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refund.Id, ct));
    }

    /// <summary>
    /// Inside the caller's transaction, the order locked: sends <paramref name="amountMinor"/> of what the milestone
    /// holds back along the payin's rail (a refund of the platform, or of a dispute's settlement by the system). The
    /// caller hands the refund to its rail after the commit.
    /// </summary>
    internal async Task<Refund> RefundHeldAsync(
        Order order,
        Milestone milestone,
        long amountMinor,
        OrderActor actor,
        string? reason,
        CancellationToken ct
    )
    {
        var payout = order.PayoutId is null ? null : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
        order.EnsureCan(OrderTrigger.Refund, actor, payout?.Status);
        milestone.Refund(amountMinor, actor, clock.GetUtcNow());
        var payin = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
        var refund = await refunds.StartAsync(
            order,
            payin,
            amountMinor,
            reason ?? $"milestone {milestone.Position} ({milestone.Name}) refunded",
            ct,
            milestone.Id
        );
        Publish(order, milestone, "order.milestone.refunded", reason);
        FinishIfEmpty(order, $"refund {refund.Id} of milestone {milestone.Id} emptied the escrow");
        return refund;
    }

    /// <summary>
    /// The inspection job's work on one claimed milestone: under the order lock, checks again that its window ended
    /// (a validation, refund or dispute may have come first) and that its order lets it be released, then releases it
    /// as the system.
    /// </summary>
    public async Task AutoValidateAsync(string milestoneId, CancellationToken ct)
    {
        var orderId = await db.Milestones.Where(m => m.Id == milestoneId).Select(m => m.OrderId).SingleAsync(ct);
        await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(orderId, ct);
                var milestone = await db.Milestones.SingleAsync(m => m.Id == milestoneId, ct);
                var now = await platformClock.NowAsync(order.PlatformId, ct);
                if (
                    milestone.Status != MilestoneStatus.Delivered
                    || milestone.InspectionEndsAt is not { } endsAt
                    || endsAt > now
                    || order.Status != OrderStatus.PendingValidate
                    || order.OpenDisputeId is not null
                    || milestone.OpenDisputeId is not null
                )
                {
                    return;
                }

                await ReleaseAsync(
                    order,
                    milestone,
                    OrderActor.System,
                    $"inspection window ended at {endsAt:yyyy-MM-ddTHH:mm:ssZ} with no dispute",
                    ct
                );
            },
            ct
        );
    }

    /// <summary>
    /// Inside the caller's transaction, the order locked: releases the milestone (a validation by the platform, or
    /// by the system when its inspection window ended).
    /// </summary>
    internal async Task ReleaseAsync(
        Order order,
        Milestone milestone,
        OrderActor actor,
        string? reason,
        CancellationToken ct
    )
    {
        var destination = order.PayoutId is null ? null : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
        order.EnsureCan(OrderTrigger.ReleaseMilestone, actor, destination?.Status);
        milestone.EnsureCan(MilestoneTrigger.Validate, actor);
        var amounts = await db
            .Milestones.AsNoTracking()
            .Where(m => m.OrderId == order.Id)
            .OrderBy(m => m.Position)
            .Select(m => m.AmountMinor)
            .ToListAsync(ct);
        var splits = await queries.SplitsOfAsync(order.Id, ct);
        var shares = MilestonePlan.ReleaseOf(
            milestone.Position - 1,
            amounts,
            milestone.RemainingMinor,
            order.FeeMinor ?? 0,
            splits.Select(s => s.AmountMinor).ToList()
        );
        var payout = await PayoutForAsync(order, destination!, ct);
        // The seller's part less the rolling reserve's hold and the seller's debts, recovered as at any release.
        var net = await posting.PaySharesAsync(
            order,
            shares,
            splits,
            LedgerAccounts.Wallet(payout.DestinationWalletId!),
            payout,
            null,
            ct
        );
        var now = clock.GetUtcNow();
        order.ReleaseHeld(shares.TotalMinor);
        milestone.Release(actor, payout.Id, now);
        payout.SetAmount(net);
        payout.MarkPaid(now);
        events.PayoutChanged(payout);
        Publish(order, milestone, "order.milestone.released", reason);
        FinishIfEmpty(order, $"milestone {milestone.Id} released the last money held");
    }

    /// <summary>
    /// The payout of this milestone's release: the order's own payout (where the seller said to be paid) for the first
    /// release, a new one to the same wallet for each later one, so every release is one payout.
    /// </summary>
    private async Task<Payout> PayoutForAsync(Order order, Payout destination, CancellationToken ct)
    {
        var used = await db.Milestones.AnyAsync(m => m.OrderId == order.Id && m.PayoutId == destination.Id, ct);
        if (!used && destination.Status == PayoutStatus.Pending)
        {
            return destination;
        }

        var payout = new Payout(
            order.PlatformId,
            order.SellerId,
            PayoutType.Wallet,
            Money.Zero(Currency.Of(order.Currency)),
            null,
            destination.DestinationWalletId,
            clock.GetUtcNow()
        )
        {
            OrderId = order.Id,
            NextAttemptAt = clock.GetUtcNow(),
        };
        db.Payouts.Add(payout);
        return payout;
    }

    /// <summary>
    /// When nothing is left in escrow the order ends: RELEASED if any milestone was released, else CANCELLED (every
    /// milestone refunded). Fired by the system in the commit that emptied it.
    /// </summary>
    internal void FinishIfEmpty(Order order, string reason)
    {
        if (order.HeldMinor > 0 || order.Status == OrderStatus.Rejected)
        {
            // A REJECTED order stays REJECTED once refunded, as without milestones.
            return;
        }

        orders.Apply(
            order,
            order.ReleasedMinor > 0 ? OrderTrigger.FinishMilestones : OrderTrigger.RefundAll,
            OrderActor.System,
            reason
        );
    }

    /// <summary>Locks the order, then finds its milestone (404 for another order's or platform's).</summary>
    private async Task<(Order Order, Milestone Milestone)> LockAsync(
        Caller caller,
        string orderId,
        string milestoneId,
        CancellationToken ct
    )
    {
        var order = await orders.LockAsync(caller, orderId, ct);
        var milestone =
            await db.Milestones.FirstOrDefaultAsync(m => m.Id == milestoneId && m.OrderId == order.Id, ct)
            ?? throw new NotFoundException("milestone", milestoneId);
        return (order, milestone);
    }

    private void Publish(Order order, Milestone milestone, string type, string? reason) =>
        events.Add(order.PlatformId, type, milestone.Id, MilestoneEventData.Of(milestone, reason));
}
