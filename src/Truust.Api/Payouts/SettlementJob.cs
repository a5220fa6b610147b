using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>Follows ACCOUNT payouts in transit until the bank settles or returns them.</summary>
public sealed class SettlementJob(
    TruustDbContext db,
    PayoutService payouts,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "settlement";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var inTransit = new ClaimQuery(
            "payouts",
            "p",
            $"p.status = {WireName.Of(PayoutStatus.InTransit)} AND p.settles_at <= {now}",
            "p.settles_at"
        );
        var ids = await db.ClaimAsync(
            inTransit,
            now,
            now.AddSeconds(options.Value.LeaseSeconds),
            options.Value.BatchSize,
            ct
        );
        foreach (var id in ids)
        {
            await payouts.CheckSettlementAsync(id, ct);
        }

        return ids.Count;
    }
}
