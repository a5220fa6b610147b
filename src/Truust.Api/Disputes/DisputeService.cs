using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Disputes;

/// <summary>
/// Disputes: opened by the buyer on a PENDING_VALIDATE order, answered by the seller, accepted or rejected by the
/// buyer, decided by the platform or the operator, or expired by the deadline job. Every move locks the order first
/// (then the dispute), so a dispute move and an order action never interleave. The move that settles a dispute
/// settles the order in the same commit: the refund leaves escrow towards the payer's rail, and the order is then
/// validated (the release worker pays the rest, fee and splits pro rata) or, for a full refund, cancelled. A dispute
/// naming a milestone holds and settles only that milestone (refund, then release of the rest, in one commit). A card
/// or bank refund is handed to its rail after that commit (decision 3), as cancelling does.
/// </summary>
public sealed class DisputeService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    MilestoneService milestones,
    RefundService refunds,
    EventOutbox events,
    WorkerSignals signals,
    PlatformClock clock,
    TimeProvider realClock
)
{
    /// <summary>The one "now" of dispute deadlines: the platform's clock (real time plus its sandbox offset).</summary>
    private DateTimeOffset Now(string platformId) => clock.Now(platformId);

    public async Task<DisputeResponse> OpenAsync(
        Caller caller,
        string orderId,
        DisputeActor actor,
        OpenDisputeRequest request,
        CancellationToken ct
    )
    {
        var dispute = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(caller, orderId, ct);
                var now = Now(order.PlatformId);
                var milestone = await DisputedMilestoneAsync(order, request.MilestoneId, ct);
                var dispute = new Dispute(order, request.Reason!.Trim(), now, milestone?.Id);
                if (milestone is null)
                {
                    order.HoldForDispute(dispute.Id, ToOrderActor(actor), now);
                }
                else
                {
                    // Only this milestone is held: the order's others are delivered, released and refunded meanwhile.
                    order.EnsureCan(OrderTrigger.DisputeMilestone, ToOrderActor(actor));
                    milestone.HoldForDispute(dispute.Id, now);
                }

                dispute.Apply(
                    DisputeTrigger.Open,
                    actor,
                    "buyer",
                    request.Text,
                    request.Links ?? [],
                    null,
                    milestone?.RemainingMinor ?? order.HeldMinor,
                    now
                );
                db.Disputes.Add(dispute);
                // Claimable by the deadline job from now on (the lease is on Truust's own clock).
                db.Entry(dispute).Property<DateTimeOffset>(Claims.LeaseProperty).CurrentValue = realClock.GetUtcNow();
                Publish(dispute, "dispute.opened");
                return dispute;
            },
            ct
        );
        return DisputeResponse.From(dispute, actor);
    }

    /// <summary>The seller's answer (the seller link, or the platform for the seller).</summary>
    public Task<DisputeResponse> AnswerAsync(
        Caller caller,
        string id,
        DisputeActor actor,
        AnswerDisputeRequest request,
        CancellationToken ct
    ) =>
        MoveAsync(
            caller,
            id,
            request.Type switch
            {
                SellerAnswer.RefundInFull => DisputeTrigger.RefundInFull,
                SellerAnswer.PartialRefund => DisputeTrigger.OfferPartialRefund,
                _ => DisputeTrigger.Contest,
            },
            actor,
            "seller",
            request.Text,
            request.Links,
            request.Amount,
            "dispute.seller_answered",
            ct
        );

    /// <summary>The buyer accepts the seller's answer, or rejects it (the seller's turn again).</summary>
    public Task<DisputeResponse> BuyerAnswerAsync(
        Caller caller,
        string id,
        DisputeActor actor,
        bool accept,
        DisputeStatementRequest request,
        CancellationToken ct
    ) =>
        MoveAsync(
            caller,
            id,
            accept ? DisputeTrigger.Accept : DisputeTrigger.Reject,
            actor,
            "buyer",
            request.Text,
            request.Links,
            null,
            accept ? "dispute.buyer_accepted" : "dispute.buyer_rejected",
            ct
        );

    /// <summary>The platform's or the operator's decision, at any time while the dispute is open.</summary>
    public Task<DisputeResponse> ResolveAsync(
        Caller caller,
        string id,
        ResolveDisputeRequest request,
        CancellationToken ct
    )
    {
        var actor = caller.IsOperator ? DisputeActor.Operator : DisputeActor.Platform;
        return MoveAsync(
            caller,
            id,
            DisputeTrigger.Resolve,
            actor,
            caller.IsOperator ? "operator" : "platform",
            request.Text,
            null,
            request.RefundAmount,
            "dispute.resolved",
            ct
        );
    }

    /// <summary>The deadline job: the party the dispute waits for let its deadline pass.</summary>
    public async Task ExpireAsync(string id, CancellationToken ct)
    {
        var (orderId, platformId) = await db
            .Disputes.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new ValueTuple<string, string>(d.OrderId, d.PlatformId))
            .FirstAsync(ct);
        await MoveCoreAsync(
            new Caller(platformId, false),
            orderId,
            id,
            DisputeTrigger.Expire,
            DisputeActor.System,
            "system",
            "deadline passed",
            null,
            null,
            "dispute.expired",
            ct
        );
    }

    public async Task<DisputeResponse> GetAsync(Caller caller, string id, DisputeActor actor, CancellationToken ct) =>
        DisputeResponse.From(await FindAsync(caller, id, ct), actor);

    public async Task<Dispute> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var dispute = await db.Disputes.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        return dispute is not null && caller.CanSee(dispute.PlatformId)
            ? dispute
            : throw new NotFoundException("dispute", id);
    }

    /// <summary>An order's disputes, newest first (at most a handful: one open at a time).</summary>
    public async Task<List<Dispute>> ForOrderAsync(string orderId, CancellationToken ct) =>
        await db
            .Disputes.AsNoTracking()
            .Where(d => d.OrderId == orderId)
            .OrderByDescending(d => d.CreatedAt)
            .ThenByDescending(d => d.Id)
            .Take(Dispute.MaxEntries)
            .ToListAsync(ct);

    /// <summary>Open disputes the caller can see, the nearest deadline first (the dashboard's queue).</summary>
    public async Task<List<Dispute>> QueueAsync(Caller caller, int limit, CancellationToken ct)
    {
        var open = db
            .Disputes.AsNoTracking()
            .Where(d => d.Status == DisputeStatus.AwaitingSeller || d.Status == DisputeStatus.AwaitingBuyer);
        if (caller.PlatformId is { } platformId)
        {
            open = open.Where(d => d.PlatformId == platformId);
        }

        return await open.OrderBy(d => d.DeadlineAt).ThenBy(d => d.Id).Take(limit).ToListAsync(ct);
    }

    private async Task<DisputeResponse> MoveAsync(
        Caller caller,
        string id,
        DisputeTrigger trigger,
        DisputeActor actor,
        string party,
        string? text,
        List<string>? links,
        long? amountMinor,
        string eventType,
        CancellationToken ct
    )
    {
        var dispute = await FindAsync(caller, id, ct);
        var settled = await MoveCoreAsync(
            caller,
            dispute.OrderId,
            id,
            trigger,
            actor,
            party,
            text,
            links,
            amountMinor,
            eventType,
            ct
        );
        return DisputeResponse.From(settled, actor);
    }

    private async Task<Dispute> MoveCoreAsync(
        Caller caller,
        string orderId,
        string id,
        DisputeTrigger trigger,
        DisputeActor actor,
        string party,
        string? text,
        List<string>? links,
        long? amountMinor,
        string eventType,
        CancellationToken ct
    )
    {
        Refund? refund = null;
        var dispute = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(caller, orderId, ct);
                var dispute = await db.Disputes.FirstAsync(d => d.Id == id, ct);
                var milestone = dispute.MilestoneId is null
                    ? null
                    : await db.Milestones.FirstAsync(m => m.Id == dispute.MilestoneId, ct);
                var now = Now(order.PlatformId);
                if (trigger == DisputeTrigger.Expire && (dispute.DeadlineAt is not { } deadline || deadline > now))
                {
                    return dispute; // answered (or moved) after the job claimed it: nothing has expired
                }

                var settledRefund = dispute.Apply(
                    trigger,
                    actor,
                    party,
                    text,
                    links ?? [],
                    amountMinor,
                    milestone?.RemainingMinor ?? order.HeldMinor,
                    now
                );
                Publish(dispute, eventType);
                if (settledRefund is { } refundMinor)
                {
                    refund = milestone is null
                        ? await SettleAsync(order, dispute, refundMinor, ct)
                        : await SettleMilestoneAsync(order, milestone, dispute, refundMinor, ct);
                }

                return dispute;
            },
            ct
        );

        if (refund is not null)
        {
            await refunds.ExecuteAsync(refund.Id, ct);
        }

        return dispute;
    }

    /// <summary>
    /// Inside the dispute's commit: frees the order and settles its money. Everything held back to the buyer cancels
    /// the order; anything less is refunded in place and the order validated, so the release pays the seller the
    /// rest with the fee and splits pro rata (<see cref="ReleaseShares"/>). Actor <c>system</c>, the history saying
    /// which dispute decided.
    /// </summary>
    private async Task<Refund?> SettleAsync(Order order, Dispute dispute, long refundMinor, CancellationToken ct)
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

        Publish(dispute, "dispute.settled");
        return refund;
    }

    /// <summary>
    /// Inside the dispute's commit: frees the milestone and settles its money with the milestones' own code. The
    /// refund leaves escrow towards the payer's rail; what the milestone still holds is released to the seller (its
    /// own payout, its part of the fee and splits pro rata). The order ends when nothing is held any more.
    /// </summary>
    private async Task<Refund?> SettleMilestoneAsync(
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

        Publish(dispute, "dispute.settled");
        return refund;
    }

    /// <summary>
    /// The milestone a new dispute names: required on an order paid in milestones, refused on any other, and one of
    /// this order's (422 otherwise, naming <c>milestone_id</c>).
    /// </summary>
    private async Task<Milestone?> DisputedMilestoneAsync(Order order, string? milestoneId, CancellationToken ct)
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

    private void Publish(Dispute dispute, string type) =>
        events.Add(dispute.PlatformId, type, dispute.Id, DisputeEventData.Of(dispute));

    private static OrderActor ToOrderActor(DisputeActor actor) =>
        actor switch
        {
            DisputeActor.Buyer => OrderActor.Buyer,
            DisputeActor.Operator => OrderActor.Operator,
            _ => OrderActor.Platform,
        };
}
