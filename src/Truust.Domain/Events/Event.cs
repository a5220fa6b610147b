namespace Truust.Domain.Events;

/// <summary>
/// Something a platform cares about (<c>order.status_changed</c>, <c>payin.confirmed</c>, ...), written to this
/// outbox table in the same commit as the change it describes, so an event exists if and only if its change does.
/// </summary>
public sealed class Event : IHasId
{
    private Event()
    {
        Id = PlatformId = Type = ObjectId = Data = string.Empty;
    }

    public Event(string platformId, string type, string objectId, string data, DateTimeOffset now)
    {
        Id = Ids.New("evt");
        PlatformId = platformId;
        Type = type;
        ObjectId = objectId;
        Data = data;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Type { get; private set; }

    public string ObjectId { get; private set; }

    /// <summary>
    /// Database-assigned and increasing. Changes to one object are serialised by its row lock, so a later change's
    /// event always gets a larger number: receivers order an object's events by it.
    /// </summary>
    public long Sequence { get; private set; }

    /// <summary>A JSON snapshot of the object as it was after the change.</summary>
    public string Data { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
