namespace Truust.Domain.Lifecycle;

/// <summary>
/// A lifecycle as data, and the one engine that reads it: orders and campaigns are each an instance. The table
/// alone says which (status, trigger, actor) moves are legal, where each leads and what it does to the money; the
/// actions a response lists, and every refusal, are computed here from the same rows, so they cannot disagree.
/// </summary>
/// <typeparam name="TStatus">The statuses.</typeparam>
/// <typeparam name="TTrigger">What can happen; a trigger's lower-case wire name is its action name.</typeparam>
/// <typeparam name="TActor">Who may fire a trigger: a flags enum, one flag per kind of caller.</typeparam>
/// <typeparam name="TEffect">What a move does to the money.</typeparam>
/// <typeparam name="TSubject">What the guards read: the entity, and any fact about it the caller loaded.</typeparam>
public sealed class TransitionTable<TStatus, TTrigger, TActor, TEffect, TSubject>
    where TStatus : struct, Enum
    where TTrigger : struct, Enum
    where TActor : struct, Enum
    where TEffect : struct, Enum
{
    private readonly Dictionary<(TStatus, TTrigger), Transition<TStatus, TTrigger, TActor, TEffect, TSubject>> byKey;
    private readonly Func<TSubject, string> idOf;
    private readonly Func<TSubject, TStatus> statusOf;

    /// <param name="noun">What the table is the lifecycle of, as refusals name it (<c>Order</c>).</param>
    /// <param name="rows">The rows, in the order actions are listed.</param>
    /// <param name="idOf">The subject's id, for refusals.</param>
    /// <param name="statusOf">The subject's current status.</param>
    public TransitionTable(
        string noun,
        IReadOnlyList<Transition<TStatus, TTrigger, TActor, TEffect, TSubject>> rows,
        Func<TSubject, string> idOf,
        Func<TSubject, TStatus> statusOf
    )
    {
        // A second row for one (status, trigger) pair would make the table ambiguous; a row nobody may fire is dead.
        byKey = rows.ToDictionary(r => (r.From, r.Trigger));
        var dead = rows.FirstOrDefault(r =>
            Transition<TStatus, TTrigger, TActor, TEffect, TSubject>.Bits(r.Actors) == 0
        );
        if (dead is not null)
        {
            throw new ArgumentException($"The row {dead} names no actor.", nameof(rows));
        }

        Noun = noun;
        Rows = rows;
        this.idOf = idOf;
        this.statusOf = statusOf;
    }

    public string Noun { get; }

    public IReadOnlyList<Transition<TStatus, TTrigger, TActor, TEffect, TSubject>> Rows { get; }

    /// <summary>Guards on a trigger from every status, checked before the rows (so their reason wins).</summary>
    public IReadOnlyList<TriggerGuard<TTrigger, TSubject>> TriggerGuards { get; init; } = [];

    /// <summary>
    /// What a refusal says, per trigger, in place of "'x' is not allowed now": where the trigger does apply.
    /// </summary>
    public IReadOnlyDictionary<TTrigger, string> RefusalExplanations { get; init; } =
        new Dictionary<TTrigger, string>();

    /// <summary>Whether a plain refusal's message goes on to list the actions allowed now.</summary>
    public bool RefusalListsAllowedActions { get; init; }

    /// <summary>The row for this pair, or null when the pair is illegal for everyone.</summary>
    public Transition<TStatus, TTrigger, TActor, TEffect, TSubject>? Find(TStatus from, TTrigger trigger) =>
        byKey.GetValueOrDefault((from, trigger));

    /// <summary>The triggers whose rows let <paramref name="actor"/> fire them from <paramref name="status"/>, in
    /// table order, before any guard is asked.</summary>
    public IReadOnlyList<TTrigger> PermittedFor(TStatus status, TActor actor) =>
        Rows.Where(r => EqualityComparer<TStatus>.Default.Equals(r.From, status) && r.Permits(actor))
            .Select(r => r.Trigger)
            .ToList();

    /// <summary>What <paramref name="actor"/> may do to <paramref name="subject"/> now: rows and guards both
    /// agree. This is <c>allowed_actions</c>.</summary>
    public IReadOnlyList<TTrigger> Allowed(TSubject subject, TActor actor) =>
        Rows.Where(r =>
                EqualityComparer<TStatus>.Default.Equals(r.From, statusOf(subject))
                && r.Permits(actor)
                && GuardsHold(subject, r)
            )
            .Select(r => r.Trigger)
            .ToList();

    /// <summary>
    /// The row <paramref name="actor"/> fires with <paramref name="trigger"/> now, or the one refusal: a trigger
    /// guard's or the row guard's own error, else an <see cref="InvalidTransitionException"/> carrying the
    /// current status and the actions allowed now. Changes nothing either way.
    /// </summary>
    public Transition<TStatus, TTrigger, TActor, TEffect, TSubject> Resolve(
        TSubject subject,
        TTrigger trigger,
        TActor actor
    )
    {
        if (GuardsOf(trigger).FirstOrDefault(g => !g.Holds(subject)) is { } triggerGuard)
        {
            throw Refuse(subject, trigger, actor, triggerGuard);
        }

        var row = Find(statusOf(subject), trigger);
        if (row is null || !row.Permits(actor))
        {
            throw Refuse(subject, trigger, actor);
        }

        if (row.Guard is { } rowGuard && !rowGuard.Holds(subject))
        {
            throw Refuse(subject, trigger, actor, rowGuard);
        }

        return row;
    }

    /// <summary>Statuses with nowhere left to go (actions in place may remain, such as refunding what is
    /// held).</summary>
    public bool IsFinal(TStatus status) =>
        !Rows.Any(r => EqualityComparer<TStatus>.Default.Equals(r.From, status) && r.ChangesStatus);

    private IEnumerable<Guard<TSubject>> GuardsOf(TTrigger trigger) =>
        TriggerGuards.Where(g => EqualityComparer<TTrigger>.Default.Equals(g.Trigger, trigger)).Select(g => g.Guard);

    private bool GuardsHold(TSubject subject, Transition<TStatus, TTrigger, TActor, TEffect, TSubject> row) =>
        GuardsOf(row.Trigger).All(g => g.Holds(subject)) && (row.Guard?.Holds(subject) ?? true);

    private DomainException Refuse(TSubject subject, TTrigger trigger, TActor actor, Guard<TSubject> guard)
    {
        var refusal = guard.Refusal(subject);
        if (!guard.ListsAllowedActions)
        {
            return refusal;
        }

        var allowed = Allowed(subject, actor);
        return new InvalidTransitionException(
            Noun,
            idOf(subject),
            statusOf(subject),
            trigger,
            allowed.Select(t => (Enum)t).ToList(),
            refusal.Message
                + (
                    allowed.Count == 0
                        ? " No action is allowed now."
                        : $" Allowed now: {string.Join(", ", allowed.Select(t => WireName.Action(t)))}."
                ),
            refusal.Code
        );
    }

    private InvalidTransitionException Refuse(TSubject subject, TTrigger trigger, TActor actor)
    {
        var status = statusOf(subject);
        var allowed = Allowed(subject, actor);
        var why = RefusalExplanations.TryGetValue(trigger, out var explanation)
            ? explanation
            : $"'{WireName.Action(trigger)}' is not allowed now."
                + (
                    !RefusalListsAllowedActions ? ""
                    : allowed.Count == 0 ? " No action is allowed any more."
                    : $" Allowed now: {string.Join(", ", allowed.Select(t => WireName.Action(t)))}."
                );
        return new InvalidTransitionException(
            Noun,
            idOf(subject),
            status,
            trigger,
            allowed.Select(t => (Enum)t).ToList(),
            $"{Noun} {idOf(subject)} is {WireName.Of(status)}; {why}"
        );
    }
}
