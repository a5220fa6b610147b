using Truust.Domain.Lifecycle;
using static Truust.Domain.Orders.MilestoneStatus;
using static Truust.Domain.Orders.MilestoneTrigger;
using static Truust.Domain.Orders.OrderActor;
using MilestoneTransition = Truust.Domain.Lifecycle.Transition<
    Truust.Domain.Orders.MilestoneStatus,
    Truust.Domain.Orders.MilestoneTrigger,
    Truust.Domain.Orders.OrderActor,
    Truust.Domain.Orders.EscrowEffect,
    Truust.Domain.Orders.Milestone
>;

namespace Truust.Domain.Orders;

/// <summary>
/// A milestone's own small lifecycle, read by the same engine as orders, disputes and campaigns. The order's table
/// decides whether the order lets milestones act at all (paid, a payout destination given, no dispute open); this
/// one decides what each milestone may do. RELEASED, REFUNDED and CANCELLED are final.
/// </summary>
public static class MilestoneTransitions
{
    /// <summary>A milestone is refunded only while it still holds money.</summary>
    public static readonly Guard<Milestone> HoldsMoney = new(
        "the milestone still holds money",
        m => m.RemainingMinor > 0,
        m => new BusinessRuleException(
            "refund_exceeds_held",
            $"Milestone {m.Id} holds nothing any more to refund.",
            "amount"
        )
    );

    public static readonly IReadOnlyList<MilestoneTransition> Table =
    [
        new(Pending, Deliver, Delivered, EscrowEffect.None, Platform | Seller | Operator),
        new(Pending, Validate, Released, EscrowEffect.PayMilestone, Platform | Operator),
        new(Pending, Refund, Pending, EscrowEffect.RefundPart, Platform | Operator | OrderActor.System, HoldsMoney),
        new(Pending, RefundAll, Refunded, EscrowEffect.RefundBuyer, OrderActor.System),
        new(Pending, Cancel, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        // The inspection window's end validates a delivered milestone (actor system).
        new(Delivered, Validate, Released, EscrowEffect.PayMilestone, Platform | Operator | OrderActor.System),
        new(Delivered, Refund, Delivered, EscrowEffect.RefundPart, Platform | Operator | OrderActor.System, HoldsMoney),
        new(Delivered, RefundAll, Refunded, EscrowEffect.RefundBuyer, OrderActor.System),
        new(Delivered, Cancel, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
    ];

    /// <summary>The engine over <see cref="Table"/>.</summary>
    public static readonly TransitionTable<
        MilestoneStatus,
        MilestoneTrigger,
        OrderActor,
        EscrowEffect,
        Milestone
    > Lifecycle = new("Milestone", Table, m => m.Id, m => m.Status) { RefusalListsAllowedActions = true };
}
