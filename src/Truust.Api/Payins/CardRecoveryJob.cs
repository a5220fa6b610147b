using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// Resolves card payins left PROCESSING past their lease (the request that charged the card died, or the processor
/// never answered it) by asking the processor what happened to that charge, and records the outcome exactly once.
/// </summary>
public sealed class CardRecoveryJob(
    TruustDbContext db,
    CardRail cards,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "card-recovery";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stuck = new ClaimQuery(
            "payins",
            "p",
            $"p.status = {WireName.Of(PayinStatus.Processing)} AND p.type = {WireName.Of(PayinType.Addon)}",
            "p.next_attempt_at"
        );
        var ids = await db.ClaimAsync(
            stuck,
            now,
            now.AddSeconds(options.Value.LeaseSeconds),
            options.Value.BatchSize,
            ct
        );
        foreach (var id in ids)
        {
            await cards.ResolveAsync(id, ct);
        }

        return ids.Count;
    }
}
