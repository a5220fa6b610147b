using Truust.Api.Workers;

namespace Truust.Api.Payouts;

public static class PayoutJobs
{
    /// <summary>The release worker (woken when an order is validated) and the settlement follower.</summary>
    public static IServiceCollection AddPayoutJobs(this IServiceCollection services) =>
        services.AddJob<ReleaseJob>(signals => signals.Release).AddJob<SettlementJob>(signals => signals.Settlement);
}
