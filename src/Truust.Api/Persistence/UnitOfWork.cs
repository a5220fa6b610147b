using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Truust.Api.Persistence.Records;
using Truust.Domain.Platforms;
using Truust.Domain.Webhooks;

namespace Truust.Api.Persistence;

/// <summary>
/// The one commit path. Every change a request or a job makes lands through <see cref="RunAsync{T}"/>: begin a
/// transaction, do the work, mark the request's Idempotency-Key as having taken effect, save, commit, and only then
/// wake the workers that have something new to do. Nothing else in the code base commits Truust data.
/// <para>
/// A request with an Idempotency-Key runs in one request transaction that the idempotency middleware opens with the
/// key's claim: the units of work join it, and it commits once, with the stored response (see
/// <see cref="CompleteRequestAsync"/>). So the claim, the effect and the response land together or not at all, and
/// no crash can separate them. Before any call to the outside world (a card processor, a bank) the request
/// transaction commits first (<see cref="CommitBeforeOutsideCallAsync"/>): no transaction is ever held across such a
/// call, and the intent that call serves is durable before it is made.
/// </para>
/// </summary>
public sealed class UnitOfWork
{
    private readonly TruustDbContext _db;
    private readonly RequestIdempotency _idempotency;
    private readonly ReadCacheGeneration _readCaches;
    private readonly DeferredWalletPostings _deferred;
    private readonly HashSet<ICommitSignal> _wakeAfterCommit = [];
    private IDbContextTransaction? _request;
    private bool _doomed;

    public UnitOfWork(
        TruustDbContext db,
        RequestIdempotency idempotency,
        ReadCacheGeneration readCaches,
        DeferredWalletPostings deferred
    )
    {
        _db = db;
        _idempotency = idempotency;
        _readCaches = readCaches;
        _deferred = deferred;
        // EF Core wraps a SaveChanges inside an open transaction in a savepoint, so the caller could carry on after
        // a failed save. Truust never does (a failed unit fails its whole transaction): the savepoint would only
        // cost two round trips per save.
        db.Database.AutoSavepointsEnabled = false;
    }

    /// <summary>Whether the request transaction is still open (nothing of the request is committed yet).</summary>
    public bool InRequestTransaction => _request is not null;

    /// <summary>Runs <paramref name="work"/> in one transaction: all of its effect lands, or none of it.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (_db.Database.CurrentTransaction is not null)
        {
            // Inside the request transaction, or called from inside a unit (a wallet created on first use while money
            // moves): the work joins the open transaction and is flushed so the statements that follow see its rows.
            try
            {
                var joined = await work();
                if (_request is not null && _db.ChangeTracker.HasChanges())
                {
                    _idempotency.EffectPending = true;
                }

                NoteCachedRowChanges();
                await _db.SaveChangesAsync(ct);
                return joined;
            }
            catch
            {
                // Part of the work may already have reached the database (a guarded UPDATE): the transaction it joined
                // must never commit now, whatever the caller does with the exception.
                _doomed = _request is not null;
                _db.ChangeTracker.Clear();
                throw;
            }
        }

        await using var transaction = await _db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work();
            var marked = await MarkFencedAsync(ct);
            NoteCachedRowChanges();
            await _db.SaveChangesAsync(ct);
            // The fee wallets' shard credits and folds: the last statements before the commit (see the class).
            await _deferred.ApplyAsync(_db, ct);
            await transaction.CommitAsync(ct);
            ForgetCommitted();
            _idempotency.EffectCommitted |= marked;
            WakeWorkers();
            return result;
        }
        catch
        {
            // A failed unit leaves nothing behind for the next one in this scope (a retry, an error page).
            _db.ChangeTracker.Clear();
            _wakeAfterCommit.Clear();
            _deferred.Clear();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, for work that returns nothing.</summary>
    public Task RunAsync(Func<Task> work, CancellationToken ct) =>
        RunAsync(
            async () =>
            {
                await work();
                return true;
            },
            ct
        );

    /// <summary>Commits what the caller has added or changed, in one transaction.</summary>
    public Task SaveAsync(CancellationToken ct) => RunAsync(() => Task.CompletedTask, ct);

    /// <summary>Wakes <paramref name="signal"/>'s worker once this unit has committed (never before: the worker
    /// would look for work it cannot see yet).</summary>
    public void WakeAfterCommit(ICommitSignal signal) => _wakeAfterCommit.Add(signal);

    /// <summary>
    /// Opens the request transaction of a request with an Idempotency-Key and claims the key in it. A concurrent
    /// request with the same key waits on the claim until this one commits or rolls back, then sees the outcome.
    /// Returns false, with no transaction open, when the key already has a record.
    /// </summary>
    public async Task<bool> BeginRequestAsync(IdempotencyRecord claim, CancellationToken ct)
    {
        _request = await _db.Database.BeginTransactionAsync(ct);
        var inserted = await IdempotencyStore.TryInsertAsync(_db, claim, ct);
        if (!inserted)
        {
            await EndRequestAsync(commit: false, ct);
            return false;
        }

        _idempotency.Current = (claim.Scope, claim.Key, claim.LockedUntil);
        return true;
    }

    /// <summary>
    /// Opens the request transaction for a key whose earlier holder died before any effect: the lease moves to this
    /// request (a new fencing token) in the same transaction, so the dead holder can never commit under it again.
    /// </summary>
    public async Task<bool> TakeOverRequestAsync(
        IdempotencyRecord stale,
        DateTimeOffset lease,
        bool resume,
        CancellationToken ct
    )
    {
        _request = await _db.Database.BeginTransactionAsync(ct);
        if (!await IdempotencyStore.TryTakeOverAsync(_db, stale, lease, resume, ct))
        {
            await EndRequestAsync(commit: false, ct);
            return false;
        }

        _idempotency.Current = (stale.Scope, stale.Key, lease);
        _idempotency.Resumed = stale.EffectCommitted;
        _idempotency.EffectCommitted = stale.EffectCommitted;
        return true;
    }

    /// <summary>
    /// Commits the request transaction before a call to the outside world, so the intent the call serves (and the
    /// key's claim) is durable first. From here on each unit commits on its own, fenced by the key's lease.
    /// </summary>
    public async Task CommitBeforeOutsideCallAsync(CancellationToken ct)
    {
        if (_db.Database.CurrentTransaction is { } open && open != _request)
        {
            throw new InvalidOperationException(
                "A call to the outside world was made inside a unit of work; commit the intent first."
            );
        }

        if (_request is null)
        {
            return;
        }

        if (_doomed)
        {
            throw new InvalidOperationException("The request transaction failed; it cannot commit before a call.");
        }

        if (_idempotency.EffectPending)
        {
            await IdempotencyStore.MarkEffectAsync(_db, _idempotency, ct);
        }

        await EndRequestAsync(commit: true, ct);
    }

    /// <summary>
    /// Ends an idempotent request: stores its response and commits it with the request's effect in one commit, or,
    /// when there is nothing to keep (no effect, a response that must not be replayed), rolls back so the key is
    /// free for a retry at once. Returns false when the request's lease was taken over (nothing of it committed
    /// since then; the caller answers 409).
    /// </summary>
    public async Task<bool> CompleteRequestAsync(StoredResponse? response, CancellationToken ct)
    {
        _ = _idempotency.Current ?? throw new InvalidOperationException("No idempotent request.");
        if (_request is not null)
        {
            if (_doomed)
            {
                // A unit failed inside the request transaction and the request still answered: nothing of it may
                // commit, and the answer must not claim otherwise.
                await EndRequestAsync(commit: false, ct);
                throw new InvalidOperationException("A unit of work failed but its request answered as if it had not.");
            }

            if (response is null)
            {
                await EndRequestAsync(commit: false, ct);
                return true;
            }

            await IdempotencyStore.CompleteAsync(_db, _idempotency, response, ct);
            await EndRequestAsync(commit: true, ct);
            return true;
        }

        // The request committed earlier (before an outside call): its record is completed in a fenced commit of its
        // own; the effect is safe either way.
        await using var transaction = await _db.Database.BeginTransactionAsync(ct);
        var completed = response is null
            ? await IdempotencyStore.ReleaseAsync(_db, _idempotency, ct)
            : await IdempotencyStore.CompleteAsync(_db, _idempotency, response, ct);
        await transaction.CommitAsync(ct);
        return completed;
    }

    /// <summary>Rolls back whatever the request left open (it threw). The key is then free for a retry.</summary>
    public async Task AbandonRequestAsync()
    {
        if (_request is not null)
        {
            await EndRequestAsync(commit: false, CancellationToken.None);
        }
        else if (_idempotency.Current is not null && !_idempotency.EffectCommitted)
        {
            await using var transaction = await _db.Database.BeginTransactionAsync();
            await IdempotencyStore.ReleaseAsync(_db, _idempotency, CancellationToken.None);
            await transaction.CommitAsync();
        }
    }

    /// <summary>
    /// After the request transaction committed (an outside call came between), each later unit with an effect marks
    /// the key in its own commit, fenced by the key's lease: when another request has taken the key over meanwhile,
    /// the unit fails and nothing of it lands.
    /// </summary>
    private async Task<bool> MarkFencedAsync(CancellationToken ct)
    {
        if (_idempotency.Current is null || !_db.ChangeTracker.HasChanges())
        {
            return false;
        }

        await IdempotencyStore.MarkEffectAsync(_db, _idempotency, ct);
        return true;
    }

    /// <summary>
    /// API keys and webhook endpoints are served from memory for a few seconds (<see cref="ReadCacheGeneration"/>): a
    /// unit that changes one makes this process forget them the moment it commits, so a revoked key is refused by the
    /// very next request (other processes learn it from the database's notification).
    /// </summary>
    private void NoteCachedRowChanges()
    {
        foreach (var entry in _db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Unchanged && entry.Entity is ApiKey or WebhookEndpoint)
            {
                _wakeAfterCommit.Add(_readCaches);
                return;
            }
        }
    }

    private async Task EndRequestAsync(bool commit, CancellationToken ct)
    {
        var transaction = _request!;
        _request = null;
        try
        {
            if (commit)
            {
                try
                {
                    // The fee wallets' shard credits and folds: the last statements before the commit.
                    await _deferred.ApplyAsync(_db, ct);
                    await transaction.CommitAsync(ct);
                }
                catch
                {
                    _db.ChangeTracker.Clear();
                    _wakeAfterCommit.Clear();
                    throw;
                }

                ForgetCommitted();
                if (_idempotency.EffectPending)
                {
                    _idempotency.EffectCommitted = true;
                }

                WakeWorkers();
            }
            else
            {
                await transaction.RollbackAsync(CancellationToken.None);
                _db.ChangeTracker.Clear();
                _wakeAfterCommit.Clear();
                _deferred.Clear();
            }
        }
        finally
        {
            await transaction.DisposeAsync();
        }
    }

    /// <summary>
    /// Once a unit has committed, its row locks are gone and other requests may change those rows. EF Core never
    /// refreshes an entity it already tracks, so the next unit's lock query would hand back the stale copy (a
    /// campaign's total from before another contribution landed). Detaching what was committed makes every unit
    /// read what it locks.
    /// </summary>
    private void ForgetCommitted() => _db.ChangeTracker.Clear();

    private void WakeWorkers()
    {
        foreach (var signal in _wakeAfterCommit)
        {
            signal.Wake();
        }

        _wakeAfterCommit.Clear();
    }
}
