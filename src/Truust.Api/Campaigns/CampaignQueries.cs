using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

/// <summary>
/// Loading a campaign the caller may see, read-only or locked. The campaign, contribution and loan services all
/// serialise on the campaign row, so the lock is written here once.
/// </summary>
internal static class CampaignQueries
{
    public static async Task<Campaign> FindCampaignAsync(
        this TruustDbContext db,
        Caller caller,
        string id,
        CancellationToken ct
    )
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return campaign is not null && caller.CanSee(campaign.PlatformId)
            ? campaign
            : throw new NotFoundException("campaign", id);
    }

    public static async Task<Campaign> LockCampaignAsync(
        this TruustDbContext db,
        Caller caller,
        string id,
        CancellationToken ct
    )
    {
        var campaign = await db
            .Campaigns.FromSqlInterpolated($"SELECT * FROM campaigns WHERE id = {id} FOR UPDATE")
            .SingleOrDefaultAsync(ct);
        return campaign is not null && caller.CanSee(campaign.PlatformId)
            ? campaign
            : throw new NotFoundException("campaign", id);
    }
}
