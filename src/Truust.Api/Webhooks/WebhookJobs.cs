using Truust.Api.Workers;

namespace Truust.Api.Webhooks;

public static class WebhookJobs
{
    /// <summary>The delivery worker (woken when an event is written), its options and its HTTP client.</summary>
    public static IServiceCollection AddWebhookJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection("Webhooks"));
        // Redirects are not followed: a signed event goes to the URL the platform registered and nowhere else.
        services
            .AddHttpClient(WebhookDeliveryJob.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services.AddJob<WebhookDeliveryJob>(signals => signals.Webhooks);
    }
}
