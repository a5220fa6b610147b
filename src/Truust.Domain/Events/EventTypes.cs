using Truust.Domain.Payments;

namespace Truust.Domain.Events;

/// <summary>
/// Every event type Truust raises: the closed set webhook endpoints subscribe to and the OpenAPI document lists.
/// Payouts and refunds raise one per status (<c>payout.paid</c>, <c>refund.succeeded</c>).
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<string> All { get; } =
    [
        "order.created",
        "order.status_changed",
        "order.buyer_identified",
        "order.delivered",
        "order.milestone.delivered",
        "order.milestone.released",
        "order.milestone.refunded",
        "order.milestone.cancelled",
        "payin.created",
        "payin.requires_action",
        "payin.confirmed",
        "payin.denied",
        "payin.expired",
        "payin.cancelled",
        "payin.charged_back",
        .. Enum.GetValues<PayoutStatus>().Select(s => "payout." + WireName.Of(s).ToLowerInvariant()),
        .. Enum.GetValues<RefundStatus>().Select(s => "refund." + WireName.Of(s).ToLowerInvariant()),
        "transfer.created",
        "campaign.created",
        "campaign.status_changed",
        "campaign.repayment",
        "contribution.confirmed",
        "dispute.opened",
        "dispute.seller_answered",
        "dispute.buyer_accepted",
        "dispute.buyer_rejected",
        "dispute.resolved",
        "dispute.expired",
        "dispute.settled",
        "seller_debt.created",
        "seller_debt.recovered",
        "reserve_hold.created",
        "reserve_hold.freed",
    ];
}
