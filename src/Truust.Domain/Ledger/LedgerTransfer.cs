namespace Truust.Domain.Ledger;

/// <summary>
/// Names of ledger accounts. Each wallet and each escrow is an account; the outside world has one account per
/// rail, through which money enters and leaves Truust. Those rail accounts go negative by design (money that
/// came in from outside), so the sum over every account is always zero.
/// </summary>
public static class LedgerAccounts
{
    public const string CardRail = "world:card";
    public const string BankwireRail = "world:bankwire";
    public const string BankPayoutRail = "world:bank_payouts";

    public static string Wallet(string walletId) => $"wallet:{walletId}";

    public static string Escrow(string orderId) => $"escrow:{orderId}";

    /// <summary>The platform's rolling reserve: money kept back from releases until it is freed to the seller.
    /// </summary>
    public static string ReserveHeld(string platformId) => $"reserve_held:{platformId}";

    public static string CampaignEscrow(string campaignId) => $"escrow:{campaignId}";

    public static bool IsWallet(string account) => account.StartsWith("wallet:", StringComparison.Ordinal);

    public static string WalletId(string account) => account["wallet:".Length..];
}

/// <summary>What a ledger transfer was for.</summary>
public enum TransferKind
{
    Payin,
    Refund,
    Release,
    Fee,
    Split,
    PayoutReturn,
    WalletTransfer,
    Withdrawal,
    Topup,
    Contribution,
    Disbursement,
    Repayment,

    /// <summary>Escrowed money the card processor took back for the cardholder's bank.</summary>
    Chargeback,

    /// <summary>Money taken back from the seller side (seller, splits, fee) for a refund after release.</summary>
    Clawback,

    /// <summary>The platform's reserve pays what the seller side could not give back for a refund after release.
    /// </summary>
    ReserveCover,

    /// <summary>A seller's debt to the reserve, repaid out of a release, a freed hold or a withdrawal.</summary>
    DebtRepayment,

    /// <summary>Money the platform puts into its reserve.</summary>
    ReserveTopup,

    /// <summary>The rolling reserve keeps part of a release back.</summary>
    ReserveHold,

    /// <summary>The rolling reserve frees a hold to the seller.</summary>
    ReserveFree,
}

/// <summary>
/// One balanced ledger movement (a debit and a credit of one amount): <see cref="AmountMinor"/> leaves
/// <see cref="DebitAccount"/> and arrives in <see cref="CreditAccount"/>, so every movement balances by construction.
/// Rows are never updated or deleted
/// (a database trigger refuses it); a correction is a new, reversing transfer.
/// </summary>
public sealed class LedgerTransfer : IHasId
{
    private LedgerTransfer()
    {
        Id = PlatformId = DebitAccount = CreditAccount = Currency = Reference = string.Empty;
    }

    public LedgerTransfer(
        string platformId,
        string debitAccount,
        string creditAccount,
        Money amount,
        TransferKind kind,
        string reference,
        string? orderId,
        DateTimeOffset now
    )
    {
        if (amount.IsZero)
        {
            throw new InvalidOperationException("A ledger transfer moves a positive amount.");
        }

        if (debitAccount == creditAccount)
        {
            throw new InvalidOperationException($"A transfer from {debitAccount} to itself moves nothing.");
        }

        Id = Ids.New("ltr");
        PlatformId = platformId;
        DebitAccount = debitAccount;
        CreditAccount = creditAccount;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        Kind = kind;
        Reference = reference;
        OrderId = orderId;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string DebitAccount { get; private set; }

    public string CreditAccount { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public TransferKind Kind { get; private set; }

    /// <summary>The payin, payout, refund or transfer this movement belongs to.</summary>
    public string Reference { get; private set; }

    public string? OrderId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The posting (one group of transfers committed together) this transfer belongs to. Numbers are drawn after the
    /// posting's wallets are locked, so for any one wallet they follow the order its balance went through; ids,
    /// drawn before the locks, do not, and a history in id order can show balances the wallet never had.
    /// </summary>
    public long PostingSequence { get; private set; }

    public void AssignPosting(long postingSequence) => PostingSequence = postingSequence;
}
