using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Reconciliation;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// The money invariants of DESIGN.md, checked with SQL over a whole database. Call it at the end of every test
/// that moves or could move money; it fails listing every violation it found.
/// </summary>
public static class LedgerInvariants
{
    /// <summary>Order statuses in which the escrow must be empty.</summary>
    public static readonly IReadOnlyList<string> StatusesHoldingNothing =
    [
        "RELEASED",
        "CANCELLED",
        "DRAFT",
        "PENDING_PUBLISH",
        "FAILURE",
    ];

    /// <summary>Order statuses in which the escrow holds what was paid in less what was refunded.</summary>
    public static readonly IReadOnlyList<string> StatusesHoldingFunds =
    [
        "PUBLISHED",
        "ACCEPTED",
        "REJECTED",
        "PENDING_VALIDATE",
        "PENDING_RELEASE",
        "BLOCKED_RELEASE",
    ];

    /// <summary>Campaign statuses reached after the pool was released or refunded: the escrow must be empty.</summary>
    public static readonly IReadOnlyList<string> CampaignStatusesHoldingNothing =
    [
        "SUCCEEDED",
        "FAILED",
        "CANCELLED",
        "REPAYING",
        "REPAID",
        "DEFAULTED",
    ];

    private static readonly (string Name, string Sql)[] Checks =
    [
        // A wallet's balance is a cache: if it drifts from its transfers, money appears or vanishes unseen. A fee
        // wallet's balance is its row plus its credit sub-accounts (ADR 0013).
        (
            "wallet balance equals the sum of its transfers",
            """
            SELECT w.id || ': balance_minor ' || w.balance_minor || coalesce(' + shards ' || sh.total, '')
                   || ', transfers say ' || (coalesce(c.total, 0) - coalesce(d.total, 0))
            FROM wallets w
            LEFT JOIN (SELECT wallet_id, sum(amount_minor) total FROM wallet_credit_shards GROUP BY 1) sh
                   ON sh.wallet_id = w.id
            LEFT JOIN (SELECT credit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) c
                   ON c.a = 'wallet:' || w.id
            LEFT JOIN (SELECT debit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) d
                   ON d.a = 'wallet:' || w.id
            WHERE w.balance_minor + coalesce(sh.total, 0) <> coalesce(c.total, 0) - coalesce(d.total, 0)
            """
        ),
        // Double entry: what one account gains another loses, so each currency nets to zero over all accounts.
        (
            "the accounts of each currency sum to zero",
            """
            SELECT currency || ': accounts sum to ' || sum(balance)
            FROM (SELECT account, currency, sum(delta) balance
                  FROM (SELECT credit_account account, currency, amount_minor delta FROM ledger_transfers
                        UNION ALL
                        SELECT debit_account, currency, -amount_minor FROM ledger_transfers) moves
                  GROUP BY account, currency) balances
            GROUP BY currency
            HAVING sum(balance) <> 0
            """
        ),
        // An order's held_minor decides refunds and releases; it must be exactly what its escrow account holds.
        (
            "order held_minor equals its escrow balance",
            """
            SELECT o.id || ' (' || o.status || '): held_minor ' || o.held_minor || ', escrow holds '
                   || (coalesce(c.total, 0) - coalesce(d.total, 0))
            FROM orders o
            LEFT JOIN (SELECT credit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) c
                   ON c.a = 'escrow:' || o.id
            LEFT JOIN (SELECT debit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) d
                   ON d.a = 'escrow:' || o.id
            WHERE o.held_minor <> coalesce(c.total, 0) - coalesce(d.total, 0)
            """
        ),
        (
            "orders that hold nothing by their status hold nothing",
            """
            SELECT o.id || ' (' || o.status || '): held_minor ' || o.held_minor
            FROM orders o
            WHERE o.status = ANY(@statuses) AND o.held_minor <> 0
            """
        ),
        // Between payment and release the escrow keeps the buyer's money, all of it but what went back to them and
        // what milestones already released.
        (
            "orders that hold funds by their status hold the amount less refunds and releases",
            """
            SELECT o.id || ' (' || o.status || '): held_minor ' || o.held_minor || ', amount_minor '
                   || o.amount_minor || ' less refunded_minor ' || o.refunded_minor || ' and released_minor '
                   || o.released_minor
            FROM orders o
            WHERE o.status = ANY(@holding) AND o.held_minor <> o.amount_minor - o.refunded_minor - o.released_minor
            """
        ),
        // An order paid in stages is exactly the sum of its milestones: their amounts, refunds and releases. A refund
        // after release is the order's, not a milestone's: what it clawed back into escrow is added to theirs.
        (
            "an order's milestones sum to its amount, refunds and releases",
            """
            SELECT o.id || ': milestones sum to ' || m.amount || '/' || m.refunded || '+' || coalesce(c.total, 0)
                   || ' clawed back/' || m.released || ', the order says ' || o.amount_minor || '/'
                   || o.refunded_minor || '/' || o.released_minor
            FROM orders o
            JOIN (SELECT order_id, sum(amount_minor) amount, sum(refunded_minor) refunded,
                         sum(released_minor) released
                  FROM order_milestones GROUP BY order_id) m ON m.order_id = o.id
            LEFT JOIN (SELECT credit_account a, sum(amount_minor) total FROM ledger_transfers
                       WHERE kind IN ('CLAWBACK', 'RESERVE_COVER') GROUP BY 1) c ON c.a = 'escrow:' || o.id
            WHERE m.amount <> o.amount_minor OR m.refunded + coalesce(c.total, 0) <> o.refunded_minor
                OR m.released <> o.released_minor
            """
        ),
        // A campaign's raised_minor decides what is released or refunded; it must be exactly what its escrow holds.
        (
            "campaign raised_minor equals its escrow balance",
            """
            SELECT c.id || ' (' || c.status || '): raised_minor ' || c.raised_minor || ', escrow holds '
                   || (coalesce(cr.total, 0) - coalesce(dr.total, 0))
            FROM campaigns c
            LEFT JOIN (SELECT credit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) cr
                   ON cr.a = 'escrow:' || c.id
            LEFT JOIN (SELECT debit_account a, sum(amount_minor) total FROM ledger_transfers GROUP BY 1) dr
                   ON dr.a = 'escrow:' || c.id
            WHERE c.raised_minor <> coalesce(cr.total, 0) - coalesce(dr.total, 0)
            """
        ),
        // Money left in the escrow of a closed campaign belongs to nobody: neither released nor refunded.
        (
            "campaigns that hold nothing by their status hold nothing",
            """
            SELECT c.id || ' (' || c.status || '): raised_minor ' || c.raised_minor
            FROM campaigns c
            WHERE c.status = ANY(@campaign_statuses) AND c.raised_minor <> 0
            """
        ),
        (
            "no wallet balance is negative",
            """
            SELECT id || ': balance_minor ' || balance_minor FROM wallets WHERE balance_minor < 0
            """
        ),
        (
            "no escrow account is negative",
            """
            SELECT account || ': ' || sum(delta)
            FROM (SELECT credit_account account, amount_minor delta FROM ledger_transfers
                  UNION ALL
                  SELECT debit_account, -amount_minor FROM ledger_transfers) moves
            WHERE account LIKE 'escrow:%'
            GROUP BY account
            HAVING sum(delta) < 0
            """
        ),
        // A transfer to a wallet that does not exist is money no balance shows.
        (
            "every wallet account is an existing wallet in its currency",
            """
            SELECT t.id || ': ' || t.account || ' in ' || t.currency
                   || coalesce(' (wallet is ' || w.currency || ')', ' (no such wallet)')
            FROM (SELECT id, credit_account account, currency FROM ledger_transfers
                  UNION ALL
                  SELECT id, debit_account, currency FROM ledger_transfers) t
            LEFT JOIN wallets w ON 'wallet:' || w.id = t.account
            WHERE t.account LIKE 'wallet:%' AND (w.id IS NULL OR w.currency <> t.currency)
            """
        ),
    ];

    /// <summary>
    /// The ledger invariants of <paramref name="factory"/>'s database, and its reconciliation: every charge, refund
    /// and bank transfer the simulated gateways made is in the ledger and the other way round. What is still in
    /// flight (a refund the worker has yet to send) is no failure; a mismatch is.
    /// </summary>
    public static async Task AssertAsync(TruustApiFactory factory)
    {
        await AssertAsync(factory.ConnectionString);
        var mismatches = await ReconciliationMismatchesAsync(factory);
        if (mismatches.Count > 0)
        {
            Assert.Fail(
                "The gateways' records and the ledger disagree:\n"
                    + string.Join('\n', mismatches.Select(m => $"{m.Kind} {m.Rail} {m.Reference}: {m.Detail}"))
            );
        }
    }

    /// <summary>The operator's reconciliation of every platform in <paramref name="factory"/>'s database.</summary>
    public static async Task<IReadOnlyList<ReconciliationItem>> ReconciliationMismatchesAsync(TruustApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var reconciliation = scope.ServiceProvider.GetRequiredService<ReconciliationService>();
        var operatorCaller = new Caller(null, IsOperator: true);
        return (await reconciliation.ReconcileAsync(operatorCaller, null, CancellationToken.None)).Mismatches;
    }

    public static async Task AssertAsync(string connectionString)
    {
        var violations = await FindViolationsAsync(connectionString);
        if (violations.Count > 0)
        {
            Assert.Fail("Ledger invariants are broken:\n" + string.Join('\n', violations));
        }
    }

    /// <summary>Every violation as "check: detail"; empty when the ledger is consistent.</summary>
    public static async Task<IReadOnlyList<string>> FindViolationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // One snapshot for all checks, so a request committing meanwhile cannot make them disagree.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var violations = new List<string>();
        foreach (var (name, sql) in Checks)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("statuses", StatusesHoldingNothing.ToArray());
            command.Parameters.AddWithValue("holding", StatusesHoldingFunds.ToArray());
            command.Parameters.AddWithValue("campaign_statuses", CampaignStatusesHoldingNothing.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                violations.Add($"{name}: {reader.GetString(0)}");
            }
        }

        return violations;
    }
}
