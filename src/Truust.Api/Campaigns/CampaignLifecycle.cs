using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

/// <summary>
/// The one apply path of campaigns, as <c>OrderService.Apply</c> is for orders: fires a trigger through the
/// campaign's transition table and, in the same unit of work, appends the status history row and the
/// <c>campaign.status_changed</c> event. Nothing else changes a campaign's status, so no change goes unrecorded.
/// </summary>
public sealed class CampaignLifecycle(TruustDbContext db, EventOutbox events, PlatformClock clock)
{
    /// <summary>The actor a request acts as: the operator key, or the platform (for its owner or borrower).</summary>
    public static CampaignActor ActorOf(Caller caller) =>
        caller.IsOperator ? CampaignActor.Operator : CampaignActor.Platform;

    /// <summary>Fires <paramref name="trigger"/> (refused by the table, changing nothing, when it may not) and
    /// records it.</summary>
    public CampaignStatusChange Apply(
        Campaign campaign,
        CampaignTrigger trigger,
        CampaignActor actor,
        string? reason = null
    )
    {
        var change = campaign.Apply(trigger, actor, clock.Now(campaign.PlatformId), reason);
        db.CampaignStatusChanges.Add(change);
        events.Add(
            campaign.PlatformId,
            "campaign.status_changed",
            campaign.Id,
            new CampaignStatusChangedEventData(
                campaign.Id,
                campaign.Status,
                change.From,
                campaign.RaisedMinor,
                campaign.TargetMinor,
                campaign.Currency
            )
        );
        return change;
    }

    /// <summary>The campaign's status history, oldest first.</summary>
    public async Task<IReadOnlyList<CampaignStatusChangeResponse>> HistoryAsync(
        Caller caller,
        string id,
        CancellationToken ct
    )
    {
        var campaign = await db.FindCampaignAsync(caller, id, ct);
        var changes = await db
            .CampaignStatusChanges.AsNoTracking()
            .Where(c => c.CampaignId == campaign.Id)
            .OrderBy(c => c.At)
            .ThenBy(c => c.Id)
            .ToListAsync(ct);
        return changes.Select(CampaignStatusChangeResponse.Of).ToList();
    }
}
