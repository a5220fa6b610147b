namespace Truust.Domain.Payments;

public enum ReserveHoldStatus
{
    /// <summary>In the platform's rolling reserve until <see cref="ReserveHold.HeldUntil"/>.</summary>
    Held,

    /// <summary>Freed to the seller.</summary>
    Freed,
}

/// <summary>
/// The part of one release that a platform's rolling reserve keeps back for a time (a share of the seller's part),
/// then frees to the seller. The money waits in the platform's held-reserve ledger account.
/// </summary>
public sealed class ReserveHold : IHasId
{
    private ReserveHold()
    {
        Id = PlatformId = CustomerId = Currency = OrderId = PayoutId = string.Empty;
    }

    public ReserveHold(
        string platformId,
        string customerId,
        Money amount,
        string orderId,
        string payoutId,
        string? walletId,
        DateTimeOffset heldUntil,
        DateTimeOffset now
    )
    {
        if (amount.IsZero)
        {
            throw new InvalidOperationException("A reserve hold is a positive amount.");
        }

        Id = Ids.New("rsv");
        PlatformId = platformId;
        CustomerId = customerId;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        OrderId = orderId;
        PayoutId = payoutId;
        WalletId = walletId;
        HeldUntil = heldUntil;
        Status = ReserveHoldStatus.Held;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    /// <summary>The seller the money belongs to.</summary>
    public string CustomerId { get; private set; }

    public string Currency { get; private set; }

    public long AmountMinor { get; private set; }

    public string OrderId { get; private set; }

    /// <summary>The release payout the hold was taken from.</summary>
    public string PayoutId { get; private set; }

    /// <summary>The wallet the hold is freed to: the payout's wallet, or (for a bank payout) the seller's wallet in the
    /// currency, created when freed.</summary>
    public string? WalletId { get; private set; }

    public ReserveHoldStatus Status { get; private set; }

    /// <summary>When the hold is freed, by the platform's clock.</summary>
    public DateTimeOffset HeldUntil { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? FreedAt { get; private set; }

    public void Free(string walletId, DateTimeOffset now)
    {
        if (Status != ReserveHoldStatus.Held)
        {
            throw new InvalidOperationException($"Reserve hold {Id} was already freed.");
        }

        WalletId = walletId;
        Status = ReserveHoldStatus.Freed;
        FreedAt = now;
    }
}
