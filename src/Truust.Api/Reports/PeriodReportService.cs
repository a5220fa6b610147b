using System.Runtime.CompilerServices;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Ledger;

namespace Truust.Api.Reports;

/// <summary>
/// The period report: per account and currency, the OPENING balance at <c>from</c>, every MOVEMENT until <c>to</c>
/// with its running balance, and the CLOSING balance at <c>to</c>. One SQL statement (so one snapshot: the opening
/// and the movements can never disagree) sorted by account, read row by row from an open data reader and written
/// out as it is read: memory stays flat for any number of rows. The database does the sorting (spilling to disk for
/// millions of rows); Truust holds one account's running balance at a time.
/// </summary>
public sealed class PeriodReportService(TruustDbContext db)
{
    private const string Sql = $"""
        WITH m AS ({LedgerReads.Movements})
        SELECT account, currency, 0 AS line, NULL::text AS id, NULL::text AS kind, NULL::text AS reference,
               NULL::text AS order_id, NULL::timestamptz AS created_at, 0::bigint AS posting,
               sum(delta)::bigint AS amount
        FROM m WHERE created_at < @from AND (@account IS NULL OR account = @account)
        GROUP BY account, currency HAVING sum(delta) <> 0
        UNION ALL
        SELECT account, currency, 1, id, kind, reference, order_id, created_at, posting_sequence, delta
        FROM m WHERE created_at >= @from AND created_at < @to AND (@account IS NULL OR account = @account)
        ORDER BY account, currency, line, posting, id
        """;

    /// <summary>Checks the account (a 404 before anything is streamed), then returns the lines, read lazily.</summary>
    public async Task<IAsyncEnumerable<PeriodLine>> StreamAsync(
        Caller caller,
        PeriodReportQuery query,
        CancellationToken ct
    )
    {
        await ReportAccounts.EnsureVisibleAsync(db, caller, query.Account, ct);
        return LinesAsync(caller.PlatformId, query.From!.Value, query.To!.Value, query.Account, ct);
    }

    private async IAsyncEnumerable<PeriodLine> LinesAsync(
        string? platformId,
        DateTimeOffset from,
        DateTimeOffset to,
        string? account,
        [EnumeratorCancellation] CancellationToken ct
    )
    {
        await using var rows = await LedgerReads.ReadAsync(
            db,
            Sql,
            new Dictionary<string, object?>
            {
                ["platform"] = platformId,
                ["from"] = from,
                ["to"] = to,
                ["account"] = account,
            },
            ct
        );
        var reader = rows.Reader;
        (string Account, string Currency)? current = null;
        var balance = 0L;
        while (await reader.ReadAsync(ct))
        {
            // SequentialAccess: columns are read in order, at most once each (skipping is allowed).
            var key = (reader.GetString(0), reader.GetString(1));
            var line = reader.GetInt32(2);
            if (current != key)
            {
                if (current is { } done)
                {
                    yield return Balance(done, PeriodLineType.Closing, to, balance);
                }

                current = key;
                balance = 0;
                if (line == 1)
                {
                    yield return Balance(key, PeriodLineType.Opening, from, 0);
                }
            }

            if (line == 0)
            {
                balance = reader.GetInt64(9);
                yield return Balance(key, PeriodLineType.Opening, from, balance);
                continue;
            }

            var id = reader.GetString(3);
            var kind = WireName.Parse<TransferKind>(reader.GetString(4));
            var reference = reader.GetString(5);
            var orderId = await reader.IsDBNullAsync(6, ct) ? null : reader.GetString(6);
            var at = reader.GetFieldValue<DateTimeOffset>(7);
            var amount = reader.GetInt64(9);
            balance = checked(balance + amount);
            yield return new PeriodLine(
                key.Item1,
                key.Item2,
                PeriodLineType.Movement,
                id,
                kind,
                reference,
                orderId,
                at,
                amount,
                balance
            );
        }

        if (current is { } last)
        {
            yield return Balance(last, PeriodLineType.Closing, to, balance);
        }
    }

    private static PeriodLine Balance(
        (string Account, string Currency) key,
        PeriodLineType type,
        DateTimeOffset at,
        long balance
    ) => new(key.Account, key.Currency, type, null, null, null, null, at, 0, balance);
}
