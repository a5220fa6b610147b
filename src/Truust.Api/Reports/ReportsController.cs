using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Payins;

namespace Truust.Api.Reports;

/// <summary>Reports a finance team closes a period with.</summary>
[Route("v1/reports")]
public sealed class ReportsController(PeriodReportService periods) : ApiControllerBase
{
    /// <summary>
    /// The period report per ledger account and currency, from (inclusive) to (exclusive): an OPENING line with the
    /// balance at from, a MOVEMENT line per transfer (signed amount, running balance), a CLOSING line with the
    /// balance at to; opening + movements = closing. Every account of the platform, or one (account). Streamed as
    /// format=NDJSON (default) or CSV at flat memory, however many rows.
    /// </summary>
    [HttpGet("period")]
    [StreamedReport(typeof(PeriodLine))]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Period([FromQuery] PeriodReportQuery query, CancellationToken ct) =>
        new StreamedRows<PeriodLine>(
            await periods.StreamAsync(Caller, query, ct),
            query.Format ?? ReportFormat.Ndjson,
            $"period-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}"
        );
}

/// <summary>Balances at an instant, computed from the ledger.</summary>
[Route("v1")]
public sealed class BalancesController(BalanceService balances) : ApiControllerBase
{
    /// <summary>
    /// Lists the platform's ledger accounts with a balance other than zero at an instant (at, default now), in account
    /// and currency order: its wallets, the escrow of its orders and campaigns, and its share of the rail and
    /// suspense accounts (negative: money that came in from outside). Filter: account_prefix.
    /// </summary>
    [HttpGet("balances")]
    [ProducesResponseType(typeof(Page<AccountBalanceResponse>), StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<AccountBalanceResponse>>> List(
        [FromQuery] BalancesQuery query,
        CancellationToken ct
    ) => await balances.ListAsync(Caller, query, ct);

    /// <summary>
    /// A wallet's balance at an instant (at, default now), computed from its ledger transfers; at the present it
    /// equals the wallet's balance.
    /// </summary>
    [HttpGet("wallets/{id}/balance")]
    public Task<AccountBalanceResponse> Wallet(string id, [FromQuery] BalanceAtQuery query, CancellationToken ct) =>
        balances.WalletAsync(Caller, id, query.At, ct);
}

/// <summary>What a payout is made of.</summary>
[Route("v1/payouts/{id}/sources")]
public sealed class PayoutSourcesController(PayoutSourcesService sources) : ApiControllerBase
{
    /// <summary>
    /// The orders, payins, fees and splits a payout is made of, signed, summing to its amount exactly: the payins that
    /// funded the order's escrow (+), refunds, chargebacks and earlier payouts from it (−), this release's fee and
    /// splits (−), and what the escrow still holds after it (−); a withdrawal is its wallet (+). 409
    /// payout_not_released before any money left for it.
    /// </summary>
    [HttpGet]
    [ProducesResponseType<PayoutSourcesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<PayoutSourcesResponse> Get(string id, CancellationToken ct) => sources.GetAsync(Caller, id, ct);
}

/// <summary>Refunds: money going back to the payer.</summary>
[Route("v1/refunds")]
public sealed class RefundsController(ReportListService lists) : ApiControllerBase
{
    /// <summary>Lists refunds, newest first. Filters: order_id, payin_id, status, created_gte, created_lt.</summary>
    [HttpGet]
    [ProducesResponseType(typeof(Page<RefundResponse>), StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<RefundResponse>>> List(
        [FromQuery] RefundListQuery query,
        CancellationToken ct
    ) => await lists.RefundsAsync(Caller, query, ct);
}

/// <summary>The daily reconciliation report.</summary>
[Route("v1/reconciliation/daily")]
public sealed class DailyReconciliationController(DailyReconciliationService daily) : ApiControllerBase
{
    /// <summary>
    /// The daily reconciliation a finance team files, per UTC day (from inclusive, to exclusive) and currency:
    /// payins received per rail (card, bank wire, wallet), payouts sent (bank, wallet), refunds, fees earned, escrow
    /// held at the end of the day, and the day's checks (escrow_not_negative, gateway_records_match against
    /// GET /v1/reconciliation). format=JSON (default) or CSV.
    /// </summary>
    [HttpGet]
    [StreamedReport(typeof(DailyReconciliationLine), ndjson: false, json: typeof(DailyReconciliationResponse))]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get([FromQuery] DailyReconciliationQuery query, CancellationToken ct)
    {
        var report = await daily.ReportAsync(Caller, query, ct);
        return query.Format == DailyReportFormat.Csv
            ? new StreamedRows<DailyReconciliationLine>(
                report.Days.ToAsyncEnumerable(),
                ReportFormat.Csv,
                $"reconciliation-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}"
            )
            : Ok(report);
    }
}
