using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// One stage of an order paid in stages. Give every milestone an <c>amount</c> (summing to the order's amount) or
/// every milestone <c>basis_points</c> (summing to 10000; the amount is divided by largest remainder).
/// </summary>
public sealed class MilestoneRequest
{
    /// <example>Design</example>
    public string? Name { get; set; }

    /// <summary>Minor units of the order's amount; give this or basis_points.</summary>
    /// <example>30000</example>
    public long? Amount { get; set; }

    /// <summary>Share of the order's amount in basis points (3000 = 30 %); give this or amount.</summary>
    public long? BasisPoints { get; set; }

    /// <summary>Hours the buyer has to inspect this stage once delivered; its end validates the stage. Omitted: no
    /// window, the platform validates.</summary>
    public int? InspectionHours { get; set; }
}

public sealed class MilestoneRequestValidator : AbstractValidator<MilestoneRequest>
{
    public MilestoneRequestValidator()
    {
        RuleFor(m => m.Name).NotEmpty().MaximumLength(200);
        // On a member, not the whole object: the OpenAPI schema filter reads each rule's member name.
        RuleFor(m => m.Amount)
            .Must((m, amount) => (amount is null) != (m.BasisPoints is null))
            .WithMessage("A milestone has either amount or basis_points.");
        RuleFor(m => m.Amount).InclusiveBetween(1, Money.MaxAmountMinor);
        RuleFor(m => m.BasisPoints).InclusiveBetween(1, 10_000);
        RuleFor(m => m.InspectionHours).InclusiveBetween(1, ReleasePolicy.MaxHours);
    }
}

/// <summary>A milestone of an order paid in stages, and what the caller may do with it now.</summary>
public sealed record MilestoneResponse(
    string Id,
    int Position,
    string Name,
    long Amount,
    long? BasisPoints,
    MilestoneStatus Status,
    long Held,
    long Refunded,
    long Released,
    int? InspectionHours,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? InspectionEndsAt,
    DateTimeOffset? ReleasedAt,
    string? PayoutId,
    IReadOnlyList<string> AllowedActions
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "milestone";

    /// <summary>The milestone as the API shows it; nothing is held before the order is paid or once it ends.</summary>
    public static MilestoneResponse From(Milestone m, Order order, OrderActor actor)
    {
        var funded = OrderTransitions.HoldsFunds(order.Status);
        var open = m.Status is MilestoneStatus.Pending or MilestoneStatus.Delivered;
        // A milestone action needs both tables: the milestone's, and the order's for the trigger it fires there.
        var orderAllowed = order.AllowedTriggers(actor);
        var actions = m.AllowedTriggers(actor)
            .Where(t => orderAllowed.Contains(OrderTriggerOf(t)))
            .Select(t => WireName.Action(t))
            .ToList();
        return new MilestoneResponse(
            m.Id,
            m.Position,
            m.Name,
            m.AmountMinor,
            m.BasisPoints,
            m.Status,
            funded && open ? m.RemainingMinor : 0,
            m.RefundedMinor,
            m.ReleasedMinor,
            m.InspectionHours,
            m.DeliveredAt,
            m.InspectionEndsAt,
            m.ReleasedAt,
            m.PayoutId,
            actions
        );
    }

    /// <summary>The order trigger a milestone action fires on its order (the order's table must allow it
    /// too).</summary>
    public static OrderTrigger OrderTriggerOf(MilestoneTrigger trigger) =>
        trigger switch
        {
            MilestoneTrigger.Deliver => OrderTrigger.DeliverMilestone,
            MilestoneTrigger.Validate => OrderTrigger.ReleaseMilestone,
            MilestoneTrigger.Refund or MilestoneTrigger.RefundAll => OrderTrigger.Refund,
            _ => OrderTrigger.Cancel,
        };
}

/// <summary>Why a milestone action is taken; recorded in its event.</summary>
public sealed class MilestoneActionRequest
{
    public string? Reason { get; set; }
}

public sealed class MilestoneActionRequestValidator : AbstractValidator<MilestoneActionRequest>
{
    public MilestoneActionRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}
