namespace Truust.Domain.Orders;

/// <summary>
/// A cart spanning several sellers, paid with one payin: each order in it then goes its own way (accept,
/// release, or cancel with the refund of its own share only).
/// </summary>
public sealed class OrderGroup : IHasId
{
    private OrderGroup()
    {
        Id = PlatformId = BuyerId = Currency = string.Empty;
    }

    public OrderGroup(string platformId, string buyerId, string currency, DateTimeOffset now)
    {
        Id = Ids.New("grp");
        PlatformId = platformId;
        BuyerId = buyerId;
        Currency = currency;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string BuyerId { get; private set; }

    public string Currency { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
