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
public sealed class LedgerService(TruustDbContext db, DeferredWalletPostings deferred)
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
    /// <para>
    /// A wallet credited by a <see cref="TransferKind.Fee"/> transfer is a platform's fee wallet, which every release
    /// pays: its row is not touched; the credit goes to one of its sub-accounts at the commit
    /// (<see cref="DeferredWalletPostings"/>), so releases do not queue on that one row. Its balance is its row plus
    /// its sub-accounts; a debit the row alone cannot cover locks the row, counts the sub-accounts in, and folds them
    /// into the row at the commit (docs/decisions/0013-fee-wallet-credit-shards.md).
    /// </para>
    /// <para>
    /// The statements go to PostgreSQL in batches of prepared statements, in that same order: the posting number
    /// rides with the last batch, so a transfer's two wallets and its number are one round trip. A batch ends at a
    /// debit that more row locks would follow: when its guard refuses, the fallback locks that wallet while holding
    /// only the locks that come before it, as if every statement had been sent on its own.
    /// </para>
    /// </summary>
    public async Task PostAsync(IReadOnlyCollection<LedgerTransfer> transfers, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside a database transaction.");
        }

        var deltas = new SortedDictionary<string, long>(Locks.WalletOrder);
        HashSet<string>? spread = null;
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
                if (transfer.Kind == TransferKind.Fee)
                {
                    (spread ??= []).Add(id);
                }
            }
        }

        // What goes to the wallet rows, in lock order: a guarded change, or a plain lock (a wallet both debited and
        // credited by the same amount must still not change under the posting).
        var rows = new List<(string WalletId, long Delta)>(deltas.Count);
        foreach (var (walletId, delta) in deltas)
        {
            if (delta > 0 && (spread?.Contains(walletId) == true || deferred.Folds(walletId)))
            {
                // Its row stays unlocked: the credit is sent last, to a sub-account (or into the fold this
                // transaction already owes, under the row lock it already holds).
                deferred.Credit(walletId, delta);
                continue;
            }

            rows.Add((walletId, delta));
        }

        long? posting = null;
        var batch = new List<(string WalletId, long Delta)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (walletId, delta) = rows[i];
            if (delta < 0 && deferred.Folds(walletId))
            {
                // Its row has a fold pending at the commit: the row alone no longer says what may be taken.
                await SendAsync(batch, withPosting: false, ct);
                await DebitWithSubAccountsAsync(walletId, -delta, ct);
                continue;
            }

            batch.Add((walletId, delta));
            var last = i == rows.Count - 1;
            if (last || delta < 0)
            {
                posting = await SendAsync(batch, withPosting: last, ct);
            }
        }

        // Drawn under the wallet locks: a later posting on any of these wallets can only draw a larger number.
        var number =
            posting
            ?? await SendAsync(batch, withPosting: true, ct)
            ?? throw new InvalidOperationException("The posting number was not drawn.");
        foreach (var transfer in transfers)
        {
            transfer.AssignPosting(number);
        }

        db.LedgerTransfers.AddRange(transfers);
    }

    /// <summary>
    /// Sends <paramref name="batch"/> (then empties it) in one round trip, with the posting number last when
    /// <paramref name="withPosting"/>. Only the last statement of a batch may be a debit, so a refused debit is
    /// retried by <see cref="DebitWithSubAccountsAsync"/> holding no lock that comes after it. Returns the posting
    /// number, or null when it was not drawn or a refusal took a lock after it was drawn.
    /// </summary>
    private async Task<long?> SendAsync(
        List<(string WalletId, long Delta)> batch,
        bool withPosting,
        CancellationToken ct
    )
    {
        if (batch.Count == 0 && !withPosting)
        {
            return null;
        }

        await using var command = new NpgsqlBatch(
            (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction()
        );
        foreach (var (walletId, delta) in batch)
        {
            command.BatchCommands.Add(
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

        if (withPosting)
        {
            command.BatchCommands.Add(new NpgsqlBatchCommand(NextPosting));
        }

        (string WalletId, long Delta)? refused = null;
        long? posting = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            foreach (var row in batch)
            {
                if (!await reader.ReadAsync(ct))
                {
                    refused = row;
                }

                await reader.NextResultAsync(ct);
            }

            if (withPosting && await reader.ReadAsync(ct))
            {
                posting = reader.GetInt64(0);
            }
        }

        batch.Clear();
        if (refused is not { } r)
        {
            return posting;
        }

        if (r.Delta >= 0)
        {
            throw new InvalidOperationException($"Ledger posting names wallet {r.WalletId}, which does not exist.");
        }

        // The row alone is short: what its sub-accounts hold may cover the rest (a fee wallet), else this refuses as
        // before. The posting number drawn with it would come before this lock: it is drawn again after.
        await DebitWithSubAccountsAsync(r.WalletId, -r.Delta, ct);
        return null;
    }

    /// <summary>
    /// Takes <paramref name="amountMinor"/> from a wallet whose row alone cannot give it: locks the row, reads the row
    /// plus its committed sub-accounts (in a statement after the lock, so with a snapshot that sees every committed
    /// fold and credit) plus what this transaction has pending for it, refuses when that is short, and otherwise
    /// leaves the debit and the fold of the sub-accounts to the commit (<see cref="DeferredWalletPostings"/> argues
    /// why the fold then finds at least what was counted here).
    /// </summary>
    private async Task DebitWithSubAccountsAsync(string walletId, long amountMinor, CancellationToken ct)
    {
        await Locks.WalletAsync(db, walletId, ct);
        // Wallet reads include the sub-accounts (WalletConfiguration's SQL query).
        var balance = await db
            .Wallets.AsNoTracking()
            .Where(w => w.Id == walletId)
            .Select(w => (long?)w.BalanceMinor)
            .FirstOrDefaultAsync(ct);
        if (balance is null)
        {
            throw new InvalidOperationException($"Ledger posting names wallet {walletId}, which does not exist.");
        }

        var available = checked(balance.Value + deferred.PendingNet(walletId));
        if (available < amountMinor)
        {
            throw new InsufficientFundsException(walletId, available, amountMinor);
        }

        deferred.FoldAndDebit(walletId, amountMinor);
    }

    /// <summary>An account's balance: what was credited to it less what was debited from it.</summary>
    public async Task<long> BalanceAsync(string account, CancellationToken ct)
    {
        var credits = await db.LedgerTransfers.Where(t => t.CreditAccount == account).SumAsync(t => t.AmountMinor, ct);
        var debits = await db.LedgerTransfers.Where(t => t.DebitAccount == account).SumAsync(t => t.AmountMinor, ct);
        return credits - debits;
    }
}
