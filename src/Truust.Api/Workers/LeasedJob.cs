using Microsoft.Extensions.Options;
using Truust.Api.Persistence;

namespace Truust.Api.Workers;

/// <summary>
/// A job whose work is a set of due rows: each round claims up to a batch of them with the one leased claim
/// (<see cref="Claims.ClaimAsync"/>) and handles each by id. A job says only what is due and what to do with one.
/// </summary>
public abstract class LeasedJob(TruustDbContext db, TimeProvider clock, IOptions<WorkerOptions> options) : IWorkerJob
{
    public abstract string Name { get; }

    /// <summary>The rows due at <paramref name="now"/>.</summary>
    protected abstract ClaimQuery Due(DateTimeOffset now);

    /// <summary>Handles one claimed row; it stays leased to this instance while this runs.</summary>
    protected abstract Task HandleAsync(string id, CancellationToken ct);

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = now.AddSeconds(options.Value.LeaseSeconds);
        var due = Due(now);
        var ids = await db.ClaimAsync(due, now, lease, options.Value.BatchSize, ct);
        await db.HandleEachAsync(due, ids, now, lease, id => HandleAsync(id, ct), ct);

        return ids.Count;
    }
}
