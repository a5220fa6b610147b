using Truust.Api.Persistence.Records;

namespace Truust.Api.Persistence;

/// <summary>
/// The one commit path. Every change a request or a job makes lands through <see cref="RunAsync{T}"/>: begin a
/// transaction, do the work, mark the request's Idempotency-Key as having taken effect, save, commit, and only
/// then wake the workers that have something new to do. Nothing else in the code base commits Truust data.
/// </summary>
public sealed class UnitOfWork(TruustDbContext db, RequestIdempotency idempotency)
{
    private readonly HashSet<ICommitSignal> _wakeAfterCommit = [];

    /// <summary>Runs <paramref name="work"/> in one transaction: all of its effect lands, or none of it.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // Called from inside a unit (a wallet created on first use while money moves): the work joins the
            // outer transaction and is flushed so the statements that follow see its rows; the outer unit commits.
            var joined = await work();
            await db.SaveChangesAsync(ct);
            return joined;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work();
            MarkIdempotencyKey();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            WakeWorkers();
            return result;
        }
        catch
        {
            // A failed unit leaves nothing behind for the next one in this scope (a retry, an error page).
            db.ChangeTracker.Clear();
            _wakeAfterCommit.Clear();
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
    /// When the request carries an Idempotency-Key, its record is marked as having taken effect in the very commit
    /// of the effect: after a crash, a retry then knows the money moved and never moves it again.
    /// </summary>
    private void MarkIdempotencyKey()
    {
        if (idempotency.Current is not var (scope, key) || idempotency.EffectMarked || !db.ChangeTracker.HasChanges())
        {
            return;
        }

        var marker = IdempotencyRecord.Marker(scope, key);
        db.IdempotencyRecords.Attach(marker);
        marker.EffectCommitted = true;
        db.Entry(marker).Property(r => r.EffectCommitted).IsModified = true;
        idempotency.EffectMarked = true;
    }

    private void WakeWorkers()
    {
        foreach (var signal in _wakeAfterCommit)
        {
            signal.Wake();
        }

        _wakeAfterCommit.Clear();
    }
}
