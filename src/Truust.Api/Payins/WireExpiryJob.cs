using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>Expires bank-wire payins whose deadline passed with no matching wire.</summary>
public sealed class WireExpiryJob(
    TruustDbContext db,
    WireRail wires,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "wire-expiry";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expiredWires = new ClaimQuery(
            "payins",
            "p",
            $"""
            p.status = {WireName.Of(PayinStatus.Pending)} AND p.type = {WireName.Of(PayinType.Bankwire)}
            AND p.expires_at <= {now}
            """,
            "p.expires_at"
        );
        var ids = await db.ClaimAsync(
            expiredWires,
            now,
            now.AddSeconds(options.Value.LeaseSeconds),
            options.Value.BatchSize,
            ct
        );
        foreach (var id in ids)
        {
            await wires.ExpireAsync(id, ct);
        }

        return ids.Count;
    }
}
