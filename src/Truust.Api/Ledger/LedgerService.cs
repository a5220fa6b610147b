using Microsoft.EntityFrameworkCore;
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

        foreach (var (walletId, delta) in deltas)
        {
            if (delta == 0)
            {
                // Still lock it: a wallet that is both debited and credited must not change under us.
                await Locks.WalletAsync(db, walletId, ct);
                continue;
            }

            var updated = await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE wallets SET balance_minor = balance_minor + {delta} WHERE id = {walletId} AND balance_minor + {delta} >= 0",
                ct
            );
            if (updated == 0)
            {
                var balance = await db
                    .Wallets.AsNoTracking()
                    .Where(w => w.Id == walletId)
                    .Select(w => (long?)w.BalanceMinor)
                    .FirstOrDefaultAsync(ct);
                if (balance is null)
                {
                    throw new InvalidOperationException(
                        $"Ledger posting names wallet {walletId}, which does not exist."
                    );
                }

                throw new InsufficientFundsException(walletId, balance.Value, -delta);
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

    /// <summary>An account's balance: what was credited to it less what was debited from it.</summary>
    public async Task<long> BalanceAsync(string account, CancellationToken ct)
    {
        var credits = await db.LedgerTransfers.Where(t => t.CreditAccount == account).SumAsync(t => t.AmountMinor, ct);
        var debits = await db.LedgerTransfers.Where(t => t.DebitAccount == account).SumAsync(t => t.AmountMinor, ct);
        return credits - debits;
    }
}
