using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Ledger;

namespace Truust.Api.Reports;

/// <summary>
/// The platform's journal: every ledger transfer, oldest first in the ledger's own order (posting, then id). A page
/// is one range scan of <c>ix_ledger_transfers_platform_id_posting_sequence_id</c> after the cursor's (posting, id),
/// so a transfer committed while a caller pages lands after every page it has already read (its posting is drawn
/// later) and pages never repeat or skip rows that were there when they were read. A posting is numbered under its
/// wallet locks a few milliseconds before it commits, so a reader at the very end of the journal may see a posting
/// before one numbered just below it: a period that ended a moment ago (created_lt in the past) is complete.
/// </summary>
public sealed class JournalService(TruustDbContext db)
{
    public async Task<Page<JournalEntryResponse>> PageAsync(Caller caller, JournalQuery query, CancellationToken ct)
    {
        var found = await FilteredAsync(caller, query, ct);
        if (query.StartingAfter is { } after)
        {
            var cursor = await Visible(caller)
                .Where(t => t.Id == after)
                .Select(t => (long?)t.PostingSequence)
                .FirstOrDefaultAsync(ct);
            if (cursor is not { } posting)
            {
                throw new NotFoundException("starting_after", after);
            }

            found = found.Where(t =>
                t.PostingSequence > posting || (t.PostingSequence == posting && string.Compare(t.Id, after) > 0)
            );
        }

        var limit = query.Limit ?? 20;
        var rows = await Ordered(found).Take(limit + 1).Select(ToResponse).ToListAsync(ct);
        return new Page<JournalEntryResponse>(rows.Take(limit).ToList(), rows.Count > limit);
    }

    /// <summary>Every matching transfer, read from one open query as the caller consumes them.</summary>
    public async Task<IAsyncEnumerable<JournalEntryResponse>> StreamAsync(
        Caller caller,
        JournalFilter filter,
        CancellationToken ct
    ) => Ordered(await FilteredAsync(caller, filter, ct)).Select(ToResponse).AsAsyncEnumerable();

    private static readonly System.Linq.Expressions.Expression<Func<LedgerTransfer, JournalEntryResponse>> ToResponse =
        t => new JournalEntryResponse(
            t.Id,
            t.PostingSequence,
            t.DebitAccount,
            t.CreditAccount,
            t.AmountMinor,
            t.Currency,
            t.Kind,
            t.Reference,
            t.OrderId,
            t.CreatedAt
        );

    private static IQueryable<LedgerTransfer> Ordered(IQueryable<LedgerTransfer> query) =>
        query.OrderBy(t => t.PostingSequence).ThenBy(t => t.Id);

    private IQueryable<LedgerTransfer> Visible(Caller caller) =>
        caller.PlatformId is { } platformId
            ? db.LedgerTransfers.AsNoTracking().Where(t => t.PlatformId == platformId)
            : db.LedgerTransfers.AsNoTracking();

    private async Task<IQueryable<LedgerTransfer>> FilteredAsync(
        Caller caller,
        JournalFilter filter,
        CancellationToken ct
    )
    {
        await ReportAccounts.EnsureVisibleAsync(db, caller, filter.Account, ct);
        if (filter.OrderId is { } orderId)
        {
            var owner = await db.Orders.Where(o => o.Id == orderId).Select(o => o.PlatformId).FirstOrDefaultAsync(ct);
            if (owner is null || !caller.CanSee(owner))
            {
                throw new NotFoundException("order", orderId);
            }
        }

        var found = Visible(caller);
        if (filter.Account is { } account)
        {
            found = found.Where(t => t.DebitAccount == account || t.CreditAccount == account);
        }

        if (filter.Kind is { } kind)
        {
            found = found.Where(t => t.Kind == kind);
        }

        if (filter.OrderId is { } order)
        {
            found = found.Where(t => t.OrderId == order);
        }

        found = found.CreatedWithin(filter, t => t.CreatedAt);

        return found;
    }
}
