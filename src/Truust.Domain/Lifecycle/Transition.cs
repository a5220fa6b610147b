using System.Globalization;

namespace Truust.Domain.Lifecycle;

/// <summary>
/// A condition a move needs besides its status and its actor (money still held, a payout not being handed to the
/// bank right now), and the refusal to raise when it does not hold: each guard has its own code and message, so
/// a refusal says exactly why.
/// </summary>
/// <param name="Name">What must be true, in words, for the move to go ahead.</param>
/// <param name="Holds">Whether the condition holds for this subject now.</param>
/// <param name="Refusal">The error to raise when it does not.</param>
public sealed record Guard<TSubject>(string Name, Func<TSubject, bool> Holds, Func<TSubject, DomainException> Refusal)
{
    /// <summary>
    /// Whether the refusal is a 409 that lists the actions allowed now, like a refused transition, with the
    /// refusal's own code and message (an open dispute holds the order: the body says what may still be done).
    /// </summary>
    public bool ListsAllowedActions { get; init; }
}

/// <summary>A guard on a trigger whatever the status it is fired from, checked before the table's rows.</summary>
public sealed record TriggerGuard<TTrigger, TSubject>(TTrigger Trigger, Guard<TSubject> Guard)
    where TTrigger : struct, Enum;

/// <summary>
/// One row of a lifecycle table: from <paramref name="From"/>, <paramref name="Trigger"/> leads to
/// <paramref name="To"/>, does <paramref name="Effect"/> to the money, may be fired by any of
/// <paramref name="Actors"/> (a flags enum), and only when <paramref name="Guard"/> holds.
/// </summary>
public sealed record Transition<TStatus, TTrigger, TActor, TEffect, TSubject>(
    TStatus From,
    TTrigger Trigger,
    TStatus To,
    TEffect Effect,
    TActor Actors,
    Guard<TSubject>? Guard = null
)
    where TStatus : struct, Enum
    where TTrigger : struct, Enum
    where TActor : struct, Enum
    where TEffect : struct, Enum
{
    /// <summary>
    /// Whether the row moves the status. A row that does not is an action taken in place (a refund of a REJECTED
    /// order, a contribution, a repayment): the table allows or refuses it like any other, but it leaves no
    /// status history.
    /// </summary>
    public bool ChangesStatus => !EqualityComparer<TStatus>.Default.Equals(From, To);

    /// <summary>Whether <paramref name="actor"/> (one actor, or several flags) shares a flag with the row's.</summary>
    public bool Permits(TActor actor) => (Bits(Actors) & Bits(actor)) != 0;

    internal static long Bits(TActor actor) => Convert.ToInt64(actor, CultureInfo.InvariantCulture);
}
