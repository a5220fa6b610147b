using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence.Records;

namespace Truust.Api.Persistence;

/// <summary>
/// The wallet postings a transaction sends last, just before its commit (<see cref="UnitOfWork"/> calls
/// <see cref="ApplyAsync"/>): the credits of wallets that spread their credits over sub-accounts (a platform's fee
/// wallet, <see cref="WalletCreditShard"/>), and the debits of such wallets, which fold the sub-accounts back into
/// the wallet's row. One instance per scope, so per unit of work.
/// </summary>
/// <remarks>
/// <para>Why last: a credit upserts one shard row and so locks it until the commit. Sent as the last statement, a
/// transaction holding a shard row never waits on anything afterwards, so a shard lock is never part of a deadlock
/// cycle. A debit deletes every shard row of its wallet (the fold): sent before other statements, it would hold them
/// while waiting on, say, a seller's wallet locked by a release that waits at its commit for one of those shards
/// (a deadlock). So the fold is sent last too: it may wait only for in-flight credits of its wallet, which wait on
/// nothing but other folds of later wallets (statements go in <see cref="Locks.WalletOrder"/>).</para>
/// <para>Why no overdraft and no double count, under READ COMMITTED: a debit first locks the wallet's row
/// (<c>FOR UPDATE</c>), then, in a new statement and so a new snapshot, reads the row plus the sum of the committed
/// shards (plus what this transaction has pending) and refuses if that is short. Until this transaction commits, no
/// one else can fold those shards (a fold needs the row lock) and credits only raise them, so at the commit the fold's
/// <c>DELETE ... RETURNING</c> returns at least that sum: it sees every shard committed by its own snapshot, waits for
/// a shard row that an in-flight credit has locked and then deletes the row's newest version (PostgreSQL re-checks an
/// updated row after the wait) and returns that version's amount, and leaves a shard inserted after its snapshot
/// alone (it stays for the next fold). Each shard version is thus counted by exactly one fold or still in its table.
/// A credit whose upsert waited on a shard the fold deleted inserts it afresh when the fold commits. The wallets'
/// CHECK (<c>balance_minor &gt;= 0</c>) would refuse the commit if this reasoning were ever wrong.</para>
/// </remarks>
public sealed class DeferredWalletPostings
{
    private readonly SortedDictionary<string, (long Net, bool Fold)> _pending = new(Locks.WalletOrder);

    /// <summary>What this transaction will still add to the wallet at its commit (negative: take).</summary>
    public long PendingNet(string walletId) => _pending.GetValueOrDefault(walletId).Net;

    /// <summary>Whether this transaction debits the wallet (holds its row lock, folds its shards at
    /// commit).</summary>
    public bool Folds(string walletId) => _pending.GetValueOrDefault(walletId).Fold;

    /// <summary>Credits <paramref name="amountMinor"/> to one of the wallet's shards at commit.</summary>
    public void Credit(string walletId, long amountMinor)
    {
        var (net, fold) = _pending.GetValueOrDefault(walletId);
        _pending[walletId] = (checked(net + amountMinor), fold);
    }

    /// <summary>
    /// Debits <paramref name="amountMinor"/> at commit, folding the wallet's shards into its row in the same statement.
    /// The caller holds the wallet's row lock and has checked that row, committed shards and pending cover it.
    /// </summary>
    public void FoldAndDebit(string walletId, long amountMinor)
    {
        var (net, _) = _pending.GetValueOrDefault(walletId);
        _pending[walletId] = (checked(net - amountMinor), true);
    }

    /// <summary>Sends what is pending, wallet by wallet in <see cref="Locks.WalletOrder"/>: the transaction's last
    /// statements before its commit.</summary>
    public async Task ApplyAsync(TruustDbContext db, CancellationToken ct)
    {
        try
        {
            foreach (var (walletId, (net, fold)) in _pending)
            {
                if (fold)
                {
                    var folded = await db.Database.ExecuteSqlInterpolatedAsync(
                        $"""
                        WITH folded AS (
                            DELETE FROM wallet_credit_shards WHERE wallet_id = {walletId} RETURNING amount_minor
                        )
                        UPDATE wallets
                        SET balance_minor = balance_minor
                            + (SELECT coalesce(sum(amount_minor), 0) FROM folded)::bigint + {net}
                        WHERE id = {walletId}
                        """,
                        ct
                    );
                    if (folded != 1)
                    {
                        throw new InvalidOperationException($"Wallet {walletId} to fold does not exist.");
                    }
                }
                else if (net > 0)
                {
                    var shard = (short)Random.Shared.Next(WalletCreditShard.Count);
                    await db.Database.ExecuteSqlInterpolatedAsync(
                        $"""
                        INSERT INTO wallet_credit_shards (wallet_id, shard, amount_minor)
                        VALUES ({walletId}, {shard}, {net})
                        ON CONFLICT (wallet_id, shard)
                        DO UPDATE SET amount_minor = wallet_credit_shards.amount_minor + excluded.amount_minor
                        """,
                        ct
                    );
                }
                else if (net < 0)
                {
                    throw new InvalidOperationException($"Wallet {walletId} has a pending debit without a fold.");
                }
            }
        }
        finally
        {
            _pending.Clear();
        }
    }

    /// <summary>Forgets what is pending: the transaction rolled back.</summary>
    public void Clear() => _pending.Clear();
}
