using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Disputes;

/// <summary>
/// Disputes: opened by the buyer on a PENDING_VALIDATE order, answered by the seller, accepted or rejected by the
/// buyer, decided by the platform or the operator, or expired by the deadline job. Every move locks the order first
/// (then the dispute), so a dispute move and an order action never interleave. The move that settles a dispute
/// settles the order in the same commit (<see cref="DisputeSettlement"/>): the refund leaves escrow towards the
/// payer's rail, and the order is then validated (the release worker pays the rest, fee and splits pro rata) or, for
/// a full refund, cancelled. A dispute naming a milestone holds and settles only that milestone (refund, then release
/// of the rest, in one commit). A card or bank refund is handed to its rail after that commit (decision 3), as
/// cancelling does.
/// </summary>
public sealed class DisputeService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    DisputeSettlement settlement,
    RefundService refunds,
    EventOutbox events,
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
                var milestone = await settlement.DisputedMilestoneAsync(order, request.MilestoneId, ct);
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
                        ? await settlement.SettleAsync(order, dispute, refundMinor, ct)
                        : await settlement.SettleMilestoneAsync(order, milestone, dispute, refundMinor, ct);
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
