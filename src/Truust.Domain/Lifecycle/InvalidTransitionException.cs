namespace Truust.Domain.Lifecycle;

/// <summary>
/// The one refusal of a move its lifecycle table does not allow now, for orders and campaigns alike (HTTP 409
/// <c>invalid_transition</c>, whose body carries <see cref="CurrentStatus"/> and <see cref="AllowedActions"/>).
/// Built only by <see cref="TransitionTable{TStatus,TTrigger,TActor,TEffect,TSubject}"/>, so what it lists as
/// allowed is what the same table would accept.
/// </summary>
public sealed class InvalidTransitionException(
    string noun,
    string subjectId,
    Enum status,
    Enum trigger,
    IReadOnlyList<Enum> allowed,
    string message,
    string code = "invalid_transition"
) : ConflictException(code, message)
{
    /// <summary>What the lifecycle belongs to: <c>Order</c>, <c>Campaign</c>.</summary>
    public string Noun { get; } = noun;

    public string SubjectId { get; } = subjectId;

    /// <summary>The status the subject is in (an <c>OrderStatus</c>, a <c>CampaignStatus</c>, ...).</summary>
    public Enum Status { get; } = status;

    /// <summary>The trigger that was refused.</summary>
    public Enum Trigger { get; } = trigger;

    /// <summary>The triggers the same actor may fire now, in table order.</summary>
    public IReadOnlyList<Enum> Allowed { get; } = allowed;

    /// <summary>The status's wire name (<c>PENDING_RELEASE</c>).</summary>
    public string CurrentStatus => WireName.Of(Status);

    /// <summary>The allowed triggers' action names (<c>create_payout</c>).</summary>
    public IReadOnlyList<string> AllowedActions => Allowed.Select(WireName.Action).ToList();
}
