namespace Truust.Domain.Customers;

public enum CustomerType
{
    Person,
    Company,
}

/// <summary>A buyer or seller of a platform. Truust keeps just enough to pay and refund them.</summary>
public sealed class Customer : IHasId
{
    private Customer()
    {
        Id = PlatformId = Name = Email = string.Empty;
        Metadata = new Dictionary<string, string>();
    }

    public Customer(
        string platformId,
        string name,
        string email,
        CustomerType type,
        Dictionary<string, string> metadata,
        DateTimeOffset now
    )
    {
        Id = Ids.New("cus");
        PlatformId = platformId;
        Name = name;
        Email = email;
        Type = type;
        Metadata = metadata;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Name { get; private set; }

    public string Email { get; private set; }

    public CustomerType Type { get; private set; }

    public Dictionary<string, string> Metadata { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Update(
        string? name,
        string? email,
        CustomerType? type,
        Dictionary<string, string>? metadata,
        DateTimeOffset now
    )
    {
        Name = name ?? Name;
        Email = email ?? Email;
        Type = type ?? Type;
        Metadata = metadata ?? Metadata;
        UpdatedAt = now;
    }
}
