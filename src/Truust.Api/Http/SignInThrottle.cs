using System.Net;
using System.Threading.RateLimiting;

namespace Truust.Api.Http;

/// <summary>
/// Counts failed dashboard sign-ins per client address in a one-minute window. Only failures count and the key is
/// checked before the count is, so a right key always signs in: someone guessing from the same address (a shared
/// office, a NAT) slows down the guessing, never the person who has the key.
/// </summary>
public sealed class SignInThrottle(int failuresPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = failuresPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }
        )
    );

    /// <summary>
    /// Counts a failed sign-in from <paramref name="address"/>. Null while the address is within its budget; past
    /// it, how long until it may fail again.
    /// </summary>
    public TimeSpan? RecordFailure(IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire(address?.ToString() ?? "unknown");
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _failures.Dispose();
}
