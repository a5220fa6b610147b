using Truust.Api.Campaigns;
using Truust.Api.Customers;
using Truust.Api.Http;

namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/campaigns/{id}</c>: a campaign's progress, its public page, and its contributions.</summary>
public sealed class CampaignModel(
    CampaignService campaigns,
    ContributionService contributions,
    CustomerService customers
) : DashboardPageModel
{
    public CampaignResponse Campaign { get; private set; } = null!;

    public string OwnerName { get; private set; } = string.Empty;

    public Page<ContributionResponse> Contributions { get; private set; } = new([], false);

    public async Task OnGetAsync(string id, string? after, CancellationToken ct)
    {
        Campaign = campaigns.ToResponse(await campaigns.FindAsync(Caller, id, ct));
        OwnerName = (await customers.FindAsync(Caller, Campaign.OwnerId, ct)).Name;
        Contributions = await contributions.ContributionsAsync(
            Caller,
            id,
            new PageQuery
            {
                Limit = PageQuery.MaxLimit,
                StartingAfter = after is { Length: > 0 and <= 64 } ? after : null,
            },
            ct
        );
        ViewData["Title"] = Campaign.Name;
        ViewData["Section"] = "campaigns";
    }
}
