using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Reports;

/// <summary>The days of <c>GET /v1/reconciliation/daily</c> (UTC) and its format.</summary>
public sealed class DailyReconciliationQuery
{
    /// <summary>The first day (YYYY-MM-DD, UTC).</summary>
    [FromQuery(Name = "from")]
    public DateOnly? From { get; set; }

    /// <summary>The day after the last one (exclusive); at most 366 days after from.</summary>
    [FromQuery(Name = "to")]
    public DateOnly? To { get; set; }

    /// <summary>JSON (the default) or CSV, one line per day and currency.</summary>
    [FromQuery(Name = "format")]
    public DailyReportFormat? Format { get; set; }

    /// <summary>Operator only: this platform's records (default: every platform).</summary>
    [FromQuery(Name = "platform_id")]
    public string? PlatformId { get; set; }
}

public sealed class DailyReconciliationQueryValidator : AbstractValidator<DailyReconciliationQuery>
{
    public DailyReconciliationQueryValidator()
    {
        RuleFor(q => q.From).NotNull();
        RuleFor(q => q.To).NotNull();
        RuleFor(q => q.To)
            .GreaterThan(q => q.From)
            .When(q => q.From is not null && q.To is not null)
            .WithMessage("to must be after from.");
        RuleFor(q => q.To)
            .Must((q, to) => to!.Value.DayNumber - q.From!.Value.DayNumber <= 366)
            .When(q => q.From is not null && q.To is not null)
            .WithMessage("A report covers at most 366 days.");
        RuleFor(q => q.Format).IsInEnum();
        When(q => q.PlatformId is not null, () => RuleFor(q => q.PlatformId).ValidId("plt"));
    }
}

public enum DailyReportFormat
{
    Json,
    Csv,
}

/// <summary>
/// The daily reconciliation a finance team files: for each UTC day and currency, what came in per rail, what was paid
/// out, refunded and earned in fees, what escrow held at the end of the day, and the checks of that day.
/// </summary>
public sealed record DailyReconciliationResponse(
    DateOnly From,
    DateOnly To,
    DateTimeOffset CheckedAt,
    bool AllPassed,
    IReadOnlyList<DailyReconciliationLine> Days
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "daily_reconciliation";
}

/// <summary>
/// One day in one currency (minor units). Payins are net of voids; <c>payouts_bank</c> is net of transfers the bank
/// returned. Checks: <c>escrow_not_negative</c> (escrow never held less than nothing at the end of the day) and
/// <c>gateway_records_match</c> (no mismatch of the reconciliation, GET /v1/reconciliation, falls on this day: a
/// mismatch is dated by the first ledger transfer of its reference, and one the ledger has no record of by the day it
/// was checked, when that day is in the report).
/// </summary>
public sealed record DailyReconciliationLine(
    DateOnly Date,
    string Currency,
    long PayinsCard,
    long PayinsBankwire,
    long PayinsWallet,
    long PayoutsBank,
    long PayoutsWallet,
    long Refunds,
    long FeesEarned,
    long EscrowHeldEndOfDay,
    int GatewayMismatches,
    bool ChecksPassed,
    IReadOnlyList<string> FailedChecks
);
