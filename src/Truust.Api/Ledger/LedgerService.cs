using Microsoft.EntityFrameworkCore;
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

        foreach (var (walletId, delta) in deltas)
        {
            if (delta > 0 && (spread?.Contains(walletId) == true || deferred.Folds(walletId)))
            {
                // Its row stays unlocked: the credit is sent last, to a sub-account (or into the fold this
                // transaction already owes, under the row lock it already holds).
                deferred.Credit(walletId, delta);
                continue;
            }

            if (delta == 0)
            {
                // Still lock it: a wallet that is both debited and credited must not change under us.
                await Locks.WalletAsync(db, walletId, ct);
                continue;
            }

            if (delta < 0 && deferred.Folds(walletId))
            {
                // Its row has a fold pending at the commit: the row alone no longer says what may be taken.
                await DebitWithSubAccountsAsync(walletId, -delta, ct);
                continue;
            }

            var updated = await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE wallets SET balance_minor = balance_minor + {delta} WHERE id = {walletId} AND balance_minor + {delta} >= 0",
                ct
            );
            if (updated == 0)
            {
                if (delta > 0)
                {
                    throw new InvalidOperationException(
                        $"Ledger posting names wallet {walletId}, which does not exist."
                    );
                }

                // The row alone is short: what its sub-accounts hold may cover the rest (a fee wallet), else this
                // refuses as before.
                await DebitWithSubAccountsAsync(walletId, -delta, ct);
            }
        }

        // Drawn under the wallet locks: a later posting on any of these wallets can only draw a larger number.
        var posting = await db
            .Database.SqlQuery<long>($"SELECT nextval({TruustDbContext.LedgerPostingSequence}::regclass) AS \"Value\"")
            .SingleAsync(ct);
        foreach (var transfer in transfers)
        {
            transfer.AssignPosting(posting);
        }

        db.LedgerTransfers.AddRange(transfers);
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
