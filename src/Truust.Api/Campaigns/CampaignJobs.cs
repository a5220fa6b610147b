using Truust.Api.Workers;

namespace Truust.Api.Campaigns;

public static class CampaignJobs
{
    /// <summary>The worker that settles campaigns at their deadline.</summary>
    public static IServiceCollection AddCampaignJobs(this IServiceCollection services) =>
        services.AddJob<CampaignDeadlineJob>(signals => signals.CampaignDeadlines);
}
