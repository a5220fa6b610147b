using Truust.Domain.Lifecycle;

namespace Truust.Domain.Orders;

/// <summary>Where one milestone of an order stands. Serialised as upper snake case.</summary>
public enum MilestoneStatus
{
    /// <summary>Funded (once the order is paid) and waiting for the seller's delivery.</summary>
    Pending,

    /// <summary>Delivered: the buyer's inspection window runs (when the milestone has one).</summary>
    Delivered,

    /// <summary>Validated and paid out: its money (less what was refunded) went to the seller side.</summary>
    Released,

    /// <summary>Everything it held went back to the buyer.</summary>
    Refunded,

    /// <summary>The order was cancelled before this milestone was released: what it held went back.</summary>
    Cancelled,
}

/// <summary>What can happen to a milestone. Only <see cref="MilestoneTransitions"/> says where each leads.</summary>
public enum MilestoneTrigger
{
    /// <summary>The seller says this stage is delivered: its inspection window starts.</summary>
    Deliver,

    /// <summary>The platform (or the inspection window's end) accepts the stage: its money is released.</summary>
    Validate,

    /// <summary>Part of what the milestone holds goes back to the buyer; the rest stays releasable.</summary>
    Refund,

    /// <summary>A refund took everything the milestone held (fired by the system in the refund's commit).</summary>
    RefundAll,

    /// <summary>The order was cancelled: what the milestone holds goes back (fired by the order's cancel).</summary>
    Cancel,
}

/// <summary>
/// One stage of an order paid in stages: its share of the order's amount (and so of its fee and splits), delivered,
/// validated and released, refunded or cancelled on its own. One payin funds every milestone of the order; the
/// order's escrow holds their money together, and each milestone records how much of it is its own.
/// </summary>
public sealed class Milestone : IHasId
{
    private Milestone()
    {
        Id = OrderId = PlatformId = Name = string.Empty;
    }

    public Milestone(
        Order order,
        int position,
        string name,
        long amountMinor,
        long? basisPoints,
        int? inspectionHours,
        DateTimeOffset now
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        Id = Ids.New("mil");
        OrderId = order.Id;
        PlatformId = order.PlatformId;
        Position = position;
        Name = name;
        AmountMinor = amountMinor;
        BasisPoints = basisPoints;
        InspectionHours = inspectionHours;
        Status = MilestoneStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string OrderId { get; private set; }

    public string PlatformId { get; private set; }

    /// <summary>1 for the first stage: the order milestones are listed and allocated in.</summary>
    public int Position { get; private set; }

    public string Name { get; private set; }

    /// <summary>This milestone's part of the order amount (the parts sum to it exactly).</summary>
    public long AmountMinor { get; private set; }

    /// <summary>The share asked for at creation (1 bp = 0.01 %), when it was given as a share.</summary>
    public long? BasisPoints { get; private set; }

    /// <summary>Hours the buyer has to inspect this stage once delivered; null: no window, validated by hand.</summary>
    public int? InspectionHours { get; private set; }

    public MilestoneStatus Status { get; private set; }

    public long RefundedMinor { get; private set; }

    public long ReleasedMinor { get; private set; }

    /// <summary>What is still the milestone's in escrow once the order is paid: its amount less refunds and
    /// release.</summary>
    public long RemainingMinor => AmountMinor - RefundedMinor - ReleasedMinor;

    /// <summary>The open dispute holding this milestone: its validation, release and refunds wait for it.</summary>
    public string? OpenDisputeId { get; private set; }

    /// <summary>The payout that released it.</summary>
    public string? PayoutId { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>When the inspection window ends (delivery + <see cref="InspectionHours"/>), on the platform's
    /// clock.</summary>
    public DateTimeOffset? InspectionEndsAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>What <paramref name="actor"/> may do to this milestone now (its <c>allowed_actions</c>).</summary>
    public IReadOnlyList<MilestoneTrigger> AllowedTriggers(OrderActor actor) =>
        MilestoneTransitions.Lifecycle.Allowed(this, actor);

    /// <summary>Refuses as <see cref="Apply"/> would, changing nothing.</summary>
    public void EnsureCan(MilestoneTrigger trigger, OrderActor actor) =>
        MilestoneTransitions.Lifecycle.Resolve(this, trigger, actor);

    /// <summary>The seller's delivery of this stage: its inspection window (if any) starts now.</summary>
    public void Deliver(OrderActor actor, DateTimeOffset now)
    {
        Apply(MilestoneTrigger.Deliver, actor, now);
        DeliveredAt = now;
        InspectionEndsAt = InspectionHours is { } hours ? now.AddHours(hours) : null;
    }

    /// <summary>
    /// A dispute names this milestone: only a milestone that still holds its money (PENDING or DELIVERED) may be
    /// disputed, one dispute at a time; until it is settled the milestone is neither released nor refunded.
    /// </summary>
    public void HoldForDispute(string disputeId, DateTimeOffset now)
    {
        if (Status is not (MilestoneStatus.Pending or MilestoneStatus.Delivered) || RemainingMinor == 0)
        {
            throw new BusinessRuleException(
                "milestone_not_disputable",
                $"Milestone {Id} is {WireName.Of(Status)}; only a PENDING or DELIVERED milestone that still holds "
                    + "money can be disputed.",
                "milestone_id"
            );
        }

        if (OpenDisputeId is not null)
        {
            throw new ConflictException(
                "dispute_open",
                $"Milestone {Id} has an open dispute ({OpenDisputeId}) already."
            );
        }

        OpenDisputeId = disputeId;
        UpdatedAt = now;
    }

    /// <summary>The dispute holding it is settled (in the commit that settles its money).</summary>
    public void EndDispute(string disputeId)
    {
        if (OpenDisputeId != disputeId)
        {
            throw new InvalidOperationException($"Milestone {Id} is not held by dispute {disputeId}.");
        }

        OpenDisputeId = null;
    }

    /// <summary>Records the release of everything the milestone still holds, paid by
    /// <paramref name="payoutId"/>.</summary>
    public long Release(OrderActor actor, string payoutId, DateTimeOffset now)
    {
        Apply(MilestoneTrigger.Validate, actor, now);
        var released = RemainingMinor;
        ReleasedMinor = checked(ReleasedMinor + released);
        PayoutId = payoutId;
        ReleasedAt = now;
        return released;
    }

    /// <summary>
    /// Records <paramref name="amountMinor"/> going back to the buyer: never more than the milestone holds. One that
    /// takes everything ends it REFUNDED (or CANCELLED when the order's cancel sends it back).
    /// </summary>
    public void Refund(long amountMinor, OrderActor actor, DateTimeOffset now, bool cancelling = false)
    {
        // The table first: a released or refunded milestone refuses as a transition, whatever the amount.
        EnsureCan(cancelling ? MilestoneTrigger.Cancel : MilestoneTrigger.Refund, actor);
        if (amountMinor <= 0)
        {
            throw new BusinessRuleException("invalid_amount", "A refund must be a positive amount.", "amount");
        }

        if (amountMinor > RemainingMinor)
        {
            throw new BusinessRuleException(
                "refund_exceeds_held",
                $"Milestone {Id} holds {RemainingMinor} minor units; a refund of {amountMinor} is more than that.",
                "amount"
            );
        }

        if (cancelling)
        {
            Apply(MilestoneTrigger.Cancel, actor, now);
        }
        else if (amountMinor == RemainingMinor)
        {
            EnsureCan(MilestoneTrigger.Refund, actor);
            Apply(MilestoneTrigger.RefundAll, OrderActor.System, now);
        }
        else
        {
            EnsureCan(MilestoneTrigger.Refund, actor);
            UpdatedAt = now;
        }

        RefundedMinor = checked(RefundedMinor + amountMinor);
    }

    private void Apply(MilestoneTrigger trigger, OrderActor actor, DateTimeOffset now)
    {
        var transition = MilestoneTransitions.Lifecycle.Resolve(this, trigger, actor);
        Status = transition.To;
        UpdatedAt = now;
    }
}
