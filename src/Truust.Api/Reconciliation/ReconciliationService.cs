using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;
using static Truust.Api.Reconciliation.ReconciliationRules;

namespace Truust.Api.Reconciliation;

/// <summary>
/// Compares the gateways' own records with the ledger, reference by reference. The simulated processor and bank
/// keep their records in their own schema of Truust's database, so three grouped queries in one read-only
/// snapshot see both sides at one instant: a flow is never caught with one side committed and the other half
/// read. (A real processor's side would be its settlement report, loaded into such a table first.) Incoming wires
/// have no gateway record here (the sandbox posts them straight to Truust), so <c>world:bankwire</c> is not
/// reconciled.
/// </summary>
public sealed class ReconciliationService(TruustDbContext db, TimeProvider clock)
{
    private const string Simulator = SimulatorDbContext.Schema;

    // One row per card payin reference: an approved charge, a ledger movement on world:card that is neither a refund
    // nor a chargeback, or a PROCESSING card payin.
    private const string ChargeSql = $"""
        WITH voids AS (
            SELECT charge_reference, sum(amount_minor)::bigint AS voided
            FROM {Simulator}.card_refunds WHERE reference LIKE '%' || @void_suffix GROUP BY charge_reference
        ), ledger AS (
            SELECT reference, min(currency) AS currency, min(platform_id) AS platform_id,
                   sum(CASE WHEN debit_account = @card THEN amount_minor ELSE -amount_minor END)::bigint AS net
            FROM ledger_transfers
            WHERE (debit_account = @card OR credit_account = @card) AND kind NOT IN (@refund_kind, @chargeback_kind)
            GROUP BY reference
        ), refs AS (
            SELECT reference FROM {Simulator}.card_charges WHERE outcome = @approved
            UNION SELECT reference FROM ledger
            UNION SELECT id FROM payins WHERE type = @addon AND status = @processing
        )
        SELECT r.reference, coalesce(p.platform_id, l.platform_id), p.status, c.outcome,
               coalesce(c.amount_minor, 0), coalesce(v.voided, 0), c.currency, c.created_at, l.net, l.currency
        FROM refs r
        LEFT JOIN {Simulator}.card_charges c ON c.reference = r.reference
        LEFT JOIN voids v ON v.charge_reference = r.reference
        LEFT JOIN ledger l ON l.reference = r.reference
        LEFT JOIN payins p ON p.id = r.reference
        WHERE @platform IS NULL OR coalesce(p.platform_id, l.platform_id) = @platform
        """;

    // One row per card refund reference (voids excluded: they belong to their charge), from either side.
    private const string CardRefundSql = $"""
        WITH gateway AS (
            SELECT f.reference, f.charge_reference, f.amount_minor, c.currency
            FROM {Simulator}.card_refunds f
            LEFT JOIN {Simulator}.card_charges c ON c.reference = f.charge_reference
            WHERE f.reference NOT LIKE '%' || @void_suffix
        ), ledger AS (
            SELECT reference, min(currency) AS currency, min(platform_id) AS platform_id,
                   sum(CASE WHEN credit_account = @card THEN amount_minor ELSE -amount_minor END)::bigint AS net
            FROM ledger_transfers
            WHERE (debit_account = @card OR credit_account = @card) AND kind IN (@refund_kind, @chargeback_kind)
            GROUP BY reference
        )
        SELECT coalesce(g.reference, l.reference), g.charge_reference,
               coalesce(l.platform_id, f.platform_id, p.platform_id), f.status, f.failure_reason,
               g.amount_minor, g.currency, l.net, l.currency
        FROM gateway g
        FULL JOIN ledger l ON l.reference = g.reference
        LEFT JOIN refunds f ON f.id = coalesce(g.reference, l.reference)
        LEFT JOIN payins p ON p.id = g.charge_reference
        WHERE @platform IS NULL OR coalesce(l.platform_id, f.platform_id, p.platform_id) = @platform
        """;

    // One row per payout or wire refund: a bank transfer (a payout's attempts are '<payout id>-<attempt>'), a
    // ledger movement on world:bank_payouts, a SUBMITTING payout or a PENDING wire refund.
    private const string BankSql = $"""
        WITH gateway AS (
            SELECT regexp_replace(reference, '-[0-9]+$', '') AS reference, min(currency) AS currency,
                   count(*) AS transfers,
                   coalesce(sum(amount_minor) FILTER (WHERE status <> @refused), 0)::bigint AS sent,
                   coalesce(sum(amount_minor) FILTER (WHERE status = @returned), 0)::bigint AS returned,
                   (array_agg(status ORDER BY created_at DESC, reference DESC))[1] AS latest_status
            FROM {Simulator}.bank_transfers
            GROUP BY 1
        ), ledger AS (
            SELECT reference, min(currency) AS currency, min(platform_id) AS platform_id,
                   coalesce(sum(amount_minor) FILTER (WHERE credit_account = @bank), 0)::bigint AS sent,
                   coalesce(sum(amount_minor) FILTER (WHERE debit_account = @bank), 0)::bigint AS back
            FROM ledger_transfers
            WHERE debit_account = @bank OR credit_account = @bank
            GROUP BY reference
        ), refs AS (
            SELECT reference FROM gateway
            UNION SELECT reference FROM ledger
            UNION SELECT id FROM payouts WHERE status = @submitting
            UNION SELECT id FROM refunds WHERE rail = @bankwire AND status = @pending
        )
        SELECT r.reference, coalesce(l.platform_id, o.platform_id, f.platform_id), o.status, f.status,
               coalesce(g.transfers, 0)::int, coalesce(g.sent, 0), coalesce(g.returned, 0), g.latest_status,
               g.currency, coalesce(l.sent, 0), coalesce(l.back, 0), l.currency
        FROM refs r
        LEFT JOIN gateway g ON g.reference = r.reference
        LEFT JOIN ledger l ON l.reference = r.reference
        LEFT JOIN payouts o ON o.id = r.reference
        LEFT JOIN refunds f ON f.id = r.reference
        WHERE @platform IS NULL OR coalesce(l.platform_id, o.platform_id, f.platform_id) = @platform
        """;

    // The reserve's records against the ledger: each seller debt (amount, recovered) and, per platform and currency,
    // the rolling reserve's open holds against the balance of its reserve_held account.
    private const string ReserveSql = """
        WITH covers AS (
            SELECT reference, kind, sum(amount_minor)::bigint AS total FROM ledger_transfers
            WHERE kind IN (@reserve_cover, @debt_repayment) GROUP BY reference, kind
        ), held_ledger AS (
            SELECT account, currency, min(platform_id) AS platform_id, sum(delta)::bigint AS balance
            FROM (SELECT credit_account AS account, currency, platform_id, amount_minor AS delta
                  FROM ledger_transfers WHERE credit_account LIKE 'reserve_held:%'
                  UNION ALL
                  SELECT debit_account, currency, platform_id, -amount_minor
                  FROM ledger_transfers WHERE debit_account LIKE 'reserve_held:%') moves
            GROUP BY account, currency
        ), held_records AS (
            SELECT 'reserve_held:' || platform_id AS account, currency, platform_id, sum(amount_minor)::bigint AS held
            FROM reserve_holds WHERE status = @held GROUP BY platform_id, currency
        ), lines AS (
            SELECT d.id AS reference, d.platform_id, d.currency, @debt_amount AS what, d.amount_minor AS record,
                   coalesce(c.total, 0) AS ledger
            FROM seller_debts d LEFT JOIN covers c ON c.reference = d.id AND c.kind = @reserve_cover
            UNION ALL
            SELECT d.id, d.platform_id, d.currency, @debt_recovered, d.recovered_minor, coalesce(c.total, 0)
            FROM seller_debts d LEFT JOIN covers c ON c.reference = d.id AND c.kind = @debt_repayment
            UNION ALL
            SELECT coalesce(l.account, r.account), coalesce(l.platform_id, r.platform_id),
                   coalesce(l.currency, r.currency), @held_balance, coalesce(r.held, 0), coalesce(l.balance, 0)
            FROM held_ledger l FULL JOIN held_records r ON r.account = l.account AND r.currency = l.currency
        )
        SELECT reference, platform_id, currency, what, record, ledger FROM lines
        WHERE @platform IS NULL OR platform_id = @platform
        """;

    /// <summary>
    /// Reconciles what <paramref name="caller"/> may see: a platform its own records; the operator every
    /// platform's (records no Truust row ties to a platform included), or the one <paramref name="platformId"/>
    /// names.
    /// </summary>
    public async Task<ReconciliationResponse> ReconcileAsync(Caller caller, string? platformId, CancellationToken ct)
    {
        var scope = await ScopeAsync(caller, platformId, ct);
        var now = clock.GetUtcNow();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // One snapshot for all three queries, so a flow that commits meanwhile is seen wholly or not at all.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            var charges = await ReadAsync(connection, transaction, ChargeSql, scope, ReadCharge, ct);
            var refunds = await ReadAsync(connection, transaction, CardRefundSql, scope, ReadCardRefund, ct);
            var bank = await ReadAsync(connection, transaction, BankSql, scope, ReadBank, ct);
            var reserve = await ReadAsync(connection, transaction, ReserveSql, scope, ReadReserve, ct);
            await transaction.CommitAsync(ct);

            var findings = charges
                .Select(c => Classify(c, now))
                .Concat(refunds.Select(Classify))
                .Concat(bank.Select(Classify))
                .Concat(reserve.Select(Classify))
                .OfType<Finding>()
                .OrderBy(f => f.Item.Rail, StringComparer.Ordinal)
                .ThenBy(f => f.Item.Reference, StringComparer.Ordinal)
                .ToList();
            return new ReconciliationResponse(
                now,
                findings.Where(f => !f.InFlight).Select(f => f.Item).ToList(),
                findings.Where(f => f.InFlight).Select(f => f.Item).ToList(),
                Totals(charges, refunds, bank)
            );
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The platform to reconcile, or null for all; another platform's id is a 404 to a platform.</summary>
    private async Task<string?> ScopeAsync(Caller caller, string? platformId, CancellationToken ct)
    {
        if (platformId is null)
        {
            return caller.PlatformId;
        }

        if (!caller.CanSee(platformId) || !await db.Platforms.AnyAsync(p => p.Id == platformId, ct))
        {
            throw new NotFoundException("platform", platformId);
        }

        return platformId;
    }

    /// <summary>Per rail and currency: what the gateway's records and the ledger say the rail moved.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, ReconciliationTotal>> Totals(
        IEnumerable<ChargeLine> charges,
        IEnumerable<CardRefundLine> refunds,
        IEnumerable<BankLine> bank
    )
    {
        var card = charges
            .SelectMany(c =>
                new[] { (c.GatewayCurrency, c.GatewayMinor ?? 0, 0L), (c.LedgerCurrency, 0L, c.LedgerMinor ?? 0) }
            )
            .Concat(
                refunds.SelectMany(r =>
                    new[]
                    {
                        (r.GatewayCurrency, -(r.GatewayMinor ?? 0), 0L),
                        (r.LedgerCurrency, 0L, -(r.LedgerMinor ?? 0)),
                    }
                )
            );
        var sent = bank.SelectMany(b =>
            new[] { (b.GatewayCurrency, b.GatewayMinor, 0L), (b.LedgerCurrency, 0L, b.LedgerMinor) }
        );
        return new() { [ReconciliationKinds.CardRail] = Sum(card), [ReconciliationKinds.BankRail] = Sum(sent) };
    }

    private static IReadOnlyDictionary<string, ReconciliationTotal> Sum(
        IEnumerable<(string? Currency, long Gateway, long Ledger)> amounts
    ) =>
        amounts
            .Where(a => a.Currency is not null)
            .GroupBy(a => a.Currency!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new ReconciliationTotal(g.Sum(a => a.Gateway), g.Sum(a => a.Ledger)));

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        string? platformId,
        Func<NpgsqlDataReader, T> read,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string?>("platform", NpgsqlDbType.Text) { TypedValue = platformId });
        parameters.AddWithValue("card", LedgerAccounts.CardRail);
        parameters.AddWithValue("bank", LedgerAccounts.BankPayoutRail);
        parameters.AddWithValue("void_suffix", VoidSuffix);
        parameters.AddWithValue("refund_kind", WireName.Of(TransferKind.Refund));
        // A chargeback is recorded by the processor like a refund of its charge, and compared like one.
        parameters.AddWithValue("chargeback_kind", WireName.Of(TransferKind.Chargeback));
        parameters.AddWithValue("approved", ApprovedOutcome);
        parameters.AddWithValue("processing", ProcessingStatus);
        parameters.AddWithValue("addon", WireName.Of(PayinType.Addon));
        parameters.AddWithValue("bankwire", WireName.Of(PayinType.Bankwire));
        parameters.AddWithValue("pending", WireName.Of(RefundStatus.Pending));
        parameters.AddWithValue("submitting", WireName.Of(PayoutStatus.Submitting));
        parameters.AddWithValue("refused", RefusedTransfer);
        parameters.AddWithValue("returned", ReturnedTransfer);
        if (sql == ReserveSql)
        {
            parameters.AddWithValue("reserve_cover", WireName.Of(TransferKind.ReserveCover));
            parameters.AddWithValue("debt_repayment", WireName.Of(TransferKind.DebtRepayment));
            parameters.AddWithValue("held", WireName.Of(ReserveHoldStatus.Held));
            parameters.AddWithValue("debt_amount", ReserveLine.DebtAmount);
            parameters.AddWithValue("debt_recovered", ReserveLine.DebtRecovered);
            parameters.AddWithValue("held_balance", ReserveLine.HeldBalance);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static ChargeLine ReadCharge(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            Text(r, 1),
            Text(r, 2),
            Text(r, 3),
            r.GetInt64(4),
            r.GetInt64(5),
            Text(r, 6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            Number(r, 8),
            Text(r, 9)
        );

    private static CardRefundLine ReadCardRefund(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            Text(r, 1),
            Text(r, 2),
            Text(r, 3),
            Text(r, 4),
            Number(r, 5),
            Text(r, 6),
            Number(r, 7),
            Text(r, 8)
        );

    private static BankLine ReadBank(NpgsqlDataReader r) =>
        new(
            r.GetString(0),
            Text(r, 1),
            Text(r, 2),
            Text(r, 3),
            r.GetInt32(4),
            r.GetInt64(5),
            r.GetInt64(6),
            Text(r, 7),
            Text(r, 8),
            r.GetInt64(9),
            r.GetInt64(10),
            Text(r, 11)
        );

    private static ReserveLine ReadReserve(NpgsqlDataReader r) =>
        new(r.GetString(0), Text(r, 1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Number(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}

public static class ReconciliationSetup
{
    /// <summary>The reconciliation of the gateways' records with the ledger.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services) =>
        services.AddScoped<ReconciliationService>();
}
