using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Reports;

/// <summary>The platform's journal: every ledger transfer, in the ledger's own order.</summary>
[Route("v1/journal")]
public sealed class JournalController(JournalService journal) : ApiControllerBase
{
    /// <summary>
    /// Lists ledger transfers oldest first, in posting order (posting, then id), one page at a time: pass next_cursor
    /// as starting_after; new transfers only ever appear after the pages already read. Filters: account (a ledger
    /// account: wallet:wal_…, escrow:ord_…, world:card, world:bankwire, world:bank_payouts, suspense:…; either
    /// side of the transfer), kind, order_id, created_gte, created_lt.
    /// </summary>
    [HttpGet]
    [ProducesResponseType(typeof(Page<JournalEntryResponse>), StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<Page<JournalEntryResponse>>> List(
        [FromQuery] JournalQuery query,
        CancellationToken ct
    ) => await journal.PageAsync(Caller, query, ct);

    /// <summary>
    /// Streams every matching ledger transfer (same filters and order as the list) without paging: format=NDJSON
    /// (application/x-ndjson, one JSON object per line, the default) or format=CSV (text/csv with a header line).
    /// The rows are written as the database returns them, so an export of millions of rows uses flat memory.
    /// </summary>
    [HttpGet("export")]
    [StreamedReport(typeof(JournalEntryResponse))]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Export([FromQuery] JournalExportQuery query, CancellationToken ct) =>
        new StreamedRows<JournalEntryResponse>(
            await journal.StreamAsync(Caller, query, ct),
            query.Format ?? ReportFormat.Ndjson,
            "journal"
        );
}
