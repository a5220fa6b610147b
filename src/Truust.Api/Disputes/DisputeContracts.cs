using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Api.Http;
using Truust.Domain;
using Truust.Domain.Disputes;

namespace Truust.Api.Disputes;

/// <summary>The buyer's report of a problem with a delivered order.</summary>
public sealed class OpenDisputeRequest
{
    /// <summary>In a few words.</summary>
    /// <example>not_as_described</example>
    public string? Reason { get; set; }

    /// <summary>What happened, for the seller and the platform to read.</summary>
    /// <example>The frame is cracked near the saddle.</example>
    public string? Text { get; set; }

    /// <summary>Links to evidence (photos, messages), at most 10.</summary>
    public List<string>? Links { get; set; }

    /// <summary>The milestone disputed: required on an order paid in milestones (only a PENDING or DELIVERED one),
    /// refused on any other order. The dispute then holds and settles only that milestone's money.</summary>
    /// <example>mil_01JD6Z8V3Q4R5S6T7U8V9W0X1Y</example>
    public string? MilestoneId { get; set; }
}

/// <summary>The seller's answer: REFUND_IN_FULL, PARTIAL_REFUND (with <c>amount</c>) or CONTEST.</summary>
public sealed class AnswerDisputeRequest
{
    public SellerAnswer? Type { get; set; }

    /// <summary>Minor units offered back to the buyer; only with PARTIAL_REFUND.</summary>
    /// <example>6000</example>
    public long? Amount { get; set; }

    public string? Text { get; set; }

    public List<string>? Links { get; set; }
}

/// <summary>A party's statement with its move (the buyer's accept or reject).</summary>
public sealed class DisputeStatementRequest
{
    public string? Text { get; set; }

    public List<string>? Links { get; set; }
}

/// <summary>The platform's or the operator's decision: how much goes back to the buyer (0 to what is held).</summary>
public sealed class ResolveDisputeRequest
{
    /// <summary>Minor units back to the buyer; the rest is released to the seller.</summary>
    /// <example>5000</example>
    public long? RefundAmount { get; set; }

    public string? Text { get; set; }
}

public static class DisputeRules
{
    public const int MaxText = 2000;
    public const int MaxLinks = 10;

    public static void Statement<T>(AbstractValidator<T> v, Func<T, string?> text, Func<T, List<string>?> links)
    {
        v.RuleFor(r => text(r)).MaximumLength(MaxText).OverridePropertyName("text");
        v.RuleFor(r => links(r))
            .Must(l => l is null || l.Count <= MaxLinks)
            .WithMessage($"At most {MaxLinks} links.")
            .OverridePropertyName("links");
        v.RuleForEach(r => links(r)).NotEmpty().ValidUrl().OverridePropertyName("links");
    }
}

public sealed class OpenDisputeRequestValidator : AbstractValidator<OpenDisputeRequest>
{
    public OpenDisputeRequestValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(200);
        RuleFor(r => r.MilestoneId).NotEmpty().MaximumLength(64).When(r => r.MilestoneId is not null);
        DisputeRules.Statement(this, r => r.Text, r => r.Links);
    }
}

public sealed class AnswerDisputeRequestValidator : AbstractValidator<AnswerDisputeRequest>
{
    public AnswerDisputeRequestValidator()
    {
        RuleFor(r => r.Type).NotNull().IsInEnum();
        RuleFor(r => r.Amount).ValidAmount().When(r => r.Type == SellerAnswer.PartialRefund);
        RuleFor(r => r.Amount)
            .Null()
            .When(r => r.Type != SellerAnswer.PartialRefund)
            .WithMessage("amount goes only with PARTIAL_REFUND.");
        DisputeRules.Statement(this, r => r.Text, r => r.Links);
    }
}

public sealed class DisputeStatementRequestValidator : AbstractValidator<DisputeStatementRequest>
{
    public DisputeStatementRequestValidator() => DisputeRules.Statement(this, r => r.Text, r => r.Links);
}

public sealed class ResolveDisputeRequestValidator : AbstractValidator<ResolveDisputeRequest>
{
    public ResolveDisputeRequestValidator()
    {
        RuleFor(r => r.RefundAmount)
            .NotNull()
            .InclusiveBetween(0, Money.MaxAmountMinor)
            .WithMessage($"refund_amount must be between 0 and {Money.MaxAmountMinor} minor units.");
        RuleFor(r => r.Text).MaximumLength(DisputeRules.MaxText);
    }
}

public sealed record DisputeEntryResponse(
    string Party,
    string Action,
    string? Text,
    IReadOnlyList<string> Links,
    long? Amount,
    DateTimeOffset At
)
{
    public static DisputeEntryResponse From(DisputeEntry e) => new(e.Party, e.Action, e.Text, e.Links, e.Amount, e.At);
}

/// <summary>
/// A dispute over an order's money (or, with <c>milestone_id</c>, over one milestone's). <c>deadline_at</c> is when the party it waits for (<c>awaiting</c>) must have
/// answered; <c>evidence</c> lists every statement, oldest first; <c>allowed_actions</c> what the caller may do now.
/// </summary>
public sealed record DisputeResponse(
    string Id,
    string OrderId,
    string? MilestoneId,
    DisputeStatus Status,
    string Reason,
    string? Awaiting,
    DateTimeOffset? DeadlineAt,
    SellerAnswer? SellerAnswer,
    long? OfferedAmount,
    long? RefundedAmount,
    string Currency,
    string? Outcome,
    IReadOnlyList<DisputeEntryResponse> Evidence,
    IReadOnlyList<string> AllowedActions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "dispute";

    public static DisputeResponse From(Dispute d, DisputeActor actor) =>
        new(
            d.Id,
            d.OrderId,
            d.MilestoneId,
            d.Status,
            d.Reason,
            d.Status switch
            {
                DisputeStatus.AwaitingSeller => "seller",
                DisputeStatus.AwaitingBuyer => "buyer",
                _ => null,
            },
            d.DeadlineAt,
            d.SellerAnswer,
            d.OfferedMinor,
            d.RefundedMinor,
            d.Currency,
            d.Outcome,
            d.Entries.Select(DisputeEntryResponse.From).ToList(),
            d.AllowedTriggers(actor).Select(t => WireName.Action(t)).ToList(),
            d.CreatedAt,
            d.UpdatedAt,
            d.ClosedAt
        );
}
