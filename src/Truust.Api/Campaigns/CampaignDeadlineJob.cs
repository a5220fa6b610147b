using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

/// <summary>Settles campaigns whose deadline passed: release to the owner, or refund every contributor.</summary>
public sealed class CampaignDeadlineJob(
    TruustDbContext db,
    CampaignService campaigns,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "campaign-deadlines";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pastDeadline = new ClaimQuery(
            "campaigns",
            "c",
            $"""
            c.status IN ({WireName.Of(CampaignStatus.Open)}, {WireName.Of(CampaignStatus.Funded)})
            AND c.deadline <= {now}
            """,
            "c.deadline"
        );
        var ids = await db.ClaimAsync(
            pastDeadline,
            now,
            now.AddSeconds(options.Value.LeaseSeconds),
            options.Value.BatchSize,
            ct
        );
        foreach (var id in ids)
        {
            await campaigns.SettleDeadlineAsync(id, ct);
        }

        return ids.Count;
    }
}
