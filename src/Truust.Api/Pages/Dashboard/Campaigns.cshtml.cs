
namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/campaigns</c>: crowdfunding and crowdlending campaigns with their progress.</summary>
public sealed class CampaignsModel(DashboardReads reads) : DashboardPageModel
{
    public DashboardPage<CampaignRow> Campaigns { get; private set; } = new([], null);

    public async Task OnGetAsync(string? after, CancellationToken ct)
    {
        ViewData["Title"] = "Campaigns";
        ViewData["Section"] = "campaigns";
        Campaigns = await reads.CampaignsAsync(Caller, after is { Length: <= 64 } ? after : null, ct);
    }
}
