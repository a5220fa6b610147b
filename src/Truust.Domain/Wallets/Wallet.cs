namespace Truust.Domain.Wallets;

/// <summary>Who a wallet belongs to: a customer, or the platform itself (its fees, its reserve).</summary>
public enum WalletKind
{
    Customer,
    PlatformFees,

    /// <summary>The platform's reserve: pays buyers what sellers cannot give back after a release.</summary>
    PlatformReserve,
}

/// <summary>
/// Money a customer keeps with Truust, in one currency. <see cref="BalanceMinor"/> is a cache of the sum of the
/// wallet's ledger transfers, changed only by guarded SQL in the same commit as those transfers; a database
/// CHECK keeps it from going negative.
/// </summary>
public sealed class Wallet : IHasId
{
    private Wallet()
    {
        Id = PlatformId = Currency = string.Empty;
    }

    public Wallet(string platformId, string? customerId, string currency, WalletKind kind, DateTimeOffset now)
    {
        Id = Ids.New("wal");
        PlatformId = platformId;
        CustomerId = customerId;
        Currency = Domain.Currency.Of(currency).Code;
        Kind = kind;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string? CustomerId { get; private set; }

    public string Currency { get; private set; }

    public WalletKind Kind { get; private set; }

    /// <summary>Never written by EF Core: only the ledger's guarded UPDATE changes it.</summary>
    public long BalanceMinor { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
