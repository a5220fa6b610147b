using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Ledger;

namespace Truust.Api.Wallets;

/// <summary>A wallet's movements with the balance after each: a read of the ledger, apart from the flows that
/// move money.</summary>
public sealed class WalletHistory(TruustDbContext db)
{
    /// <summary>
    /// The wallet's movements, newest first, each with its counterpart account and the balance right after it: a
    /// running sum in posting order (the order the wallet's balance went through them, see
    /// <see cref="LedgerTransfer.PostingSequence"/>), credits before debits within one posting, so a netted batch
    /// never shows a balance below the one it left. A movement committed later always lands on top, so paging on
    /// with starting_after never skips one.
    /// </summary>
    public async Task<Page<WalletTransactionResponse>> TransactionsAsync(
        Caller caller,
        string walletId,
        PageQuery page,
        CancellationToken ct
    )
    {
        var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == walletId, ct);
        if (wallet is null || !caller.CanSee(wallet.PlatformId))
        {
            throw new NotFoundException("wallet", walletId);
        }

        var account = LedgerAccounts.Wallet(wallet.Id);
        var limit = page.EffectiveLimit;
        var after = page.StartingAfter ?? string.Empty;
        var rows = await db
            .Database.SqlQuery<TransactionRow>(
                $"""
                WITH movements AS (
                    SELECT t.*, row_number() OVER w AS position,
                           SUM(CASE WHEN t.credit_account = {account} THEN t.amount_minor ELSE -t.amount_minor END)
                               OVER w AS balance_after
                    FROM ledger_transfers t
                    WHERE t.debit_account = {account} OR t.credit_account = {account}
                    WINDOW w AS (ORDER BY t.posting_sequence, t.credit_account = {account} DESC, t.id))
                SELECT id, kind, debit_account, credit_account, amount_minor, currency, reference, order_id, created_at,
                       balance_after
                FROM movements
                WHERE position < CASE WHEN {after} = '' THEN 9223372036854775807
                                      ELSE coalesce((SELECT position FROM movements WHERE id = {after}), 0) END
                ORDER BY position DESC
                LIMIT {limit + 1}
                """
            )
            .ToListAsync(ct);
        var data = rows.Take(limit)
            .Select(r =>
            {
                var credit = r.CreditAccount == account;
                return new WalletTransactionResponse(
                    r.Id,
                    Enum.Parse<TransferKind>(r.Kind.Replace("_", string.Empty), true),
                    credit ? "CREDIT" : "DEBIT",
                    r.AmountMinor,
                    r.Currency,
                    credit ? r.DebitAccount : r.CreditAccount,
                    r.Reference,
                    r.OrderId,
                    r.BalanceAfter,
                    r.CreatedAt
                );
            })
            .ToList();
        return new Page<WalletTransactionResponse>(data, rows.Count > limit);
    }

    /// <summary>One row of the history query; the snake_case naming convention maps its columns to these.</summary>
    public sealed record TransactionRow(
        string Id,
        string Kind,
        string DebitAccount,
        string CreditAccount,
        long AmountMinor,
        string Currency,
        string Reference,
        string? OrderId,
        DateTimeOffset CreatedAt,
        long BalanceAfter
    );
}
