using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Reports;

public static class ReportRules
{
    /// <summary>The longest period a period or daily report covers in one request.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    /// <summary>An account name as the ledger writes it (ADR 0002): <c>wallet:wal_…</c>, <c>world:card</c>, …</summary>
    public static IRuleBuilderOptions<T, string?> LedgerAccount<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(80)
            .Must(a => a is null || ReportAccounts.IsWellFormed(a))
            .WithMessage(
                "account must be a ledger account: wallet:wal_…, escrow:ord_…, escrow:cmp_…, world:card, "
                    + "world:bankwire, world:bank_payouts or suspense:…"
            );
}

/// <summary>Filters of <c>GET /v1/payouts</c>.</summary>
public sealed class PayoutListQuery : PageQuery, ICreatedRange
{
    /// <summary>Payouts of this order.</summary>
    [FromQuery(Name = "order_id")]
    public string? OrderId { get; set; }

    [FromQuery(Name = "status")]
    public PayoutStatus? Status { get; set; }

    [FromQuery(Name = "type")]
    public PayoutType? Type { get; set; }

    /// <summary>Created at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_gte")]
    public DateTimeOffset? CreatedGte { get; set; }

    /// <summary>Created before this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_lt")]
    public DateTimeOffset? CreatedLt { get; set; }
}

public sealed class PayoutListQueryValidator : AbstractValidator<PayoutListQuery>
{
    public PayoutListQueryValidator()
    {
        PageRules.Apply(this);
        CreatedRange.Rule(this);
        RuleFor(q => q.OrderId).MaximumLength(64);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Type).IsInEnum();
    }
}

/// <summary>Filters of <c>GET /v1/refunds</c>.</summary>
public sealed class RefundListQuery : PageQuery, ICreatedRange
{
    /// <summary>Refunds of this order.</summary>
    [FromQuery(Name = "order_id")]
    public string? OrderId { get; set; }

    /// <summary>Refunds of this payin.</summary>
    [FromQuery(Name = "payin_id")]
    public string? PayinId { get; set; }

    [FromQuery(Name = "status")]
    public RefundStatus? Status { get; set; }

    /// <summary>Created at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_gte")]
    public DateTimeOffset? CreatedGte { get; set; }

    /// <summary>Created before this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_lt")]
    public DateTimeOffset? CreatedLt { get; set; }
}

public sealed class RefundListQueryValidator : AbstractValidator<RefundListQuery>
{
    public RefundListQueryValidator()
    {
        PageRules.Apply(this);
        CreatedRange.Rule(this);
        RuleFor(q => q.OrderId).MaximumLength(64);
        RuleFor(q => q.PayinId).MaximumLength(64);
        RuleFor(q => q.Status).IsInEnum();
    }
}

/// <summary>What the journal shows: the platform's ledger transfers, those matching each filter given.</summary>
public class JournalFilter : ICreatedRange
{
    /// <summary>Transfers debiting or crediting this ledger account (wallet:wal_…, escrow:ord_…, world:card).</summary>
    [FromQuery(Name = "account")]
    public string? Account { get; set; }

    [FromQuery(Name = "kind")]
    public TransferKind? Kind { get; set; }

    /// <summary>Transfers of this order.</summary>
    [FromQuery(Name = "order_id")]
    public string? OrderId { get; set; }

    /// <summary>Created at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_gte")]
    public DateTimeOffset? CreatedGte { get; set; }

    /// <summary>Created before this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_lt")]
    public DateTimeOffset? CreatedLt { get; set; }
}

/// <summary>Filters and cursor of <c>GET /v1/journal</c>: oldest first, in the ledger's posting order.</summary>
public sealed class JournalQuery : JournalFilter
{
    /// <summary>How many transfers per page (1–100, default 20).</summary>
    [FromQuery(Name = "limit")]
    public int? Limit { get; set; }

    /// <summary>The last transfer id of the previous page (its next_cursor): the page starts after it.</summary>
    [FromQuery(Name = "starting_after")]
    public string? StartingAfter { get; set; }
}

/// <summary>Filters and format of <c>GET /v1/journal/export</c>: every matching transfer, streamed.</summary>
public sealed class JournalExportQuery : JournalFilter
{
    /// <summary>NDJSON (one JSON object per line, the default) or CSV.</summary>
    [FromQuery(Name = "format")]
    public ReportFormat? Format { get; set; }
}

public static class JournalRules
{
    public static void Apply<T>(AbstractValidator<T> validator)
        where T : JournalFilter
    {
        CreatedRange.Rule(validator);
        validator.RuleFor(q => q.Account).LedgerAccount();
        validator.RuleFor(q => q.Kind).IsInEnum();
        validator.RuleFor(q => q.OrderId).ValidId("ord").When(q => q.OrderId is not null);
    }
}

public sealed class JournalQueryValidator : AbstractValidator<JournalQuery>
{
    public JournalQueryValidator()
    {
        JournalRules.Apply(this);
        RuleFor(q => q.Limit).InclusiveBetween(1, PageQuery.MaxLimit);
        RuleFor(q => q.StartingAfter).ValidId("ltr").When(q => q.StartingAfter is not null);
    }
}

public sealed class JournalExportQueryValidator : AbstractValidator<JournalExportQuery>
{
    public JournalExportQueryValidator()
    {
        JournalRules.Apply(this);
        RuleFor(q => q.Format).IsInEnum();
    }
}

/// <summary>The format of a streamed report.</summary>
public enum ReportFormat
{
    /// <summary>application/x-ndjson: one JSON object per line.</summary>
    Ndjson,

    /// <summary>text/csv (RFC 4180) with a header line.</summary>
    Csv,
}

/// <summary>
/// One ledger transfer: <c>amount</c> left <c>debit_account</c> and arrived in <c>credit_account</c>.
/// <c>posting</c> numbers the group of transfers committed together; the journal is in (posting, id) order.
/// </summary>
public sealed record JournalEntryResponse(
    string Id,
    long Posting,
    string DebitAccount,
    string CreditAccount,
    long Amount,
    string Currency,
    TransferKind Kind,
    string Reference,
    string? OrderId,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "ledger_transfer";
}

/// <summary>What <c>GET /v1/payouts/{id}/sources</c> answers: the payout and the signed parts it is made of.</summary>
public sealed record PayoutSourcesResponse(
    string PayoutId,
    long Amount,
    string Currency,
    IReadOnlyList<PayoutSource> Sources
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payout_sources";
}

/// <summary>
/// One part of a payout, signed: a payin that funded the order's escrow is positive; the fee, each split, refunds and
/// chargebacks taken from that escrow are negative; for a withdrawal, the wallet it came from is positive. The
/// amounts sum to the payout's amount exactly.
/// </summary>
public sealed record PayoutSource(
    PayoutSourceKind Kind,
    string Reference,
    string? OrderId,
    string Account,
    string LedgerTransferId,
    long Amount
);

/// <summary>What a <see cref="PayoutSource"/> is.</summary>
public enum PayoutSourceKind
{
    Payin,
    Fee,
    Split,
    Refund,
    Chargeback,

    /// <summary>A withdrawal's wallet.</summary>
    Wallet,

    /// <summary>Released from the same escrow before this payout, by another payout (another milestone).</summary>
    EarlierPayout,

    /// <summary>Still held in the escrow after this payout, for a later release or refund.</summary>
    StillHeld,

    /// <summary>Held back by the platform's rolling reserve at this release, freed to the seller later.</summary>
    ReserveHold,

    /// <summary>Taken at this release to repay the seller's debt (from an earlier refund after release).</summary>
    DebtRepayment,

    /// <summary>Any other movement on the escrow (its transfer kind is in the journal).</summary>
    Other,
}

/// <summary>Point in time of a balance (default: now).</summary>
public sealed class BalanceAtQuery
{
    /// <summary>The balance after every transfer created at or before this instant (ISO 8601); default now.</summary>
    [FromQuery(Name = "at")]
    public DateTimeOffset? At { get; set; }
}

/// <summary>Paging and instant of <c>GET /v1/balances</c>: accounts in name order.</summary>
public sealed class BalancesQuery : PageQuery
{
    /// <summary>The balances after every transfer created at or before this instant (ISO 8601); default now.</summary>
    [FromQuery(Name = "at")]
    public DateTimeOffset? At { get; set; }

    /// <summary>Only accounts whose name starts so: wallet:, escrow:, world:, suspense:.</summary>
    [FromQuery(Name = "account_prefix")]
    public AccountFamily? AccountPrefix { get; set; }
}

public sealed class BalancesQueryValidator : AbstractValidator<BalancesQuery>
{
    public BalancesQueryValidator()
    {
        PageRules.Apply(this);
        RuleFor(q => q.AccountPrefix).IsInEnum();
    }
}

/// <summary>The families of ledger accounts (ADR 0002).</summary>
public enum AccountFamily
{
    Wallet,
    Escrow,
    World,
    Suspense,
}

/// <summary>An account's balance at an instant, computed from the ledger's transfers (credits less debits).</summary>
public sealed record AccountBalanceResponse(string Account, string Currency, long Balance, DateTimeOffset At)
{
    [JsonPropertyOrder(-1)]
    public string Object => "balance";

    /// <summary>The cursor of the balances list (next_cursor): account@currency, <c>wallet:wal_…@EUR</c>.</summary>
    [JsonIgnore]
    public string Id => $"{Account}@{Currency}";
}

/// <summary>The period of <c>GET /v1/reports/period</c> and <c>GET /v1/reconciliation/daily</c>.</summary>
public class PeriodQuery
{
    /// <summary>Start of the period, inclusive (ISO 8601).</summary>
    [FromQuery(Name = "from")]
    public DateTimeOffset? From { get; set; }

    /// <summary>End of the period, exclusive (ISO 8601); at most 366 days after from.</summary>
    [FromQuery(Name = "to")]
    public DateTimeOffset? To { get; set; }

    /// <summary>NDJSON (one JSON object per line, the default), CSV, or JSON where the endpoint says so.</summary>
    [FromQuery(Name = "format")]
    public ReportFormat? Format { get; set; }
}

public static class PeriodRules
{
    public static void Apply<T>(AbstractValidator<T> validator)
        where T : PeriodQuery
    {
        validator.RuleFor(q => q.From).NotNull();
        validator.RuleFor(q => q.To).NotNull();
        validator
            .RuleFor(q => q.To)
            .GreaterThan(q => q.From)
            .When(q => q.From is not null && q.To is not null)
            .WithMessage("to must be after from.");
        validator
            .RuleFor(q => q.To)
            .Must((q, to) => to - q.From <= ReportRules.MaxPeriod)
            .When(q => q.From is not null && q.To is not null)
            .WithMessage("A report covers at most 366 days.");
        validator.RuleFor(q => q.Format).IsInEnum();
    }
}

/// <summary>Period, format and account of the period report.</summary>
public sealed class PeriodReportQuery : PeriodQuery
{
    /// <summary>Only this ledger account (default: every account of the platform).</summary>
    [FromQuery(Name = "account")]
    public string? Account { get; set; }
}

public sealed class PeriodReportQueryValidator : AbstractValidator<PeriodReportQuery>
{
    public PeriodReportQueryValidator()
    {
        PeriodRules.Apply(this);
        RuleFor(q => q.Account).LedgerAccount();
    }
}

/// <summary>The lines of a period report, per account and currency: OPENING, each MOVEMENT, CLOSING.</summary>
public enum PeriodLineType
{
    Opening,
    Movement,
    Closing,
}

/// <summary>
/// One line of the period report. For OPENING and CLOSING, <c>amount</c> is 0 and <c>balance</c> the account's balance
/// at from and at to; for a MOVEMENT, <c>amount</c> is signed (credit positive, debit negative) and <c>balance</c> the
/// running balance after it. Per account: opening + the movements' amounts = closing.
/// </summary>
public sealed record PeriodLine(
    string Account,
    string Currency,
    PeriodLineType Type,
    string? TransferId,
    TransferKind? Kind,
    string? Reference,
    string? OrderId,
    DateTimeOffset At,
    long Amount,
    long Balance
);
