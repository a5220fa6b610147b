using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Wallets;
using Truust.Domain.Ledger;

namespace Truust.Api.Reports;

/// <summary>
/// Balances at an instant, computed from the ledger's transfers alone (credits less debits of every transfer created
/// at or before it). At the present instant a wallet's equals its cached balance, which the ledger invariants assert.
/// </summary>
public sealed class BalanceService(TruustDbContext db, WalletService wallets, TimeProvider clock)
{
    public async Task<AccountBalanceResponse> WalletAsync(
        Caller caller,
        string walletId,
        DateTimeOffset? at,
        CancellationToken ct
    )
    {
        var wallet = await wallets.FindAsync(caller, walletId, ct);
        var instant = at ?? clock.GetUtcNow();
        var account = LedgerAccounts.Wallet(wallet.Id);
        const string sql = """
            SELECT coalesce(sum(CASE WHEN credit_account = @account THEN amount_minor ELSE -amount_minor END),
                            0)::bigint
            FROM ledger_transfers
            WHERE (credit_account = @account OR debit_account = @account) AND created_at <= @at
            """;
        await using var rows = await LedgerReads.ReadAsync(
            db,
            sql,
            new Dictionary<string, object?> { ["account"] = account, ["at"] = instant },
            ct
        );
        var reader = rows.Reader;
        await reader.ReadAsync(ct);
        return new AccountBalanceResponse(account, wallet.Currency, reader.GetInt64(0), instant);
    }

    /// <summary>Every account of the platform with a balance other than zero, by account name and currency.</summary>
    public async Task<Page<AccountBalanceResponse>> ListAsync(Caller caller, BalancesQuery query, CancellationToken ct)
    {
        var instant = query.At ?? clock.GetUtcNow();
        string? afterAccount = null;
        string? afterCurrency = null;
        if (query.StartingAfter is { } cursor)
        {
            var at = cursor.LastIndexOf('@');
            if (at <= 0)
            {
                throw new NotFoundException("starting_after", cursor);
            }

            (afterAccount, afterCurrency) = (cursor[..at], cursor[(at + 1)..]);
        }

        var limit = query.EffectiveLimit;
        var sql = $"""
            SELECT account, currency, sum(delta)::bigint FROM ({LedgerReads.Movements}) m
            WHERE created_at <= @at AND (@prefix IS NULL OR account LIKE @prefix)
              AND (@after_account IS NULL OR (account, currency) > (@after_account, @after_currency))
            GROUP BY account, currency HAVING sum(delta) <> 0
            ORDER BY account, currency LIMIT @limit
            """;
        var prefix = query.AccountPrefix is { } family ? family.ToString().ToLowerInvariant() + ":%" : null;
        await using var rows = await LedgerReads.ReadAsync(
            db,
            sql,
            new Dictionary<string, object?>
            {
                ["platform"] = caller.PlatformId,
                ["at"] = instant,
                ["prefix"] = prefix,
                ["after_account"] = afterAccount,
                ["after_currency"] = afterCurrency,
                ["limit"] = limit + 1,
            },
            ct
        );
        var reader = rows.Reader;
        var found = new List<AccountBalanceResponse>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(
                new AccountBalanceResponse(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), instant)
            );
        }

        return new Page<AccountBalanceResponse>(found.Take(limit).ToList(), found.Count > limit);
    }
}
