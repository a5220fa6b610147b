using Truust.Domain.Banking;

namespace Truust.Domain.Customers;

/// <summary>A customer's bank account, where ACCOUNT payouts and wire refunds are sent.</summary>
public sealed class BankAccount : IHasId
{
    private BankAccount()
    {
        Id = PlatformId = CustomerId = HolderName = Iban = string.Empty;
    }

    public BankAccount(
        string platformId,
        string customerId,
        string holderName,
        Iban iban,
        string? bic,
        DateTimeOffset now
    )
    {
        Id = Ids.New("ba");
        PlatformId = platformId;
        CustomerId = customerId;
        HolderName = holderName;
        Iban = iban.Value;
        Bic = bic;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string CustomerId { get; private set; }

    public string HolderName { get; private set; }

    /// <summary>Electronic form of the IBAN (validated at creation).</summary>
    public string Iban { get; private set; }

    public string? Bic { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string IbanMasked => Banking.Iban.Parse(Iban).Masked;
}
