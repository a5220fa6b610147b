namespace Truust.Domain.Payments;

/// <summary>Where money goes out: to a bank account or to a wallet.</summary>
public enum PayoutType
{
    Account,
    Wallet,
}

public enum PayoutStatus
{
    /// <summary>Created; waiting for the release (or for the bank to be called).</summary>
    Pending,

    /// <summary>Being handed to the bank now; the release can no longer be blocked.</summary>
    Submitting,

    /// <summary>The bank accepted it; the money has left escrow and settles later.</summary>
    InTransit,

    /// <summary>Arrived: settled at the bank, or credited to the wallet.</summary>
    Paid,

    /// <summary>The bank refused it up front; nothing left escrow.</summary>
    Refused,

    /// <summary>The bank sent it back after accepting it; the money went to the seller's wallet.</summary>
    Returned,
}

/// <summary>Money leaving escrow (a release) or a wallet (a withdrawal) for its destination.</summary>
public sealed class Payout : IHasId
{
    private Payout()
    {
        Id = PlatformId = Currency = CustomerId = string.Empty;
    }

    public Payout(
        string platformId,
        string customerId,
        PayoutType type,
        Money amount,
        string? bankAccountId,
        string? destinationWalletId,
        DateTimeOffset now
    )
    {
        Id = Ids.New("po");
        PlatformId = platformId;
        CustomerId = customerId;
        Type = type;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        BankAccountId = bankAccountId;
        DestinationWalletId = destinationWalletId;
        Status = PayoutStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    /// <summary>The customer paid: the seller of an order, or the wallet owner withdrawing.</summary>
    public string CustomerId { get; private set; }

    public PayoutType Type { get; private set; }

    public PayoutStatus Status { get; private set; }

    /// <summary>What the destination receives: the order amount less fee and splits, set at release.</summary>
    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    /// <summary>
    /// An order's bank payout: what it repays of the seller's debts, fixed at the intent with the amount and reserved
    /// on the debts until the bank answers (ADR 0012). Zero for every other payout.
    /// </summary>
    public long DebtRecoveryMinor { get; private set; }

    public string? OrderId { get; set; }

    /// <summary>For a withdrawal: the wallet the money leaves.</summary>
    public string? SourceWalletId { get; set; }

    public string? BankAccountId { get; private set; }

    public string? DestinationWalletId { get; private set; }

    /// <summary>IBAN snapshot at submission, so a later edit of the account cannot redirect money in flight.</summary>
    public string? Iban { get; private set; }

    public string? FailureReason { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? SettlesAt { get; private set; }

    /// <summary>When a worker may next pick this payout up (a lease: claiming pushes it forward).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The reference of the current attempt at the bank; the bank is idempotent on it.</summary>
    public string BankReference => $"{Id}-{Attempts}";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public void SetAmount(long amountMinor) => AmountMinor = amountMinor;

    public void SetDebtRecovery(long amountMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        DebtRecoveryMinor = amountMinor;
    }

    /// <summary>Persists the intent before the bank is called, so a crash in between is retried, not lost.</summary>
    public void MarkSubmitting(string iban, DateTimeOffset now)
    {
        Expect(PayoutStatus.Pending);
        Status = PayoutStatus.Submitting;
        Iban = iban;
        Attempts++;
        UpdatedAt = now;
    }

    public void MarkInTransit(DateTimeOffset settlesAt, DateTimeOffset now)
    {
        Expect(PayoutStatus.Submitting);
        Status = PayoutStatus.InTransit;
        SettlesAt = settlesAt;
        UpdatedAt = now;
    }

    public void MarkPaid(DateTimeOffset now)
    {
        if (Status is not (PayoutStatus.Pending or PayoutStatus.InTransit))
        {
            throw new ConflictException("payout_not_open", $"Payout {Id} is already {Status}.");
        }

        Status = PayoutStatus.Paid;
        PaidAt = UpdatedAt = now;
    }

    public void MarkRefused(string reason, DateTimeOffset now)
    {
        Expect(PayoutStatus.Submitting);
        Status = PayoutStatus.Refused;
        FailureReason = reason;
        UpdatedAt = now;
    }

    /// <summary>A refused payout is tried again after the operator unblocks the release.</summary>
    public void Reopen(DateTimeOffset now)
    {
        Expect(PayoutStatus.Refused);
        Status = PayoutStatus.Pending;
        UpdatedAt = now;
    }

    public void MarkReturned(string reason, DateTimeOffset now)
    {
        Expect(PayoutStatus.InTransit);
        Status = PayoutStatus.Returned;
        FailureReason = reason;
        UpdatedAt = now;
    }

    private void Expect(PayoutStatus status)
    {
        if (Status != status)
        {
            throw new ConflictException("payout_not_open", $"Payout {Id} is {Status}, not {status}.");
        }
    }
}
