using static Truust.Domain.Orders.OrderActor;
using static Truust.Domain.Orders.OrderStatus;
using static Truust.Domain.Orders.OrderTrigger;

namespace Truust.Domain.Orders;

/// <summary>One legal (status, trigger) pair: where it leads, what it does to the money, and who may fire it.</summary>
public sealed record OrderTransition(
    OrderStatus From,
    OrderTrigger Trigger,
    OrderStatus To,
    EscrowEffect Effect,
    OrderActor Actors
);

/// <summary>
/// The order lifecycle as data: the only place that says which (status, trigger) pairs are legal. Reading this
/// table tells the whole lifecycle; <see cref="Order.Apply"/> is the only code that changes a status, and the
/// API's <c>allowed_actions</c> and 409 bodies are computed from it, so they cannot disagree.
/// </summary>
public static class OrderTransitions
{
    private const OrderActor Parties = Platform | Buyer | Operator;

    public static readonly IReadOnlyList<OrderTransition> Table =
    [
        new(Draft, Pay, PendingPublish, EscrowEffect.None, Platform | Buyer),
        new(Draft, OrderTrigger.Cancel, Cancelled, EscrowEffect.None, Parties),
        new(PendingPublish, ConfirmPayin, Published, EscrowEffect.FundEscrow, Gateway),
        new(PendingPublish, FailPayin, Failure, EscrowEffect.None, Gateway | OrderActor.System),
        new(PendingPublish, OrderTrigger.Cancel, Cancelled, EscrowEffect.VoidPendingPayin, Parties),
        new(Failure, Pay, PendingPublish, EscrowEffect.None, Platform | Buyer),
        new(Failure, OrderTrigger.Cancel, Cancelled, EscrowEffect.None, Parties),
        new(Published, Accept, Accepted, EscrowEffect.None, Platform | Seller | Operator),
        new(Published, Reject, Rejected, EscrowEffect.None, Platform | Seller | Operator),
        new(Published, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties),
        new(Accepted, CreatePayout, PendingValidate, EscrowEffect.None, Platform | Seller | Operator),
        new(Accepted, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties),
        new(PendingValidate, Validate, PendingRelease, EscrowEffect.None, Platform | Operator),
        new(PendingValidate, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Parties),
        new(PendingRelease, Release, Released, EscrowEffect.PaySeller, OrderActor.System),
        new(PendingRelease, Block, BlockedRelease, EscrowEffect.None, Operator),
        new(PendingRelease, RefuseRelease, BlockedRelease, EscrowEffect.None, Gateway),
        new(BlockedRelease, Unblock, PendingRelease, EscrowEffect.None, Operator),
        new(BlockedRelease, OrderTrigger.Cancel, Cancelled, EscrowEffect.RefundBuyer, Operator),
    ];

    private static readonly Dictionary<(OrderStatus, OrderTrigger), OrderTransition> ByKey = Table.ToDictionary(t =>
        (t.From, t.Trigger)
    );

    /// <summary>The transition for this pair, or null when the pair is illegal.</summary>
    public static OrderTransition? Find(OrderStatus from, OrderTrigger trigger) =>
        ByKey.GetValueOrDefault((from, trigger));

    /// <summary>The triggers <paramref name="actor"/> may fire from <paramref name="status"/>, in table
    /// order.</summary>
    public static IReadOnlyList<OrderTrigger> AllowedFor(OrderStatus status, OrderActor actor) =>
        Table.Where(t => t.From == status && (t.Actors & actor) != 0).Select(t => t.Trigger).ToList();

    /// <summary>
    /// The table as Markdown, in wire names. The README embeds exactly this text and a test compares the two,
    /// so the documentation cannot drift from the code.
    /// </summary>
    public static string ToMarkdown()
    {
        static string Wire(string name) =>
            string.Concat(
                name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString())
            );
        static string Action(string name) => Wire(name).ToLowerInvariant();
        var lines = new List<string> { "| from | action | to | escrowed money | who |", "|---|---|---|---|---|" };
        lines.AddRange(
            Table.Select(t =>
                $"| {Wire(t.From.ToString())} | {Action(t.Trigger.ToString())} | {Wire(t.To.ToString())} | "
                + $"{Action(t.Effect.ToString()).Replace('_', ' ')} | "
                + $"{string.Join(", ", Enum.GetValues<OrderActor>().Where(a => a != OrderActor.None && t.Actors.HasFlag(a)).Select(a => a.ToString().ToLowerInvariant()))} |"
            )
        );
        return string.Join('\n', lines);
    }

    /// <summary>Statuses with nowhere left to go.</summary>
    public static bool IsFinal(OrderStatus status) => Table.All(t => t.From != status);

    /// <summary>
    /// Whether money sits in escrow in this status, so that the escrow balance must equal the amount paid in
    /// less what was refunded. Outside these statuses the escrow must be empty.
    /// </summary>
    public static bool HoldsFunds(OrderStatus status) =>
        status is Published or Accepted or Rejected or PendingValidate or PendingRelease or BlockedRelease;
}
