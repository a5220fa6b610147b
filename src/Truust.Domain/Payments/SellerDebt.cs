namespace Truust.Domain.Payments;

public enum SellerDebtStatus
{
    /// <summary>Something is still owed.</summary>
    Open,

    /// <summary>Recovered in full.</summary>
    Settled,
}

/// <summary>
/// What a seller owes the platform's reserve after a refund after release: the part of the refund the seller's
/// wallet could not give back, which the reserve paid the buyer instead. Recovered automatically from the seller's
/// next releases and withdrawals, each recovery a ledger transfer back to the reserve in the same commit.
/// </summary>
public sealed class SellerDebt : IHasId
{
    private SellerDebt()
    {
        Id = PlatformId = CustomerId = Currency = OrderId = RefundId = string.Empty;
    }

    public SellerDebt(
        string platformId,
        string customerId,
        Money amount,
        string orderId,
        string refundId,
        DateTimeOffset now
    )
    {
        if (amount.IsZero)
        {
            throw new InvalidOperationException("A debt is a positive amount.");
        }

        Id = Ids.New("debt");
        PlatformId = platformId;
        CustomerId = customerId;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        OrderId = orderId;
        RefundId = refundId;
        Status = SellerDebtStatus.Open;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    /// <summary>The seller who owes it.</summary>
    public string CustomerId { get; private set; }

    public string Currency { get; private set; }

    /// <summary>The released order whose refund created the debt.</summary>
    public string OrderId { get; private set; }

    public string RefundId { get; private set; }

    public long AmountMinor { get; private set; }

    public long RecoveredMinor { get; private set; }

    public long OutstandingMinor => AmountMinor - RecoveredMinor;

    /// <summary>
    /// What bank releases handed to the bank but not yet answered plan to recover (ADR 0012): still outstanding, but
    /// no other recovery may take it.
    /// </summary>
    public long ReservedMinor { get; private set; }

    /// <summary>What a recovery may take now: outstanding and not reserved.</summary>
    public long UnreservedMinor => OutstandingMinor - ReservedMinor;

    public SellerDebtStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    /// <summary>Takes up to <paramref name="availableMinor"/> of the unreserved debt; returns what it took.</summary>
    public long Recover(long availableMinor, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableMinor);
        return Settle(Math.Min(availableMinor, UnreservedMinor), now);
    }

    /// <summary>Reserves up to <paramref name="availableMinor"/> of the unreserved debt; returns that.</summary>
    public long Reserve(long availableMinor, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableMinor);
        var reserved = Math.Min(availableMinor, UnreservedMinor);
        if (reserved > 0)
        {
            ReservedMinor += reserved;
            UpdatedAt = now;
        }

        return reserved;
    }

    /// <summary>
    /// Ends up to <paramref name="maxMinor"/> of the reservation: recovered (the bank accepted the payout) or given
    /// back (the bank refused it). Returns how much of the reservation it ended.
    /// </summary>
    public long EndReservation(long maxMinor, bool recovered, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMinor);
        var ended = Math.Min(maxMinor, ReservedMinor);
        if (ended == 0)
        {
            return 0;
        }

        ReservedMinor -= ended;
        UpdatedAt = now;
        return recovered ? Settle(ended, now) : ended;
    }

    private long Settle(long taken, DateTimeOffset now)
    {
        if (taken == 0)
        {
            return 0;
        }

        RecoveredMinor += taken;
        UpdatedAt = now;
        if (OutstandingMinor == 0)
        {
            Status = SellerDebtStatus.Settled;
            SettledAt = now;
        }

        return taken;
    }
}
