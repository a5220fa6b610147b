using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Reconciliation;
using Truust.Domain;
using Truust.Domain.Ledger;

namespace Truust.Api.Reports;

/// <summary>
/// Builds the daily reconciliation from the ledger (one grouped query per day and currency, plus the escrow balance
/// carried in from before the first day) and the gateway reconciliation's mismatches, dated by their ledger entries.
/// </summary>
public sealed class DailyReconciliationService(
    TruustDbContext db,
    ReconciliationService reconciliation,
    TimeProvider clock
)
{
    public const string EscrowNotNegative = "escrow_not_negative";
    public const string GatewayRecordsMatch = "gateway_records_match";

    private static readonly string Card = LedgerAccounts.CardRail;
    private static readonly string Wire = LedgerAccounts.BankwireRail;
    private static readonly string Bank = LedgerAccounts.BankPayoutRail;
    private static readonly string Payin = WireName.Of(TransferKind.Payin);
    private static readonly string Refund = WireName.Of(TransferKind.Refund);
    private static readonly string Chargeback = WireName.Of(TransferKind.Chargeback);
    private static readonly string Release = WireName.Of(TransferKind.Release);
    private static readonly string Disbursement = WireName.Of(TransferKind.Disbursement);
    private static readonly string Withdrawal = WireName.Of(TransferKind.Withdrawal);
    private static readonly string Fee = WireName.Of(TransferKind.Fee);

    private static readonly string DaySql = $"""
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, currency,
          coalesce(sum(CASE WHEN debit_account = '{Card}' THEN amount_minor WHEN credit_account = '{Card}'
              THEN -amount_minor END) FILTER (WHERE kind NOT IN ('{Refund}', '{Chargeback}')), 0)::bigint,
          coalesce(sum(CASE WHEN debit_account = '{Wire}' THEN amount_minor WHEN credit_account = '{Wire}'
              THEN -amount_minor END) FILTER (WHERE kind <> '{Refund}'), 0)::bigint,
          coalesce(sum(amount_minor) FILTER (WHERE kind = '{Payin}' AND debit_account LIKE 'wallet:%'), 0)::bigint,
          coalesce(sum(CASE WHEN credit_account = '{Bank}' THEN amount_minor ELSE -amount_minor END)
              FILTER (WHERE (credit_account = '{Bank}' OR debit_account = '{Bank}') AND kind <> '{Refund}'), 0)::bigint,
          coalesce(sum(amount_minor) FILTER (WHERE kind IN ('{Release}', '{Disbursement}')
              AND credit_account LIKE 'wallet:%'), 0)::bigint,
          coalesce(sum(amount_minor) FILTER (WHERE kind = '{Refund}' AND debit_account LIKE 'escrow:%'), 0)::bigint,
          coalesce(sum(amount_minor) FILTER (WHERE kind = '{Fee}'), 0)::bigint,
          coalesce(sum(CASE WHEN credit_account LIKE 'escrow:%' THEN amount_minor ELSE 0 END
              - CASE WHEN debit_account LIKE 'escrow:%' THEN amount_minor ELSE 0 END), 0)::bigint
        FROM ledger_transfers
        WHERE (@platform IS NULL OR platform_id = @platform) AND created_at >= @from AND created_at < @to
        GROUP BY 1, 2
        """;

    private const string EscrowBeforeSql = """
        SELECT currency, coalesce(sum(CASE WHEN credit_account LIKE 'escrow:%' THEN amount_minor ELSE 0 END
              - CASE WHEN debit_account LIKE 'escrow:%' THEN amount_minor ELSE 0 END), 0)::bigint
        FROM ledger_transfers
        WHERE (@platform IS NULL OR platform_id = @platform) AND created_at < @from
          AND (credit_account LIKE 'escrow:%' OR debit_account LIKE 'escrow:%')
        GROUP BY currency
        """;

    private const string FirstEntrySql = """
        SELECT reference, (min(created_at) AT TIME ZONE 'UTC')::date FROM ledger_transfers
        WHERE reference = ANY(@references) GROUP BY reference
        """;

    public async Task<DailyReconciliationResponse> ReportAsync(
        Caller caller,
        DailyReconciliationQuery query,
        CancellationToken ct
    )
    {
        // Scopes the caller (a platform reading another's id is a 404) and lists the gateway mismatches.
        var gateway = await reconciliation.ReconcileAsync(caller, query.PlatformId, ct);
        var platform = caller.PlatformId ?? query.PlatformId;
        var (firstDay, endDay) = (query.From!.Value, query.To!.Value);
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(endDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var parameters = new Dictionary<string, object?>
        {
            ["platform"] = platform,
            ["from"] = from,
            ["to"] = to,
        };

        var days = new Dictionary<(DateOnly, string), long[]>();
        await using (var rows = await LedgerReads.ReadAsync(db, DaySql, parameters, ct))
        {
            var reader = rows.Reader;
            while (await reader.ReadAsync(ct))
            {
                var key = (DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1));
                days[key] = Enumerable.Range(2, 8).Select(reader.GetInt64).ToArray();
            }
        }

        var escrow = new Dictionary<string, long>();
        await using (var rows = await LedgerReads.ReadAsync(db, EscrowBeforeSql, parameters, ct))
        {
            var reader = rows.Reader;
            while (await reader.ReadAsync(ct))
            {
                escrow[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var mismatchDays = await MismatchDaysAsync(gateway, ct);
        var currencies = escrow.Keys.Concat(days.Keys.Select(k => k.Item2)).Distinct().Order(StringComparer.Ordinal);
        var lines = new List<DailyReconciliationLine>();
        foreach (var currency in currencies)
        {
            for (var day = firstDay; day < endDay; day = day.AddDays(1))
            {
                var v = days.GetValueOrDefault((day, currency)) ?? new long[8];
                escrow[currency] = checked(escrow.GetValueOrDefault(currency) + v[7]);
                var mismatches = mismatchDays.Count(m => m.Day == day && m.Currency == currency);
                var failed = new List<string>();
                if (escrow[currency] < 0)
                {
                    failed.Add(EscrowNotNegative);
                }

                if (mismatches > 0)
                {
                    failed.Add(GatewayRecordsMatch);
                }

                lines.Add(
                    new DailyReconciliationLine(
                        day,
                        currency,
                        v[0],
                        v[1],
                        v[2],
                        v[3],
                        v[4],
                        v[5],
                        v[6],
                        escrow[currency],
                        mismatches,
                        failed.Count == 0,
                        failed
                    )
                );
            }
        }

        lines.Sort(
            (a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : string.CompareOrdinal(a.Currency, b.Currency)
        );
        return new DailyReconciliationResponse(
            firstDay,
            endDay,
            gateway.CheckedAt,
            lines.All(l => l.ChecksPassed),
            lines
        );
    }

    /// <summary>Each mismatch's day: its reference's first ledger transfer, or the day it was checked.</summary>
    private async Task<List<(DateOnly Day, string Currency)>> MismatchDaysAsync(
        ReconciliationResponse gateway,
        CancellationToken ct
    )
    {
        var firstEntries = new Dictionary<string, DateOnly>();
        if (gateway.Mismatches.Count > 0)
        {
            var references = gateway.Mismatches.Select(m => m.Reference).Distinct().ToArray();
            await using var rows = await LedgerReads.ReadAsync(
                db,
                FirstEntrySql,
                new Dictionary<string, object?> { ["references"] = references },
                ct
            );
            var reader = rows.Reader;
            while (await reader.ReadAsync(ct))
            {
                firstEntries[reader.GetString(0)] = DateOnly.FromDateTime(reader.GetDateTime(1));
            }
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return gateway
            .Mismatches.Select(m => (firstEntries.GetValueOrDefault(m.Reference, today), m.Currency))
            .ToList();
    }
}
