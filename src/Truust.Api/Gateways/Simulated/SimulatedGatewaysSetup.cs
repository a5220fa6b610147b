using Truust.Api.Persistence;

namespace Truust.Api.Gateways.Simulated;

public static class SimulatedGatewaysSetup
{
    /// <summary>The simulated card processor and bank, standing in for real ones, with their own records.</summary>
    public static IServiceCollection AddSimulatedGateways(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        services.Configure<SimulatedBankOptions>(configuration.GetSection("Gateways:Bank"));
        services.AddDbContext<SimulatorDbContext>(
            (sp, options) =>
                SimulatorDbContext.UseDatabase(options, sp.GetRequiredService<DatabaseConnection>().Required)
        );
        services.AddSingleton(new MigratedContext(typeof(SimulatorDbContext)));
        services.AddSingleton<SimulatedCardGateway>();
        services.AddSingleton<ICardGateway>(sp => sp.GetRequiredService<SimulatedCardGateway>());
        services.AddSingleton<SimulatedBank>();
        services.AddSingleton<IBankGateway>(sp => sp.GetRequiredService<SimulatedBank>());
        return services;
    }
}
