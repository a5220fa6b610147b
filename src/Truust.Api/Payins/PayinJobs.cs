using Truust.Api.Workers;

namespace Truust.Api.Payins;

public static class PayinJobs
{
    /// <summary>The workers that expire unanswered bank-wire payins and recover card payins left PROCESSING.</summary>
    public static IServiceCollection AddPayinJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CardRailOptions>(configuration.GetSection("Payins:Card"));
        return services.AddJob<WireExpiryJob>(signals => signals.WireExpiry).AddJob<CardRecoveryJob>();
    }
}
