using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Workers;

namespace Truust.Api.Webhooks;

public static class WebhookJobs
{
    /// <summary>The delivery worker (woken when an event is written), its options and its HTTP client.</summary>
    public static IServiceCollection AddWebhookJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection("Webhooks"))
            .ValidateDataAnnotations()
            .Validate(
                o => o.RetryScheduleSeconds.All(s => s > 0),
                "Webhooks:RetryScheduleSeconds: every wait must be at least 1 second."
            )
            .ValidateOnStart();
        services.AddScoped<WebhookSender>();
        services.AddSingleton<HostResolver>();
        // No redirects and no proxy: either would let the request go somewhere the connect callback never saw, and
        // a signed event goes to the URL the platform registered and nowhere else.
        services
            .AddHttpClient(WebhookDeliveryJob.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = PrivateNetworkGuard.ConnectCallback(
                    sp.GetRequiredService<HostResolver>(),
                    sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks
                ),
            });
        return services.AddJob<WebhookDeliveryJob>(signals => signals.Webhooks);
    }
}
