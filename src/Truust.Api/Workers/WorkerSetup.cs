namespace Truust.Api.Workers;

public static class WorkerSetup
{
    /// <summary>What every job shares: the worker options and the signals requests wake workers with.</summary>
    public static IServiceCollection AddWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection("Workers"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WorkerSignals>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TJob"/> (scoped, so tests can run one round by hand) and the runner that loops
    /// it; <paramref name="wakeUp"/> names the signal that wakes it before its next poll, if any.
    /// </summary>
    public static IServiceCollection AddJob<TJob>(
        this IServiceCollection services,
        Func<WorkerSignals, WorkerSignal>? wakeUp = null
    )
        where TJob : class, IWorkerJob
    {
        services.AddScoped<TJob>();
        if (wakeUp is null)
        {
            services.AddHostedService<JobRunner<TJob>>();
        }
        else
        {
            services.AddHostedService(sp =>
                ActivatorUtilities.CreateInstance<JobRunner<TJob>>(sp, wakeUp(sp.GetRequiredService<WorkerSignals>()))
            );
        }

        return services;
    }
}
