using Truust.Api.Workers;

namespace Truust.Api.Payins;

public static class PayinJobs
{
    /// <summary>The worker that expires unanswered bank-wire payins.</summary>
    public static IServiceCollection AddPayinJobs(this IServiceCollection services) => services.AddJob<WireExpiryJob>();
}
