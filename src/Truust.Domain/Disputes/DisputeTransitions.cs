using Truust.Domain.Lifecycle;
using static Truust.Domain.Disputes.DisputeActor;
using static Truust.Domain.Disputes.DisputeStatus;
using static Truust.Domain.Disputes.DisputeTrigger;
using DisputeTransition = Truust.Domain.Lifecycle.Transition<
    Truust.Domain.Disputes.DisputeStatus,
    Truust.Domain.Disputes.DisputeTrigger,
    Truust.Domain.Disputes.DisputeActor,
    Truust.Domain.Disputes.DisputeEffect,
    Truust.Domain.Disputes.Dispute
>;

namespace Truust.Domain.Disputes;

/// <summary>Where a dispute stands. RESOLVED and EXPIRED are final; both settle the order's money.</summary>
public enum DisputeStatus
{
    Opened,
    AwaitingSeller,
    AwaitingBuyer,
    Resolved,
    Expired,
}

/// <summary>Everything that can happen to a dispute; the lower-case wire name is the action name.</summary>
public enum DisputeTrigger
{
    /// <summary>The buyer's report reaches the seller.</summary>
    Open,

    /// <summary>The seller gives everything back.</summary>
    RefundInFull,

    /// <summary>The seller offers part of the money back.</summary>
    OfferPartialRefund,

    /// <summary>The seller disputes the buyer's report, with evidence.</summary>
    Contest,

    /// <summary>The buyer accepts the seller's answer (its offer, or nothing back after a contest).</summary>
    Accept,

    /// <summary>The buyer rejects the seller's answer: it is the seller's turn again.</summary>
    Reject,

    /// <summary>The platform or the operator decides the refund.</summary>
    Resolve,

    /// <summary>The party it waited for let its deadline pass: the policy decides.</summary>
    Expire,
}

/// <summary>Who may fire a dispute trigger (flags). A platform's API key may act for either party.</summary>
[Flags]
public enum DisputeActor
{
    None = 0,
    Platform = 1,
    Buyer = 2,
    Seller = 4,
    Operator = 8,
    System = 16,
}

/// <summary>What a move does to the order's escrowed money.</summary>
public enum DisputeEffect
{
    None,

    /// <summary>Everything held goes back to the buyer.</summary>
    RefundAll,

    /// <summary>The amount the seller offered goes back; the rest is released to the seller.</summary>
    RefundOffer,

    /// <summary>The amount the platform or operator decided goes back; the rest is released.</summary>
    RefundDecided,

    /// <summary>The release policy's silence rule decides how much goes back.</summary>
    RefundBySilence,
}

/// <summary>
/// The dispute lifecycle as data, read by the same engine as orders and campaigns: the only place that says which
/// (status, trigger) pairs are legal and who may fire them. A dispute's answers never touch the order's own table:
/// the order stays PENDING_VALIDATE while the dispute is open, and its resolution fires ordinary order triggers
/// (a refund in place, then validate or cancel) with the actor <c>system</c>.
/// </summary>
public static class DisputeTransitions
{
    private const DisputeActor ForSeller = Seller | Platform;
    private const DisputeActor ForBuyer = Buyer | Platform;
    private const DisputeActor Deciders = Platform | Operator;

    public static readonly IReadOnlyList<DisputeTransition> Table =
    [
        new(Opened, Open, AwaitingSeller, DisputeEffect.None, ForBuyer),
        new(AwaitingSeller, RefundInFull, Resolved, DisputeEffect.RefundAll, ForSeller),
        new(AwaitingSeller, OfferPartialRefund, AwaitingBuyer, DisputeEffect.None, ForSeller),
        new(AwaitingSeller, Contest, AwaitingBuyer, DisputeEffect.None, ForSeller),
        new(AwaitingSeller, Resolve, Resolved, DisputeEffect.RefundDecided, Deciders),
        new(AwaitingSeller, Expire, Expired, DisputeEffect.RefundBySilence, DisputeActor.System),
        new(AwaitingBuyer, Accept, Resolved, DisputeEffect.RefundOffer, ForBuyer),
        new(AwaitingBuyer, Reject, AwaitingSeller, DisputeEffect.None, ForBuyer),
        new(AwaitingBuyer, Resolve, Resolved, DisputeEffect.RefundDecided, Deciders),
        new(AwaitingBuyer, Expire, Expired, DisputeEffect.RefundBySilence, DisputeActor.System),
    ];

    public static readonly TransitionTable<
        DisputeStatus,
        DisputeTrigger,
        DisputeActor,
        DisputeEffect,
        Dispute
    > Lifecycle = new("Dispute", Table, d => d.Id, d => d.Status) { RefusalListsAllowedActions = true };

    /// <summary>Disputes still waiting for an answer: they hold the order's money.</summary>
    public static bool IsOpen(DisputeStatus status) => status is Opened or AwaitingSeller or AwaitingBuyer;
}
