using Microsoft.AspNetCore.Hosting;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Integration;

/// <summary>
/// Workers poll every 50 ms and webhooks retry after seconds of the test clock (<see cref="RetryScheduleSeconds"/>),
/// so a delivery, a failure and its retry are all observable within a test.
/// </summary>
public class FastWebhooksApiFactory : TruustApiFactory
{
    public static readonly int[] RetryScheduleSeconds = [2, 4];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:PollMilliseconds", "50");
        // The receiver listens on loopback, which webhooks may reach only with this development setting.
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        for (var i = 0; i < RetryScheduleSeconds.Length; i++)
        {
            builder.UseSetting($"Webhooks:RetryScheduleSeconds:{i}", RetryScheduleSeconds[i].ToString());
        }
    }
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
