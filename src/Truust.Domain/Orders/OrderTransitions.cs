using Truust.Domain.Lifecycle;
using Truust.Domain.Payments;
using static Truust.Domain.Orders.OrderActor;
using static Truust.Domain.Orders.OrderStatus;
using static Truust.Domain.Orders.OrderTrigger;
using OrderTransition = Truust.Domain.Lifecycle.Transition<
    Truust.Domain.Orders.OrderStatus,
    Truust.Domain.Orders.OrderTrigger,
    Truust.Domain.Orders.OrderActor,
    Truust.Domain.Orders.EscrowEffect,
    Truust.Domain.Orders.OrderFacts
>;

namespace Truust.Domain.Orders;

/// <summary>
/// What the order table's guards read: the order, and the status of its payout when the caller loaded it (null
/// when it did not, or there is none; a guard on the payout then holds, as it does for a response's
/// <c>allowed_actions</c>, which never loads the payout).
/// </summary>
public readonly record struct OrderFacts(Order Order, PayoutStatus? PayoutStatus = null);

/// <summary>
/// The order lifecycle as data: the only place that says which (status, trigger) pairs are legal. Reading this
/// table tells the whole lifecycle; <see cref="Order.Apply"/> is the only code that changes a status, and the
/// API's <c>allowed_actions</c> and 409 bodies are computed from it, so they cannot disagree.
/// </summary>
public static class OrderTransitions
{
    private const OrderActor Parties = Platform | Buyer | Operator;

    /// <summary>An order is refunded explicitly only while it still holds money.</summary>
    public static readonly Guard<OrderFacts> HoldsMoney = new(
        "the order still holds money",
        f => f.Order.HeldMinor > 0,
        f => Order.NothingLeftToRefund(f.Order.Id)
    );

    /// <summary>A released order is refunded (clawed back) while less than what was paid has gone back.</summary>
    public static readonly Guard<OrderFacts> NotFullyRefunded = new(
        "less than what was paid has been refunded",
        f => f.Order.RefundedMinor < f.Order.AmountMinor,
        f => new BusinessRuleException(
            "refund_exceeds_paid",
            $"Order {f.Order.Id} was refunded everything it was paid already.",
            "amount"
        )
    );

    /// <summary>
    /// An order whose buyer is identified waits in PENDING_PUBLISH for its first payment: paying starts it in place,
    /// once. A second payin while one is under way is refused; after a failed one the order is in FAILURE.
    /// </summary>
    public static readonly Guard<OrderFacts> NoPaymentYet = new(
        "no payment has been started",
        f => f.Order.PayinId is null,
        f => new ConflictException(
            "payment_in_progress",
            $"Order {f.Order.Id} already has a payment under way (payin {f.Order.PayinId})."
        )
    );

    /// <summary>
    /// Once the release worker has handed the payout to the bank (SUBMITTING), the money is on its way: nothing may
    /// block or cancel the order until the bank answers. Checked from every status, before the rows, so the
    /// refusal says so whatever the order's status.
    /// </summary>
    public static readonly IReadOnlyList<TriggerGuard<OrderTrigger, OrderFacts>> TriggerGuards =
    [
        new(Block, ReleaseNotInProgress("blocked")),
        new(OrderTrigger.Cancel, ReleaseNotInProgress("cancelled")),
        new(OrderTrigger.Refund, ReleaseNotInProgress("refunded")),
        new(RefundAll, ReleaseNotInProgress("refunded")),
        new(Chargeback, ReleaseNotInProgress("charged back")),
        new(Validate, NoOpenDispute("validated")),
        new(OrderTrigger.Cancel, NoOpenDispute("cancelled")),
        new(Release, NoOpenDispute("released")),
        new(OrderTrigger.OpenDispute, NoOpenDispute("disputed again")),
        // The dispute decides how much goes back: its settlement ends the dispute before it refunds.
        new(OrderTrigger.Refund, NoOpenDispute("refunded")),
        new(RefundAll, NoOpenDispute("refunded")),
        // A sandbox chargeback while a dispute holds the order is refused: the platform settles the dispute first.
        new(Chargeback, NoOpenDispute("charged back")),
        new(ReleaseMilestone, NoOpenDispute("released")),
        // An order paid in stages is delivered and validated milestone by milestone.
        new(Deliver, NoMilestones("delivered")),
        new(Validate, NoMilestones("validated")),
        // A dispute's settlement refunds and validates the whole order: on an order paid in milestones a dispute
        // names the milestone it is about (DISPUTE_MILESTONE) and settles only that milestone's money.
        new(OrderTrigger.OpenDispute, NoMilestonesToDispute()),
    ];

    /// <summary>The milestone actions exist only on an order paid in stages.</summary>
    private static Guard<OrderFacts> OnlyMilestones() =>
        new(
            "the order is paid in milestones",
            f => f.Order.HasMilestones,
            f => new ConflictException("no_milestones", $"Order {f.Order.Id} has no milestones.")
        );

    /// <summary>A delivery is declared once: it starts the one inspection window.</summary>
    public static readonly Guard<OrderFacts> NotDeliveredYet = new(
        "the delivery has not been declared yet",
        f => f.Order.DeliveredAt is null,
        f => new ConflictException("already_delivered", $"Order {f.Order.Id} was already delivered.")
    )
    {
        ListsAllowedActions = true,
    };

    public static readonly IReadOnlyList<OrderTransition> Table =
    [
        // PENDING_PUBLISH is the seed's "buyer identified, pending payment": an order enters it when its buyer is
        // known (at creation, or on the buyer link), or when a payin is made for an order with no buyer yet. Not an
        // API action: the system records a buyer given at creation, the buyer identifies themself on the link.
        new(Draft, IdentifyBuyer, PendingPublish, EscrowEffect.None, Buyer | OrderActor.System),
        new(Draft, Pay, PendingPublish, EscrowEffect.None, Platform | Buyer),
        new(PendingPublish, Pay, PendingPublish, EscrowEffect.None, Platform | Buyer, NoPaymentYet),
        new(Draft, OrderTrigger.Cancel, Cancelled, EscrowEffect.None, Parties),
        new(PendingPublish, ConfirmPayin, Published, EscrowEffect.FundEscrow, Gateway),
        new(PendingPublish, FailPayin, Failure, EscrowEffect.None, Gateway | OrderActor.System),
        new(PendingPublish, OrderTrigger.Cancel, Cancelled, EscrowEffect.VoidPendingPayin, Parties),
        new(Failure, Pay, PendingPublish, EscrowEffect.None, Platform | Buyer),
        new(Failure, OrderTrigger.Cancel, Cancelled, EscrowEffect.None, Parties),
        new(Published, Accept, Accepted, EscrowEffect.None, Platform | Seller | Operator),
        new(Published, Reject, Rejected, EscrowEffect.None, Platform | Seller | Operator),
        new(Published, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties),
        // A partial refund leaves the rest held and releasable; one that empties the escrow ends the order (RefundAll).
        new(Published, OrderTrigger.Refund, Published, EscrowEffect.RefundPart, Platform | Operator, HoldsMoney),
        new(Published, RefundAll, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        new(Rejected, OrderTrigger.Refund, Rejected, EscrowEffect.RefundPart, Platform | Operator, HoldsMoney),
        new(Accepted, CreatePayout, PendingValidate, EscrowEffect.None, Platform | Seller | Operator),
        new(Accepted, Deliver, Accepted, EscrowEffect.None, Platform | Seller | Operator, NotDeliveredYet),
        new(Accepted, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties),
        new(Accepted, OrderTrigger.Refund, Accepted, EscrowEffect.RefundPart, Platform | Operator, HoldsMoney),
        new(Accepted, RefundAll, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        new(
            PendingValidate,
            Deliver,
            PendingValidate,
            EscrowEffect.None,
            Platform | Seller | Operator,
            NotDeliveredYet
        ),
        new(PendingValidate, OrderTrigger.OpenDispute, PendingValidate, EscrowEffect.None, Platform | Buyer),
        new(PendingValidate, DisputeMilestone, PendingValidate, EscrowEffect.None, Platform | Buyer, OnlyMilestones()),
        // An order paid in stages: its milestones are delivered once it is accepted, released once the seller said
        // where to be paid; when the last money leaves escrow and some was released, the order is RELEASED.
        new(Accepted, DeliverMilestone, Accepted, EscrowEffect.None, Platform | Seller | Operator, OnlyMilestones()),
        new(
            PendingValidate,
            DeliverMilestone,
            PendingValidate,
            EscrowEffect.None,
            Platform | Seller | Operator,
            OnlyMilestones()
        ),
        new(
            PendingValidate,
            ReleaseMilestone,
            PendingValidate,
            EscrowEffect.PayMilestone,
            Platform | Operator | OrderActor.System,
            OnlyMilestones()
        ),
        new(PendingValidate, FinishMilestones, Released, EscrowEffect.MilestonesSettled, OrderActor.System),
        new(PendingValidate, Validate, PendingRelease, EscrowEffect.None, Platform | Operator | OrderActor.System),
        new(
            PendingValidate,
            OrderTrigger.Refund,
            PendingValidate,
            EscrowEffect.RefundPart,
            Platform | Operator | OrderActor.System,
            HoldsMoney
        ),
        new(PendingValidate, RefundAll, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        new(PendingValidate, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties | OrderActor.System),
        new(PendingRelease, Release, Released, EscrowEffect.PaySeller, OrderActor.System),
        new(Released, OrderTrigger.Refund, Released, EscrowEffect.ClawBack, Platform | Operator, NotFullyRefunded),
        new(PendingRelease, Block, BlockedRelease, EscrowEffect.None, Operator),
        new(PendingRelease, RefuseRelease, BlockedRelease, EscrowEffect.None, Gateway),
        new(
            PendingRelease,
            OrderTrigger.Refund,
            PendingRelease,
            EscrowEffect.RefundPart,
            Platform | Operator,
            HoldsMoney
        ),
        new(PendingRelease, RefundAll, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        new(BlockedRelease, Unblock, PendingRelease, EscrowEffect.None, Operator),
        new(BlockedRelease, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Operator),
        new(
            BlockedRelease,
            OrderTrigger.Refund,
            BlockedRelease,
            EscrowEffect.RefundPart,
            Platform | Operator,
            HoldsMoney
        ),
        new(BlockedRelease, RefundAll, Cancelled, EscrowEffect.RefundBuyer, OrderActor.System),
        // A chargeback is the card processor's: the money has already gone back to the card, and the order ends
        // CANCELLED with an empty escrow. REJECTED stays final: its money goes back by the platform's explicit
        // refund, and a chargeback there is refused.
        new(Published, Chargeback, Cancelled, EscrowEffect.ChargeBack, Gateway),
        new(Accepted, Chargeback, Cancelled, EscrowEffect.ChargeBack, Gateway),
        new(PendingValidate, Chargeback, Cancelled, EscrowEffect.ChargeBack, Gateway),
        new(PendingRelease, Chargeback, Cancelled, EscrowEffect.ChargeBack, Gateway),
        new(BlockedRelease, Chargeback, Cancelled, EscrowEffect.ChargeBack, Gateway),
    ];

    /// <summary>The engine over <see cref="Table"/>: what is allowed now, and the one refusal when it is not.</summary>
    public static readonly TransitionTable<OrderStatus, OrderTrigger, OrderActor, EscrowEffect, OrderFacts> Lifecycle =
        new("Order", Table, f => f.Order.Id, f => f.Order.Status)
        {
            TriggerGuards = TriggerGuards,
            RefusalExplanations = new Dictionary<OrderTrigger, string>
            {
                [OrderTrigger.Refund] =
                    "only an order that holds money, or a RELEASED one not yet fully refunded, is refunded.",
            },
            RefusalListsAllowedActions = true,
        };

    /// <summary>The transition for this pair, or null when the pair is illegal.</summary>
    public static OrderTransition? Find(OrderStatus from, OrderTrigger trigger) => Lifecycle.Find(from, trigger);

    /// <summary>The triggers the rows let <paramref name="actor"/> fire from <paramref name="status"/>, in table
    /// order, before guards (<see cref="Order.AllowedTriggers"/> asks them too).</summary>
    public static IReadOnlyList<OrderTrigger> AllowedFor(OrderStatus status, OrderActor actor) =>
        Lifecycle.PermittedFor(status, actor);

    /// <summary>
    /// The table as Markdown, in wire names. The README embeds exactly this text and a test compares the two,
    /// so the documentation cannot drift from the code.
    /// </summary>
    public static string ToMarkdown()
    {
        static string Who(OrderActor actors) =>
            string.Join(
                ", ",
                Enum.GetValues<OrderActor>().Where(a => a != None && actors.HasFlag(a)).Select(a => WireName.Action(a))
            );
        var lines = new List<string> { "| from | action | to | escrowed money | who |", "|---|---|---|---|---|" };
        lines.AddRange(
            Table.Select(t =>
                $"| {WireName.Of(t.From)} | {WireName.Action(t.Trigger)} | {WireName.Of(t.To)} | "
                + $"{WireName.Action(t.Effect).Replace('_', ' ')} | {Who(t.Actors)} |"
            )
        );
        return string.Join('\n', lines);
    }

    /// <summary>Statuses with nowhere left to go.</summary>
    public static bool IsFinal(OrderStatus status) => Lifecycle.IsFinal(status);

    /// <summary>
    /// Whether money sits in escrow in this status, so that the escrow balance must equal the amount paid in
    /// less what was refunded. Outside these statuses the escrow must be empty.
    /// </summary>
    public static bool HoldsFunds(OrderStatus status) =>
        status is Published or Accepted or Rejected or PendingValidate or PendingRelease or BlockedRelease;

    private static Guard<OrderFacts> NoOpenDispute(string refused) =>
        new(
            "no dispute is open",
            f => f.Order.OpenDisputeId is null,
            f => new ConflictException(
                "dispute_open",
                $"Order {f.Order.Id} has an open dispute ({f.Order.OpenDisputeId}); it cannot be {refused} until the "
                    + "dispute is settled."
            )
        )
        {
            ListsAllowedActions = true,
        };

    private static Guard<OrderFacts> NoMilestonesToDispute() =>
        new(
            "the order is not paid in milestones",
            f => !f.Order.HasMilestones,
            f => new ConflictException(
                "order_has_milestones",
                $"Order {f.Order.Id} is paid in milestones; a dispute on it names the milestone it is about "
                    + "(milestone_id)."
            )
        );

    private static Guard<OrderFacts> NoMilestones(string refused) =>
        new(
            "the order is not paid in milestones",
            f => !f.Order.HasMilestones,
            f => new ConflictException(
                "order_has_milestones",
                $"Order {f.Order.Id} is paid in milestones; it is {refused} milestone by milestone "
                    + "(/v1/orders/{id}/milestones/{milestone_id}/...)."
            )
        );

    private static Guard<OrderFacts> ReleaseNotInProgress(string refused) =>
        new(
            "the payout is not being handed to the bank",
            f => f.PayoutStatus != PayoutStatus.Submitting,
            f => new ConflictException(
                "release_in_progress",
                $"Order {f.Order.Id}'s payout is being handed to the bank right now; it can no longer be {refused}."
            )
        );
}
