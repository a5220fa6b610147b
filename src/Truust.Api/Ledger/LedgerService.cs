using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Ledger;

namespace Truust.Api.Ledger;

/// <summary>
/// Writes ledger transfers (each a debit and a credit of one amount) and keeps wallet balances in step with them,
/// inside the caller's transaction.
/// </summary>
public sealed class LedgerService(TruustDbContext db)
{
    // Positional parameters: sent as written (no rewriting by EF Core or Npgsql) and prepared once per connection.
    private const string ChangeBalance =
        "UPDATE wallets SET balance_minor = balance_minor + $2 WHERE id = $1 AND balance_minor + $2 >= 0 RETURNING id";

    private const string LockWallet = "SELECT id FROM wallets WHERE id = $1 FOR UPDATE";

    private const string NextPosting = $"SELECT nextval('{TruustDbContext.LedgerPostingSequence}')";

    /// <summary>
    /// Posts <paramref name="transfers"/>: each touched wallet's balance changes by its net amount with one guarded
    /// UPDATE (the WHERE refuses to go below zero), wallets in ascending id order so that two postings can never
    /// wait on each other in opposite orders (no deadlock). Must run inside an open transaction, which the caller
    /// commits together with the transfers, or rolls back when this throws.
    /// </summary>
    public async Task PostAsync(IReadOnlyCollection<LedgerTransfer> transfers, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside a database transaction.");
        }

        var deltas = new SortedDictionary<string, long>(Locks.WalletOrder);
        foreach (var transfer in transfers)
        {
            if (LedgerAccounts.IsWallet(transfer.DebitAccount))
            {
                var id = LedgerAccounts.WalletId(transfer.DebitAccount);
                deltas[id] = checked(deltas.GetValueOrDefault(id) - transfer.AmountMinor);
            }

            if (LedgerAccounts.IsWallet(transfer.CreditAccount))
            {
                var id = LedgerAccounts.WalletId(transfer.CreditAccount);
                deltas[id] = checked(deltas.GetValueOrDefault(id) + transfer.AmountMinor);
            }
        }

        // One round trip for the whole posting: each wallet's guarded change (or a plain lock for a wallet whose net
        // change is zero: it must still not change under the posting), in ascending id order, then the posting number,
        // drawn under those locks so that a later posting on any of these wallets can only draw a larger one. The
        // statements run in order, so the lock order holds as if they were sent one by one. A refused guard is found
        // when the results are read; the statements after it have run too, but the caller's transaction never
        // commits after this throws.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(
            connection,
            (NpgsqlTransaction)db.Database.CurrentTransaction.GetDbTransaction()
        );
        foreach (var (walletId, delta) in deltas)
        {
            batch.BatchCommands.Add(
                delta == 0
                    ? new NpgsqlBatchCommand(LockWallet) { Parameters = { new() { Value = walletId } } }
                    : new NpgsqlBatchCommand(ChangeBalance)
                    {
                        Parameters =
                        {
                            new() { Value = walletId },
                            new() { Value = delta },
                        },
                    }
            );
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(NextPosting));
        string? refused = null;
        long posting;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            foreach (var walletId in deltas.Keys)
            {
                if (!await reader.ReadAsync(ct))
                {
                    refused ??= walletId;
                }

                await reader.NextResultAsync(ct);
            }

            await reader.ReadAsync(ct);
            posting = reader.GetInt64(0);
        }

        if (refused is not null)
        {
            var balance = await db
                .Wallets.AsNoTracking()
                .Where(w => w.Id == refused)
                .Select(w => (long?)w.BalanceMinor)
                .FirstOrDefaultAsync(ct);
            throw balance is null
                ? new InvalidOperationException($"Ledger posting names wallet {refused}, which does not exist.")
                : new InsufficientFundsException(refused, balance.Value, -deltas[refused]);
        }

        foreach (var transfer in transfers)
        {
            transfer.AssignPosting(posting);
        }

        db.LedgerTransfers.AddRange(transfers);
    }

    /// <summary>An account's balance: what was credited to it less what was debited from it.</summary>
    public async Task<long> BalanceAsync(string account, CancellationToken ct)
    {
        var credits = await db.LedgerTransfers.Where(t => t.CreditAccount == account).SumAsync(t => t.AmountMinor, ct);
        var debits = await db.LedgerTransfers.Where(t => t.DebitAccount == account).SumAsync(t => t.AmountMinor, ct);
        return credits - debits;
    }
}
