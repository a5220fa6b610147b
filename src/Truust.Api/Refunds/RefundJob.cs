using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Refunds;

/// <summary>Retries card and wire refunds until their rail confirms them.</summary>
public sealed class RefundJob(
    TruustDbContext db,
    RefundService refunds,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "refunds";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pending = new ClaimQuery(
            "refunds",
            "r",
            $"r.status = {WireName.Of(RefundStatus.Pending)}",
            "r.next_attempt_at"
        );
        var ids = await db.ClaimAsync(
            pending,
            now,
            now.AddSeconds(options.Value.LeaseSeconds),
            options.Value.BatchSize,
            ct
        );
        foreach (var id in ids)
        {
            await refunds.ExecuteAsync(id, ct);
        }

        return ids.Count;
    }
}
