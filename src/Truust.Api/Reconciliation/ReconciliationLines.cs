using static Truust.Api.Reconciliation.ReconciliationKinds;

namespace Truust.Api.Reconciliation;

// The lines the rules compare: each gateway's record of one reference beside what the ledger moved under it.

/// <summary>
/// One card payin reference: what the processor holds for it (an approved charge less its voids) and what the
/// ledger took in from <c>world:card</c> under that reference (payins, top-ups and contributions, less any
/// reversal). <see cref="Outcome"/> is the processor's charge outcome, approved or not.
/// </summary>
public sealed record ChargeLine(
    string Reference,
    string? PlatformId,
    string? PayinStatus,
    string? Outcome,
    long ChargedMinor,
    long VoidedMinor,
    string? GatewayCurrency,
    DateTimeOffset? ChargedAt,
    long? LedgerMinor,
    string? LedgerCurrency
)
{
    public bool Approved => Outcome == ReconciliationRules.ApprovedOutcome;

    /// <summary>What the processor still holds from the buyer's card: null when it approved no charge.</summary>
    public long? GatewayMinor => Approved ? ChargedMinor - VoidedMinor : null;

    public ReconciliationItem Item(string kind, string detail) =>
        new(
            kind,
            CardRail,
            Reference,
            GatewayMinor,
            LedgerMinor,
            GatewayCurrency ?? LedgerCurrency ?? "",
            PlatformId,
            detail
        );
}

/// <summary>One card refund reference: the processor's refund and the ledger's refund to <c>world:card</c>.</summary>
public sealed record CardRefundLine(
    string Reference,
    string? ChargeReference,
    string? PlatformId,
    string? RefundStatus,
    string? FailureReason,
    long? GatewayMinor,
    string? GatewayCurrency,
    long? LedgerMinor,
    string? LedgerCurrency
)
{
    public ReconciliationItem Item(string kind, string detail) =>
        new(
            kind,
            CardRail,
            Reference,
            GatewayMinor,
            LedgerMinor,
            GatewayCurrency ?? LedgerCurrency ?? "",
            PlatformId,
            detail
        );
}

/// <summary>
/// One payout or wire refund (every attempt of it at the bank, whose references are the payout id plus
/// <c>-attempt</c>): what the bank sent and got back, and what the ledger moved to and from
/// <c>world:bank_payouts</c> under the payout's or refund's id.
/// </summary>
public sealed record BankLine(
    string Reference,
    string? PlatformId,
    string? PayoutStatus,
    string? RefundStatus,
    int Transfers,
    long SentMinor,
    long ReturnedMinor,
    string? LatestStatus,
    string? GatewayCurrency,
    long LedgerOutMinor,
    long LedgerBackMinor,
    string? LedgerCurrency
)
{
    /// <summary>Money the bank sent and kept sent: refused transfers never left, returned ones came back.</summary>
    public long GatewayMinor => SentMinor - ReturnedMinor;

    public long LedgerMinor => LedgerOutMinor - LedgerBackMinor;

    public bool InLedger => LedgerOutMinor != 0 || LedgerBackMinor != 0;

    /// <summary>A finding about this line; an amount is null when its side has no record at all.</summary>
    public ReconciliationItem Item(string kind, string detail) =>
        new(
            kind,
            BankRail,
            Reference,
            Transfers == 0 ? null : GatewayMinor,
            InLedger ? LedgerMinor : null,
            GatewayCurrency ?? LedgerCurrency ?? "",
            PlatformId,
            detail
        );
}

/// <summary>
/// One record of the platform's reserve against the ledger (ADR 0012): a seller debt's amount against the reserve's
/// cover transfers under its id, its recovered amount against the repayments under its id, or the holds a
/// platform's rolling reserve keeps (in one currency) against its <c>reserve_held</c> account's balance.
/// </summary>
public sealed record ReserveLine(
    string Reference,
    string? PlatformId,
    string Currency,
    string What,
    long RecordMinor,
    long LedgerMinor
)
{
    public const string DebtAmount = "debt_amount";
    public const string DebtRecovered = "debt_recovered";
    public const string HeldBalance = "held_balance";
}

/// <summary>A reconciliation finding: a mismatch, or a difference an operation under way will close.</summary>
public sealed record Finding(bool InFlight, ReconciliationItem Item);
