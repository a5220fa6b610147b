namespace Truust.Domain.Orders;

/// <summary>The eleven statuses of the Truust order flow. Serialised as upper snake case
/// (<c>PENDING_PUBLISH</c>).</summary>
public enum OrderStatus
{
    Draft,
    PendingPublish,
    Failure,
    Published,
    Cancelled,
    Accepted,
    Rejected,
    PendingValidate,
    PendingRelease,
    BlockedRelease,
    Released,
}

/// <summary>Everything that can happen to an order. Only the transition table decides where each leads.</summary>
public enum OrderTrigger
{
    /// <summary>A payin was created for the order (also a retry after a failed one).</summary>
    Pay,

    /// <summary>The gateway confirmed the payin: the money is in escrow.</summary>
    ConfirmPayin,

    /// <summary>The gateway denied the payin, or an unpaid wire expired.</summary>
    FailPayin,
    Cancel,
    Accept,
    Reject,

    /// <summary>The seller said where to be paid.</summary>
    CreatePayout,
    Validate,

    /// <summary>The release worker moved the money out of escrow.</summary>
    Release,
    Block,

    /// <summary>The bank refused the payout up front.</summary>
    RefuseRelease,
    Unblock,

    /// <summary>The platform sends part or all of what the order holds back to the buyer while it holds money; also
    /// the partial refund that settles a dispute. The status stays (see <see cref="RefundAll"/>).</summary>
    Refund,

    /// <summary>A refund emptied the escrow of an order on its way to release: the order ends CANCELLED. Fired by
    /// the system in the refund's own commit, never asked for directly (a REJECTED order stays REJECTED).</summary>
    RefundAll,

    /// <summary>The cardholder's bank reversed the card payment (a chargeback) while the escrow held it.</summary>
    Chargeback,

    /// <summary>The order's buyer became known (given at creation, or saying who they are on the buyer link).</summary>
    IdentifyBuyer,

    /// <summary>The seller says the goods are delivered (optionally with tracking): the inspection window
    /// starts.</summary>
    Deliver,

    /// <summary>The buyer reports a problem: a dispute holds the order until it is settled.</summary>
    OpenDispute,

    /// <summary>The buyer reports a problem with one milestone of an order paid in stages: a dispute holds only that
    /// milestone until it is settled, the others go on.</summary>
    DisputeMilestone,

    /// <summary>The seller delivers one milestone of an order paid in stages (the milestone's own table decides
    /// which).</summary>
    DeliverMilestone,

    /// <summary>One milestone is validated and released: its money leaves escrow, the rest stays held.</summary>
    ReleaseMilestone,

    /// <summary>The last money of an order paid in stages left escrow and some of it was released: the order is
    /// RELEASED (fired by the system in that commit).</summary>
    FinishMilestones,
}

/// <summary>Who may fire a trigger. A platform acts through its API key; the operator through the operator
/// key.</summary>
[Flags]
public enum OrderActor
{
    None = 0,
    Platform = 1,
    Buyer = 2,
    Seller = 4,
    Gateway = 8,
    Operator = 16,
    System = 32,
}

/// <summary>What a transition does to the order's escrowed money.</summary>
public enum EscrowEffect
{
    None,

    /// <summary>A pending payin is voided; nothing was held yet.</summary>
    VoidPendingPayin,

    /// <summary>The payin's money arrives in escrow.</summary>
    FundEscrow,

    /// <summary>Everything still held goes back to the buyer along the rail it came by.</summary>
    RefundBuyer,

    /// <summary>Everything held goes to the seller, less the fee and splits.</summary>
    PaySeller,

    /// <summary>As much of what is held as the platform asks goes back to the buyer; the status stays.</summary>
    RefundPart,

    /// <summary>Everything held goes back to the card: the card processor already took it (a chargeback).</summary>
    ChargeBack,

    /// <summary>One milestone's money goes to the seller, less its part of the fee and splits; the rest stays
    /// held.</summary>
    PayMilestone,

    /// <summary>Nothing is left in escrow: every milestone was released, refunded or cancelled.</summary>
    MilestonesSettled,

    /// <summary>After release: the refund comes back from the seller side (and the platform's reserve for any
    /// shortfall) and goes to the buyer; nothing stays held.</summary>
    ClawBack,
}
