using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence;
using Truust.Api.Workers;

namespace Truust.Api.Http;

/// <summary>
/// Forgets idempotency keys older than their retention (24 h by default). A delete of expired rows, not a claim:
/// two instances deleting the same rows at once is harmless.
/// </summary>
public sealed class IdempotencyPurgeJob(TruustDbContext db, TimeProvider clock) : IWorkerJob
{
    public string Name => "idempotency-purge";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM idempotency_records WHERE ctid IN (
                SELECT ctid FROM idempotency_records WHERE expires_at < {now} LIMIT 1000)
            """,
            ct
        );
        return 0;
    }
}
