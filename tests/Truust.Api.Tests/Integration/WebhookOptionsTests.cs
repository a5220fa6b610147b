using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Webhooks;

namespace Truust.Api.Tests.Integration;

/// <summary>The retry schedule an instance uses: the built-in one, or exactly the configured one.</summary>
public sealed class WebhookOptionsTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public void Without_configuration_webhooks_retry_for_about_three_days()
    {
        var schedule = factory
            .Services.GetRequiredService<IOptions<WebhookOptions>>()
            .Value.EffectiveRetryScheduleSeconds;

        Assert.Equal(WebhookOptions.DefaultRetryScheduleSeconds, schedule);
        Assert.InRange(TimeSpan.FromSeconds(schedule.Sum()), TimeSpan.FromDays(2.5), TimeSpan.FromDays(3.5));
    }

    [Fact]
    public async Task A_configured_schedule_replaces_the_default_instead_of_extending_it()
    {
        var configured = new FastWebhooksApiFactory();
        await ((IAsyncLifetime)configured).InitializeAsync();
        try
        {
            var schedule = configured
                .Services.GetRequiredService<IOptions<WebhookOptions>>()
                .Value.EffectiveRetryScheduleSeconds;

            Assert.Equal(FastWebhooksApiFactory.RetryScheduleSeconds, schedule);
        }
        finally
        {
            await ((IAsyncLifetime)configured).DisposeAsync();
        }
    }

    [Fact]
    public void A_retry_waits_its_scheduled_time_lengthened_by_at_most_the_jitter_and_the_last_interval_past_the_end()
    {
        var options = new WebhookOptions { RetryScheduleSeconds = [10, 100], RetryJitter = 0.2 };

        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryDelay(1, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(11), options.RetryDelay(1, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(12), options.RetryDelay(1, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(100), options.RetryDelay(2, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(110), options.RetryDelay(9, random: 0.5));
    }
}
