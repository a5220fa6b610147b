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
        var campaign = await db.LockCampaignOrNullAsync(id, ct);
        return campaign is not null && caller.CanSee(campaign.PlatformId)
            ? campaign
            : throw new NotFoundException("campaign", id);
    }

    /// <summary>Locks the campaign for Truust's own work (the deadline worker, a payin's outcome): no caller to
    /// check.</summary>
    public static async Task<Campaign> LockCampaignAsync(this TruustDbContext db, string id, CancellationToken ct) =>
        await db.LockCampaignOrNullAsync(id, ct) ?? throw new NotFoundException("campaign", id);

    private static async Task<Campaign?> LockCampaignOrNullAsync(
        this TruustDbContext db,
        string id,
        CancellationToken ct
    ) => await Locks.Campaign(db, id).SingleOrDefaultAsync(ct);
}
