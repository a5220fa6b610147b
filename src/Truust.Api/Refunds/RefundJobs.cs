using Truust.Api.Workers;

namespace Truust.Api.Refunds;

public static class RefundJobs
{
    /// <summary>The refund worker, woken when a refund is requested.</summary>
    public static IServiceCollection AddRefundJobs(this IServiceCollection services) =>
        services.AddJob<RefundJob>(signals => signals.Refunds);
}
