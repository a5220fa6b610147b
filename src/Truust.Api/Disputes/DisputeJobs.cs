using Truust.Api.Orders;
using Truust.Api.Workers;

namespace Truust.Api.Disputes;

public static class DisputeJobs
{
    /// <summary>The service, the inspection jobs (validate an order or a milestone at its window's end) and the
    /// dispute deadline job.</summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services) =>
        services
            .AddScoped<DisputeService>()
            .AddScoped<DisputeSettlement>()
            .AddJob<InspectionJob>(signals => signals.Inspections)
            .AddJob<MilestoneInspectionJob>(signals => signals.MilestoneInspections)
            .AddJob<DisputeDeadlineJob>(signals => signals.DisputeDeadlines);
}
