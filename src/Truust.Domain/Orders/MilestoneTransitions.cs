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

    /// <summary>A milestone a dispute holds is neither validated, refunded nor cancelled until it is settled.</summary>
    public static Guard<Milestone> NoOpenDispute(string refused) =>
        new(
            "no dispute is open on the milestone",
            m => m.OpenDisputeId is null,
            m => new ConflictException(
                "dispute_open",
                $"Milestone {m.Id} has an open dispute ({m.OpenDisputeId}); it cannot be {refused} until the dispute "
                    + "is settled."
            )
        )
        {
            ListsAllowedActions = true,
        };

    /// <summary>Checked from every status, before the rows.</summary>
    public static readonly IReadOnlyList<TriggerGuard<MilestoneTrigger, Milestone>> TriggerGuards =
    [
        new(Validate, NoOpenDispute("validated")),
        new(Refund, NoOpenDispute("refunded")),
        new(Cancel, NoOpenDispute("cancelled")),
    ];

    public static readonly IReadOnlyList<MilestoneTransition> Table =
    [
        new(Pending, Deliver, Delivered, EscrowEffect.None, Platform | Seller | Operator),
        // A dispute's settlement releases what it did not refund (actor system), delivered or not.
        new(Pending, Validate, Released, EscrowEffect.PayMilestone, Platform | Operator | OrderActor.System),
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
    > Lifecycle = new("Milestone", Table, m => m.Id, m => m.Status)
    {
        RefusalListsAllowedActions = true,
        TriggerGuards = TriggerGuards,
    };
}
