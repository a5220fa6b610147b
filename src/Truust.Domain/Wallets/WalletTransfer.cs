namespace Truust.Domain.Wallets;

/// <summary>
/// Money moved between wallets of one platform: a single transfer, or one leg of an all-or-nothing batch
/// (many-to-one, one-to-many, many-to-many).
/// </summary>
public sealed class WalletTransfer : IHasId
{
    private WalletTransfer()
    {
        Id = PlatformId = FromWalletId = ToWalletId = Currency = string.Empty;
    }

    public WalletTransfer(
        string platformId,
        string fromWalletId,
        string toWalletId,
        Money amount,
        string? description,
        string? batchId,
        DateTimeOffset now
    )
    {
        if (fromWalletId == toWalletId)
        {
            throw new BusinessRuleException("same_wallet", "A transfer needs two different wallets.", "to_wallet_id");
        }

        Id = Ids.New("tr");
        PlatformId = platformId;
        FromWalletId = fromWalletId;
        ToWalletId = toWalletId;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        Description = description;
        BatchId = batchId;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string FromWalletId { get; private set; }

    public string ToWalletId { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public string? Description { get; private set; }

    public string? BatchId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
