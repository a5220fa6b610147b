namespace Truust.Api.Webhooks;

/// <summary>
/// Every event type Truust raises: the closed set webhook endpoints subscribe to and the OpenAPI document lists
/// (<c>EventType</c>, <c>EventTypeSubscription</c>), in the order of <see cref="EventPayloads.Families"/>. A new event
/// type is written once, in its family there. Payouts and refunds raise one per status (<c>payout.paid</c>,
/// <c>refund.succeeded</c>).
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<string> All { get; } = [.. EventPayloads.Families.SelectMany(f => f.Types)];
}
