using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Platforms;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

public sealed class CreateOrderRequest
{
    /// <example>Vintage bicycle</example>
    public string? Name { get; set; }

    /// <summary>Minor units: 15000 EUR is 150.00 EUR.</summary>
    /// <example>15000</example>
    public long? Amount { get; set; }

    /// <example>EUR</example>
    public string? Currency { get; set; }

    /// <summary>Optional: a buyer can identify themself later through the buyer link.</summary>
    public string? BuyerId { get; set; }

    public string? SellerId { get; set; }

    public string? BuyerConfirmedUrl { get; set; }

    public string? BuyerDeniedUrl { get; set; }

    public string? SellerConfirmedUrl { get; set; }

    public string? SellerDeniedUrl { get; set; }

    /// <summary>Overrides the platform's default fee for this order (0 disables it).</summary>
    public long? FeeAmount { get; set; }

    public List<SplitRequest>? Splits { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>This order's own release policy; omitted fields take the platform's.</summary>
    public ReleasePolicyRequest? ReleasePolicy { get; set; }

    /// <summary>
    /// Optional: the order is paid in stages. One payin funds them all; each is delivered, validated and released
    /// (its own payout, the fee and splits pro rata), refunded or cancelled on its own.
    /// </summary>
    public List<MilestoneRequest>? Milestones { get; set; }
}

/// <summary>Part of the order paid at release to another wallet: a fixed amount or a percentage.</summary>
public sealed class SplitRequest
{
    public string? WalletId { get; set; }

    /// <summary>Minor units; give this or percent_bp.</summary>
    public long? Amount { get; set; }

    /// <summary>Basis points of the order amount (1000 = 10 %); give this or amount.</summary>
    public long? PercentBp { get; set; }
}

public sealed class CreateOrderRequestValidator : AbstractValidator<CreateOrderRequest>
{
    public const int MaxSplits = 20;

    public CreateOrderRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.SellerId).ValidId("cus");
        RuleFor(r => r.BuyerId).ValidId("cus").When(r => r.BuyerId is not null);
        RuleFor(r => r.BuyerId).NotEqual(r => r.SellerId).WithMessage("buyer_id and seller_id must differ.");
        RuleFor(r => r.BuyerConfirmedUrl).ValidUrl();
        RuleFor(r => r.BuyerDeniedUrl).ValidUrl();
        RuleFor(r => r.SellerConfirmedUrl).ValidUrl();
        RuleFor(r => r.SellerDeniedUrl).ValidUrl();
        RuleFor(r => r.FeeAmount).InclusiveBetween(0, Domain.Money.MaxAmountMinor);
        RuleFor(r => r.Metadata).ValidMetadata();
        RuleFor(r => r.ReleasePolicy!)
            .SetValidator(new ReleasePolicyRequestValidator())
            .When(r => r.ReleasePolicy is not null);
        RuleFor(r => r.Milestones)
            .Must(m => m is null || m.Count <= MilestonePlan.MaxMilestones)
            .WithMessage($"An order takes at most {MilestonePlan.MaxMilestones} milestones.");
        RuleForEach(r => r.Milestones)
            .NotNull()
            .WithMessage("milestones holds a null; each milestone is an object.")
            .SetValidator(new MilestoneRequestValidator());
        RuleFor(r => r.Splits)
            .Must(s => s is null || s.Count <= MaxSplits)
            .WithMessage($"An order takes at most {MaxSplits} splits.");
        // ChildRules passes over a null item, which the service would then dereference: a 500, not a 422.
        RuleForEach(r => r.Splits)
            .NotNull()
            .WithMessage("splits holds a null; each split is an object.")
            .ChildRules(split =>
            {
                split.RuleFor(s => s.WalletId).ValidId("wal");
                split
                    .RuleFor(s => s)
                    .Must(s => (s.Amount is null) != (s.PercentBp is null))
                    .WithName("amount")
                    .WithMessage("A split has either amount or percent_bp.");
                split.RuleFor(s => s.Amount).InclusiveBetween(1, Domain.Money.MaxAmountMinor);
                split.RuleFor(s => s.PercentBp).InclusiveBetween(1, 10_000);
            });
    }
}

public sealed class OrderListQuery : PageQuery, ICreatedRange
{
    [FromQuery(Name = "status")]
    public OrderStatus? Status { get; set; }

    [FromQuery(Name = "buyer_id")]
    public string? BuyerId { get; set; }

    [FromQuery(Name = "seller_id")]
    public string? SellerId { get; set; }

    /// <summary>Created at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_gte")]
    public DateTimeOffset? CreatedGte { get; set; }

    /// <summary>Created before this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_lt")]
    public DateTimeOffset? CreatedLt { get; set; }
}

public sealed class OrderListQueryValidator : AbstractValidator<OrderListQuery>
{
    public OrderListQueryValidator()
    {
        PageRules.Apply(this);
        RuleFor(q => q.Status).IsInEnum();
    }
}

/// <summary>Why an action is taken; recorded in the status history.</summary>
public sealed class OrderActionRequest
{
    public string? Reason { get; set; }
}

public sealed class OrderActionRequestValidator : AbstractValidator<OrderActionRequest>
{
    public OrderActionRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}

/// <summary>How the goods travel: all optional.</summary>
public sealed class TrackingRequest
{
    /// <example>DHL</example>
    public string? Carrier { get; set; }

    /// <example>JD014600006281230000</example>
    public string? Number { get; set; }

    /// <example>https://www.dhl.com/track?id=JD014600006281230000</example>
    public string? Url { get; set; }
}

/// <summary>The seller's delivery, optionally with its tracking.</summary>
public sealed class DeliverRequest
{
    public TrackingRequest? Tracking { get; set; }
}

public sealed class DeliverRequestValidator : AbstractValidator<DeliverRequest>
{
    public DeliverRequestValidator()
    {
        RuleFor(r => r.Tracking!.Carrier).MaximumLength(100).When(r => r.Tracking is not null);
        RuleFor(r => r.Tracking!.Number).MaximumLength(100).When(r => r.Tracking is not null);
        RuleFor(r => r.Tracking!.Url).ValidUrl().When(r => r.Tracking is not null);
    }
}

public sealed record TrackingResponse(string? Carrier, string? Number, string? Url);

public sealed record SplitResponse(string WalletId, long Amount, long? PercentBp);

/// <summary>
/// An escrow order. <c>allowed_actions</c> lists what the caller may do now, computed from the same transition
/// table that enforces it.
/// </summary>
public sealed record OrderResponse(
    string Id,
    string Name,
    long Amount,
    string Currency,
    OrderStatus Status,
    string? BuyerId,
    string SellerId,
    long Held,
    long Refunded,
    long? FeeAmount,
    IReadOnlyList<SplitResponse> Splits,
    string? PayinId,
    string? PayoutId,
    string? OrderGroupId,
    string? BlockedReason,
    string BuyerLink,
    string SellerLink,
    string? BuyerConfirmedUrl,
    string? BuyerDeniedUrl,
    string? SellerConfirmedUrl,
    string? SellerDeniedUrl,
    IReadOnlyList<string> AllowedActions,
    Dictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ReleasedAt,
    ReleasePolicyResponse ReleasePolicy,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? InspectionEndsAt,
    TrackingResponse? Tracking,
    string? OpenDisputeId,
    IReadOnlyList<MilestoneResponse> Milestones
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order";
}

public sealed record OrderStatusChangeResponse(
    string Id,
    OrderStatus From,
    OrderStatus To,
    string Action,
    OrderActor Actor,
    string? Reason,
    DateTimeOffset At
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order_status_change";

    public static OrderStatusChangeResponse Of(OrderStatusChange c) =>
        new(c.Id, c.From, c.To, WireName.Action(c.Trigger), c.Actor, c.Reason, c.At);
}

public sealed record LedgerTransferResponse(
    string Id,
    string DebitAccount,
    string CreditAccount,
    long Amount,
    string Currency,
    TransferKind Kind,
    string Reference,
    string? OrderId,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "ledger_transfer";

    public static LedgerTransferResponse From(LedgerTransfer t) =>
        new(
            t.Id,
            t.DebitAccount,
            t.CreditAccount,
            t.AmountMinor,
            t.Currency,
            t.Kind,
            t.Reference,
            t.OrderId,
            t.CreatedAt
        );
}
