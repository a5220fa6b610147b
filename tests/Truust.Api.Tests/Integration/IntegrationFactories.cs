using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Workers;

namespace Truust.Api.Tests.Integration;

/// <summary>
/// Workers poll every 50 ms and webhooks retry after seconds of the test clock (<see cref="RetryScheduleSeconds"/>,
/// without jitter), an endpoint failing for <see cref="DisableAfterSeconds"/> is disabled, so a delivery, a failure,
/// its retries and a disabled endpoint are all observable within a test. Tests move the clock by seconds only: the
/// reference library the receiver verifies with refuses a timestamp five minutes away from the real time.
/// </summary>
public class FastWebhooksApiFactory : TruustApiFactory
{
    public static readonly int[] RetryScheduleSeconds = [2, 4];

    public const int DisableAfterSeconds = 30;

    /// <summary>Polling interval of the workers, in milliseconds.</summary>
    protected virtual int PollMilliseconds => 50;

    /// <summary>Wakes the webhook worker now (as a commit does), for a retry the test clock made due.</summary>
    public void WakeWebhooks() => Services.GetRequiredService<WorkerSignals>().Webhooks.Wake();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:PollMilliseconds", PollMilliseconds.ToString());
        builder.UseSetting("Webhooks:RetryJitter", "0");
        builder.UseSetting("Webhooks:DisableAfterSeconds", DisableAfterSeconds.ToString());
        // The receiver listens on loopback, which webhooks may reach only with this development setting.
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        for (var i = 0; i < RetryScheduleSeconds.Length; i++)
        {
            builder.UseSetting($"Webhooks:RetryScheduleSeconds:{i}", RetryScheduleSeconds[i].ToString());
        }
    }
}

/// <summary>
/// Like <see cref="FastWebhooksApiFactory"/>, but the workers never poll within a test: only a commit or
/// <see cref="FastWebhooksApiFactory.WakeWebhooks"/> starts a round, so a test sees what a single round does.
/// </summary>
public sealed class WakeOnlyWebhooksApiFactory : FastWebhooksApiFactory
{
    protected override int PollMilliseconds => 600_000;
}

/// <summary>An instance that runs no background work: what it commits waits in the outbox.</summary>
public sealed class NoWorkersApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:Enabled", "false");
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
    }
}

/// <summary>
/// A second instance on a database that another factory created and populated (the service restarted), with
/// workers running. Its own <see cref="TruustApiFactory.ConnectionString"/> is unused: query <c>connectionString</c>.
/// </summary>
public sealed class SameDatabaseApiFactory(string connectionString) : FastWebhooksApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Truust", connectionString);
    }
}

/// <summary>One request per second per key, with a burst of three.</summary>
public sealed class RateLimitedApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:PermitsPerSecond", "1");
        builder.UseSetting("RateLimits:Burst", "3");
        builder.UseSetting("RateLimits:SignInsPerMinute", "2");
    }
}
