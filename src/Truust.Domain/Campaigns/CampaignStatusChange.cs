namespace Truust.Domain.Campaigns;

/// <summary>One row of a campaign's append-only status history, written by the one apply path.</summary>
public sealed class CampaignStatusChange : IHasId
{
    private CampaignStatusChange()
    {
        Id = CampaignId = string.Empty;
    }

    public CampaignStatusChange(
        string campaignId,
        CampaignStatus from,
        CampaignStatus to,
        CampaignTrigger trigger,
        CampaignActor actor,
        string? reason,
        DateTimeOffset at
    )
    {
        Id = Ids.New("csc");
        CampaignId = campaignId;
        From = from;
        To = to;
        Trigger = trigger;
        Actor = actor;
        Reason = reason;
        At = at;
    }

    public string Id { get; private set; }

    public string CampaignId { get; private set; }

    public CampaignStatus From { get; private set; }

    public CampaignStatus To { get; private set; }

    public CampaignTrigger Trigger { get; private set; }

    public CampaignActor Actor { get; private set; }

    public string? Reason { get; private set; }

    public DateTimeOffset At { get; private set; }
}
