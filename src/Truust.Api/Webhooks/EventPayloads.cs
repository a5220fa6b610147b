using System.Text.Json.Serialization;
using Truust.Api.Payouts;
using Truust.Api.Wallets;
using Truust.Domain.Campaigns;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Webhooks;

/// <summary>
/// What an event's <c>data</c> carries, per event type: the one table the outbox writes from and the OpenAPI
/// document describes (<see cref="EventSchemas"/>). Each row is one schema of the document: <c>OrderEvent</c> is an
/// <c>EventResponse</c> whose <c>type</c> is one of its types and whose <c>data</c> is an <c>OrderEventData</c>.
/// </summary>
public static class EventPayloads
{
    public sealed record Family(string Schema, Type Data, IReadOnlyList<string> Types);

    public static IReadOnlyList<Family> Families { get; } =
    [
        new("OrderEvent", typeof(OrderEventData), ["order.created", "order.status_changed"]),
        new("OrderBuyerIdentifiedEvent", typeof(OrderBuyerIdentifiedEventData), ["order.buyer_identified"]),
        new("OrderDeliveredEvent", typeof(OrderDeliveredEventData), ["order.delivered"]),
        new(
            "OrderMilestoneEvent",
            typeof(MilestoneEventData),
            [
                "order.milestone.delivered",
                "order.milestone.released",
                "order.milestone.refunded",
                "order.milestone.cancelled",
            ]
        ),
        new(
            "PayinEvent",
            typeof(PayinEventData),
            [
                "payin.created",
                "payin.requires_action",
                "payin.confirmed",
                "payin.denied",
                "payin.expired",
                "payin.cancelled",
                "payin.charged_back",
            ]
        ),
        new("PayoutEvent", typeof(PayoutEventData), [.. Enum.GetValues<PayoutStatus>().Select(PayoutEventData.TypeOf)]),
        new("RefundEvent", typeof(RefundEventData), [.. Enum.GetValues<RefundStatus>().Select(RefundEventData.TypeOf)]),
        new("TransferEvent", typeof(TransferResponse), ["transfer.created"]),
        new("CampaignCreatedEvent", typeof(CampaignCreatedEventData), ["campaign.created"]),
        new("CampaignStatusChangedEvent", typeof(CampaignStatusChangedEventData), ["campaign.status_changed"]),
        new("CampaignRepaymentEvent", typeof(CampaignRepaymentEventData), ["campaign.repayment"]),
        new("ContributionEvent", typeof(ContributionEventData), ["contribution.confirmed"]),
        new(
            "DisputeEvent",
            typeof(DisputeEventData),
            [
                "dispute.opened",
                "dispute.seller_answered",
                "dispute.buyer_accepted",
                "dispute.buyer_rejected",
                "dispute.resolved",
                "dispute.expired",
                "dispute.settled",
            ]
        ),
        new("SellerDebtEvent", typeof(SellerDebtResponse), ["seller_debt.created", "seller_debt.recovered"]),
        new("ReserveHoldEvent", typeof(ReserveHoldResponse), ["reserve_hold.created", "reserve_hold.freed"]),
    ];
}

/// <summary>An order after it was created or changed status (<c>previous_status</c> null on creation).</summary>
public sealed record OrderEventData(
    string Id,
    OrderStatus Status,
    OrderStatus? PreviousStatus,
    long Amount,
    string Currency,
    long Held,
    string? BuyerId,
    string SellerId,
    Dictionary<string, string> Metadata
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order";

    public static OrderEventData Of(Order order, OrderStatus? from) =>
        new(
            order.Id,
            order.Status,
            from,
            order.AmountMinor,
            order.Currency,
            order.HeldMinor,
            order.BuyerId,
            order.SellerId,
            order.Metadata
        );
}

/// <summary>The buyer an order now has.</summary>
public sealed record OrderBuyerIdentifiedEventData(string Id, string BuyerId)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order";
}

/// <summary>An order the seller marked delivered: the inspection period runs until <c>inspection_ends_at</c>.</summary>
public sealed record OrderDeliveredEventData(
    string Id,
    OrderStatus Status,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? InspectionEndsAt,
    EventTracking Tracking
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order";
}

/// <summary>A milestone of an order paid in stages, after it was delivered, released, refunded or cancelled.</summary>
public sealed record MilestoneEventData(
    string Id,
    string OrderId,
    int Position,
    string Name,
    MilestoneStatus Status,
    long Amount,
    long Refunded,
    long Released,
    string? PayoutId,
    DateTimeOffset? InspectionEndsAt,
    string? Reason
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "milestone";

    public static MilestoneEventData Of(Milestone m, string? reason) =>
        new(
            m.Id,
            m.OrderId,
            m.Position,
            m.Name,
            m.Status,
            m.AmountMinor,
            m.RefundedMinor,
            m.ReleasedMinor,
            m.PayoutId,
            m.InspectionEndsAt,
            reason
        );
}

/// <summary>The shipment's tracking, each member null when the seller gave none.</summary>
public sealed record EventTracking(string? Carrier, string? Number, string? Url);

/// <summary>A payin after a change (the event type names its new status).</summary>
public sealed record PayinEventData(
    string Id,
    string? OrderId,
    PayinType Type,
    PayinStatus Status,
    long Amount,
    string Currency,
    string? FailureCode
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payin";

    public static string TypeOf(PayinStatus status) =>
        status switch
        {
            PayinStatus.Succeeded => "payin.confirmed",
            PayinStatus.Failed => "payin.denied",
            PayinStatus.RequiresAction => "payin.requires_action",
            PayinStatus.Expired => "payin.expired",
            PayinStatus.Cancelled => "payin.cancelled",
            PayinStatus.ChargedBack => "payin.charged_back",
            _ => "payin.created",
        };

    public static PayinEventData Of(Payin payin) =>
        new(payin.Id, payin.OrderId, payin.Type, payin.Status, payin.AmountMinor, payin.Currency, payin.FailureCode);
}

/// <summary>A payout after a change: one event type per status (<c>payout.paid</c>).</summary>
public sealed record PayoutEventData(
    string Id,
    string? OrderId,
    PayoutType Type,
    PayoutStatus Status,
    long Amount,
    string Currency,
    string? FailureReason
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payout";

    public static string TypeOf(PayoutStatus status) => $"payout.{Domain.WireName.Of(status).ToLowerInvariant()}";

    public static PayoutEventData Of(Payout payout) =>
        new(
            payout.Id,
            payout.OrderId,
            payout.Type,
            payout.Status,
            payout.AmountMinor,
            payout.Currency,
            payout.FailureReason
        );
}

/// <summary>A refund after a change: one event type per status (<c>refund.succeeded</c>).</summary>
public sealed record RefundEventData(
    string Id,
    string? OrderId,
    string PayinId,
    RefundStatus Status,
    long Amount,
    string Currency
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "refund";

    public static string TypeOf(RefundStatus status) => $"refund.{Domain.WireName.Of(status).ToLowerInvariant()}";

    public static RefundEventData Of(Refund refund) =>
        new(refund.Id, refund.OrderId, refund.PayinId, refund.Status, refund.AmountMinor, refund.Currency);
}

/// <summary>A new campaign: read it with GET /v1/campaigns/{id}.</summary>
public sealed record CampaignCreatedEventData(string Id)
{
    [JsonPropertyOrder(-1)]
    public string Object => "campaign";
}

/// <summary>A campaign after a status change, with what it has raised toward its target.</summary>
public sealed record CampaignStatusChangedEventData(
    string Id,
    CampaignStatus Status,
    CampaignStatus PreviousStatus,
    long Raised,
    long Target,
    string Currency
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "campaign";
}

/// <summary>A loan repayment: its principal and interest in minor units, shared among the lenders.</summary>
public sealed record CampaignRepaymentEventData(string Id, string CampaignId, long Principal, long Interest)
{
    [JsonPropertyOrder(-1)]
    public string Object => "repayment";
}

/// <summary>A confirmed contribution, with the campaign's raised total after it.</summary>
public sealed record ContributionEventData(string Id, string CampaignId, long Amount, string Currency, long Raised)
{
    [JsonPropertyOrder(-1)]
    public string Object => "contribution";
}

/// <summary>A dispute after a step (opened, answered, accepted, rejected, resolved, expired, settled).</summary>
public sealed record DisputeEventData(
    string Id,
    string OrderId,
    string? MilestoneId,
    DisputeStatus Status,
    SellerAnswer? SellerAnswer,
    long? OfferedAmount,
    long? RefundedAmount,
    string Currency,
    string? Outcome,
    DateTimeOffset? DeadlineAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "dispute";

    public static DisputeEventData Of(Dispute dispute) =>
        new(
            dispute.Id,
            dispute.OrderId,
            dispute.MilestoneId,
            dispute.Status,
            dispute.SellerAnswer,
            dispute.OfferedMinor,
            dispute.RefundedMinor,
            dispute.Currency,
            dispute.Outcome,
            dispute.DeadlineAt
        );
}
