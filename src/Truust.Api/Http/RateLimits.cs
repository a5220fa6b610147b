using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Truust.Api.Http;

public sealed class RateLimitOptions
{
    /// <summary>Requests a key may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a key may make at once above the sustained rate.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Requests per second, sustained, from one client address that fail authentication.</summary>
    public int UnauthenticatedPermitsPerSecond { get; set; } = 5;

    /// <summary>Requests at once from one client address that fail authentication.</summary>
    public int UnauthenticatedBurst { get; set; } = 20;

    /// <summary>Failed dashboard sign-ins per client address per minute.</summary>
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>
    /// How many instances serve the API behind one load balancer. Every limit above is the total for the whole
    /// deployment; each instance enforces its share (the limit divided by this, at least 1), so a key spread over N
    /// instances by a round-robin balancer gets the configured total and no more. Set it with the replica count.
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>This instance's share of a deployment-wide <paramref name="limit"/>.</summary>
    public int Share(int limit) => Math.Max(1, limit / Math.Max(1, Instances));
}

/// <summary>
/// A token bucket per authenticated API key on /v1, keyed by the key's id, so every spelling of the Authorization
/// header that authenticates as one key shares its bucket. Requests that fail authentication (no key, a wrong or
/// revoked one) share a smaller bucket per client address, so guessing keys is slow whatever keys are tried. Past a
/// bucket: 429 problem+json with Retry-After. Runs after authentication, which puts the key id in the principal.
/// Buckets live in each process: with several instances each takes its share (<see cref="RateLimitOptions.Instances"/>)
/// rather than a shared counter, which would put a database or Redis round trip in front of every request.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddTruustRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(new SignInThrottle(settings.Share(settings.SignInsPerMinute)));
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/v1"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return context.User.FindFirstValue(Caller.KeyIdClaim) is { } keyId
                    ? TokenBucket(
                        "key:" + keyId,
                        settings.Share(settings.Burst),
                        settings.Share(settings.PermitsPerSecond)
                    )
                    : TokenBucket(
                        "unauthenticated:" + context.Connection.RemoteIpAddress,
                        settings.Share(settings.UnauthenticatedBurst),
                        settings.Share(settings.UnauthenticatedPermitsPerSecond)
                    );
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(
                    context.HttpContext,
                    429,
                    "rate_limited",
                    "Too many requests",
                    context.HttpContext.User.FindFirstValue(Caller.KeyIdClaim) is null
                        ? "Too many requests without a valid key from this address; "
                            + $"retry after {retryAfter} s with 'Authorization: Bearer <secret key>'."
                        : $"This key sent more than {settings.PermitsPerSecond} requests per second; "
                            + $"retry after {retryAfter} s."
                );
            };
        });
        return services;
    }

    private static RateLimitPartition<string> TokenBucket(string partition, int burst, int perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(
            partition,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }
        );
}
