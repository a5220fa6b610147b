using Truust.Domain.Lifecycle;
using Truust.Domain.Payments;

namespace Truust.Domain.Orders;

/// <summary>
/// An escrow order: a buyer's money held until the platform's conditions are met, then released to the
/// seller. Its status changes only through <see cref="Apply"/>, which asks the transition table.
/// </summary>
public sealed class Order : IHasId
{
    private Order()
    {
        Id = PlatformId = Name = Currency = SellerId = BuyerToken = SellerToken = string.Empty;
        Metadata = new Dictionary<string, string>();
    }

    public Order(string platformId, string name, Money amount, string? buyerId, string sellerId, DateTimeOffset now)
    {
        Id = Ids.New("ord");
        PlatformId = platformId;
        Name = name;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        BuyerId = buyerId;
        SellerId = sellerId;
        Status = OrderStatus.Draft;
        BuyerToken = Ids.Secret();
        SellerToken = Ids.Secret();
        Metadata = new Dictionary<string, string>();
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Name { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public Money Amount => new(AmountMinor, Domain.Currency.Of(Currency));

    public string? BuyerId { get; private set; }

    public string SellerId { get; private set; }

    public OrderStatus Status { get; private set; }

    /// <summary>Money in this order's escrow now, kept in step with the ledger in the same commit.</summary>
    public long HeldMinor { get; private set; }

    /// <summary>Total refunded to the buyer so far.</summary>
    public long RefundedMinor { get; private set; }

    /// <summary>Total that left escrow to the seller side (fee and splits included) so far.</summary>
    public long ReleasedMinor { get; private set; }

    /// <summary>Whether the order is paid in stages (<see cref="Milestone"/>): then each milestone is delivered,
    /// validated, released and refunded on its own, and the order-level deliver and validate are refused.</summary>
    public bool HasMilestones { get; private set; }

    /// <summary>Fee the platform takes at release; null means the platform's default applies.</summary>
    public long? FeeMinor { get; set; }

    public string? BuyerConfirmedUrl { get; set; }

    public string? BuyerDeniedUrl { get; set; }

    public string? SellerConfirmedUrl { get; set; }

    public string? SellerDeniedUrl { get; set; }

    public Dictionary<string, string> Metadata { get; set; }

    /// <summary>Secret part of the buyer's capability link.</summary>
    public string BuyerToken { get; private set; }

    /// <summary>Secret part of the seller's capability link.</summary>
    public string SellerToken { get; private set; }

    /// <summary>The payin that funded (or is funding) the order.</summary>
    public string? PayinId { get; private set; }

    /// <summary>Where the seller is paid at release.</summary>
    public string? PayoutId { get; private set; }

    public string? OrderGroupId { get; set; }

    /// <summary>Why the release is blocked, while it is.</summary>
    public string? BlockedReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>Hours the buyer has to inspect the goods once delivered (a copy of the policy at creation).</summary>
    public int InspectionHours { get; private set; } = ReleasePolicy.Default.InspectionHours;

    /// <summary>Whether the inspection window's end validates the order (actor <c>system</c>).</summary>
    public bool AutoValidate { get; private set; } = ReleasePolicy.Default.AutoValidate;

    public int SellerResponseHours { get; private set; } = ReleasePolicy.Default.SellerResponseHours;

    public int BuyerResponseHours { get; private set; } = ReleasePolicy.Default.BuyerResponseHours;

    public SilenceWinner SilenceWinner { get; private set; } = ReleasePolicy.Default.SilenceWinner;

    public ReleasePolicy Policy =>
        new(InspectionHours, AutoValidate, SellerResponseHours, BuyerResponseHours, SilenceWinner);

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>When the buyer's inspection window ends; set by the delivery.</summary>
    public DateTimeOffset? InspectionEndsAt { get; private set; }

    public string? TrackingCarrier { get; private set; }

    public string? TrackingNumber { get; private set; }

    public string? TrackingUrl { get; private set; }

    /// <summary>The dispute holding the order, while one is open: validate, release and cancel wait for it.</summary>
    public string? OpenDisputeId { get; private set; }

    /// <summary>Takes the release policy the order runs under (at creation).</summary>
    public void SetPolicy(ReleasePolicy policy)
    {
        InspectionHours = policy.InspectionHours;
        AutoValidate = policy.AutoValidate;
        SellerResponseHours = policy.SellerResponseHours;
        BuyerResponseHours = policy.BuyerResponseHours;
        SilenceWinner = policy.SilenceWinner;
    }

    /// <summary>
    /// The seller declares the goods delivered: the inspection window starts now (the table decides whether the
    /// order may be delivered, and only once).
    /// </summary>
    public void Deliver(OrderActor actor, string? carrier, string? number, string? url, DateTimeOffset now)
    {
        EnsureCan(OrderTrigger.Deliver, actor);
        DeliveredAt = now;
        InspectionEndsAt = now.AddHours(InspectionHours);
        TrackingCarrier = carrier;
        TrackingNumber = number;
        TrackingUrl = url;
        UpdatedAt = now;
    }

    /// <summary>A dispute now holds the order (the table refuses a second one).</summary>
    public void HoldForDispute(string disputeId, OrderActor actor, DateTimeOffset now)
    {
        EnsureCan(OrderTrigger.OpenDispute, actor);
        OpenDisputeId = disputeId;
        UpdatedAt = now;
    }

    /// <summary>The dispute is settled: the order is free to move again (its settlement moves it next).</summary>
    public void EndDispute(string disputeId)
    {
        if (OpenDisputeId != disputeId)
        {
            throw new InvalidOperationException($"Order {Id} is not held by dispute {disputeId}.");
        }

        OpenDisputeId = null;
    }

    /// <summary>
    /// What <paramref name="actor"/> may do now, in table order: the rows and their guards agree (this is
    /// <c>allowed_actions</c>). Pass the payout's status when it is loaded; without it, the payout guard holds.
    /// </summary>
    public IReadOnlyList<OrderTrigger> AllowedTriggers(OrderActor actor, PayoutStatus? payoutStatus = null) =>
        OrderTransitions.Lifecycle.Allowed(new OrderFacts(this, payoutStatus), actor);

    /// <summary>
    /// Fires <paramref name="trigger"/>: the only code that assigns <see cref="Status"/>. Refused, changing nothing,
    /// with <see cref="InvalidTransitionException"/> when the table has no such pair or <paramref name="actor"/> may
    /// not fire it, or with a guard's own error when a guard does not hold. An action in place (a refund) has no
    /// status to change: ask <see cref="EnsureCan"/> for it instead.
    /// </summary>
    public OrderStatusChange Apply(
        OrderTrigger trigger,
        OrderActor actor,
        DateTimeOffset now,
        string? reason = null,
        PayoutStatus? payoutStatus = null
    )
    {
        var transition = OrderTransitions.Lifecycle.Resolve(new OrderFacts(this, payoutStatus), trigger, actor);
        if (!transition.ChangesStatus)
        {
            throw new InvalidOperationException($"'{trigger}' keeps order {Id} {Status}: there is no status to apply.");
        }

        var change = new OrderStatusChange(Id, Status, transition.To, trigger, actor, reason, now);
        Status = transition.To;
        UpdatedAt = now;
        BlockedReason = Status == OrderStatus.BlockedRelease ? reason : null;
        if (Status == OrderStatus.Released)
        {
            ReleasedAt = now;
        }

        return change;
    }

    /// <summary>Asks whether a trigger would be accepted now, without firing it; refuses as <see cref="Apply"/>
    /// would.</summary>
    public void EnsureCan(OrderTrigger trigger, OrderActor actor, PayoutStatus? payoutStatus = null) =>
        OrderTransitions.Lifecycle.Resolve(new OrderFacts(this, payoutStatus), trigger, actor);

    public void AttachPayin(string payinId) => PayinId = payinId;

    /// <summary>At creation: the order is paid in stages.</summary>
    public void UseMilestones() => HasMilestones = true;

    public void AttachPayout(string payoutId) => PayoutId = payoutId;

    public void IdentifyBuyer(string buyerId)
    {
        if (BuyerId is not null && BuyerId != buyerId)
        {
            throw new ConflictException("buyer_already_set", $"Order {Id} already has a buyer.");
        }

        BuyerId = buyerId;
    }

    /// <summary>Records money entering escrow (the ledger transfer is written in the same commit).</summary>
    public void Hold(long amountMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        HeldMinor = checked(HeldMinor + amountMinor);
    }

    /// <summary>Records money leaving escrow to the seller side; never more than is held.</summary>
    public void ReleaseHeld(long amountMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        if (amountMinor > HeldMinor)
        {
            throw new InvalidOperationException($"Order {Id} holds {HeldMinor}; cannot release {amountMinor}.");
        }

        HeldMinor -= amountMinor;
        ReleasedMinor = checked(ReleasedMinor + amountMinor);
    }

    /// <summary>Records that a chargeback took everything held back to the card; returns how much that was.</summary>
    public long ChargeBack()
    {
        var held = HeldMinor;
        HeldMinor = 0;
        return held;
    }

    /// <summary>Records money going back to the buyer; a refund can never exceed what is held.</summary>
    public void Refund(long amountMinor)
    {
        if (HeldMinor == 0)
        {
            throw NothingLeftToRefund(Id);
        }

        if (amountMinor <= 0)
        {
            throw new BusinessRuleException("invalid_amount", "A refund must be a positive amount.", "amount");
        }

        if (amountMinor > HeldMinor)
        {
            throw new BusinessRuleException(
                "refund_exceeds_held",
                $"Order {Id} holds {HeldMinor} minor units; a refund of {amountMinor} is more than that.",
                "amount"
            );
        }

        HeldMinor -= amountMinor;
        RefundedMinor = checked(RefundedMinor + amountMinor);
    }

    /// <summary>
    /// Records a refund after release: the money comes back into escrow from the seller side and leaves it for the
    /// buyer in the same commit, so nothing stays held. Across all refunds, never more than was paid.
    /// </summary>
    public void RefundAfterRelease(long amountMinor)
    {
        if (Status != OrderStatus.Released)
        {
            throw new InvalidOperationException($"Order {Id} is {Status}; only a released order is clawed back.");
        }

        if (amountMinor <= 0)
        {
            throw new BusinessRuleException("invalid_amount", "A refund must be a positive amount.", "amount");
        }

        if (amountMinor > AmountMinor - RefundedMinor)
        {
            throw new BusinessRuleException(
                "refund_exceeds_paid",
                $"Order {Id} was paid {AmountMinor} minor units and {RefundedMinor} were refunded already; a refund "
                    + $"of {amountMinor} is more than the {AmountMinor - RefundedMinor} left.",
                "amount"
            );
        }

        RefundedMinor = checked(RefundedMinor + amountMinor);
    }

    /// <summary>The refusal of a refund when the escrow is empty (also the refund row's guard).</summary>
    internal static BusinessRuleException NothingLeftToRefund(string orderId) =>
        new("refund_exceeds_held", $"Order {orderId} holds nothing any more to refund.", "amount");
}

/// <summary>One row of an order's append-only status history.</summary>
public sealed class OrderStatusChange : IHasId
{
    private OrderStatusChange()
    {
        Id = OrderId = string.Empty;
    }

    public OrderStatusChange(
        string orderId,
        OrderStatus from,
        OrderStatus to,
        OrderTrigger trigger,
        OrderActor actor,
        string? reason,
        DateTimeOffset at
    )
    {
        Id = Ids.New("osc");
        OrderId = orderId;
        From = from;
        To = to;
        Trigger = trigger;
        Actor = OneActor(actor);
        Reason = reason;
        At = at;
    }

    /// <summary>
    /// The one actor a history row names. The operator may act with a platform's rights (Operator | Platform: it
    /// pays an order on the platform's behalf); the row names the operator, who acted. Stored as one name, a
    /// combination could not be written at all.
    /// </summary>
    private static OrderActor OneActor(OrderActor actor) =>
        actor.HasFlag(OrderActor.Operator) ? OrderActor.Operator
        : System.Numerics.BitOperations.IsPow2((uint)actor) ? actor
        : throw new ArgumentOutOfRangeException(nameof(actor), actor, "A status change has exactly one actor.");

    public string Id { get; private set; }

    public string OrderId { get; private set; }

    public OrderStatus From { get; private set; }

    public OrderStatus To { get; private set; }

    public OrderTrigger Trigger { get; private set; }

    public OrderActor Actor { get; private set; }

    public string? Reason { get; private set; }

    public DateTimeOffset At { get; private set; }
}
