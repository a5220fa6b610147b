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
) : LeasedJob(db, clock, options)
{
    public override string Name => "campaign-deadlines";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new ClaimQuery(
            "campaigns",
            "c",
            $"""
            c.status IN ({WireName.Of(CampaignStatus.Open)}, {WireName.Of(CampaignStatus.Funded)})
            AND c.deadline <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "c.deadline"
        )
        {
            Joins = PlatformClockSql.Join("c.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => campaigns.SettleDeadlineAsync(id, ct);
}
