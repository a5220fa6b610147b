using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;

namespace Truust.Api.Http;

public sealed class RateLimitOptions
{
    /// <summary>Requests a key may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a key may make at once above the sustained rate.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Dashboard sign-in attempts per client address per minute.</summary>
    public int SignInsPerMinute { get; set; } = 30;
}

/// <summary>
/// A token bucket per API key (per client address without one) on /v1. Past it: 429 problem+json with
/// Retry-After. Keys are partitioned by a hash of the secret, so no secret is held in the limiter's memory.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddTruustRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (
                    HttpMethods.IsPost(context.Request.Method)
                    && context.Request.Path.StartsWithSegments("/dashboard/signin")
                )
                {
                    // Keys cannot be guessed (160 random bits), but a sign-in form should still not be hammered.
                    return RateLimitPartition.GetFixedWindowLimiter(
                        "signin:" + context.Connection.RemoteIpAddress,
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = settings.SignInsPerMinute,
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                        }
                    );
                }

                if (!context.Request.Path.StartsWithSegments("/v1"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var authorization = context.Request.Headers.Authorization.ToString();
                var partition =
                    authorization.Length > 0
                        ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)))[..32]
                        : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(
                    partition,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.Burst,
                        TokensPerPeriod = settings.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }
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
                    $"This key sent more than {settings.PermitsPerSecond} requests per second; retry after {retryAfter} s."
                );
            };
        });
        return services;
    }
}
