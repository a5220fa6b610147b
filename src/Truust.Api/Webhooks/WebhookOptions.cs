using System.ComponentModel.DataAnnotations;

namespace Truust.Api.Webhooks;

/// <summary>How webhooks are delivered (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The schedule used when none is configured: it adds up to about three days.</summary>
    public static readonly int[] DefaultRetryScheduleSeconds =
    [
        5,
        300,
        1800,
        7200,
        18000,
        36000,
        36000,
        36000,
        36000,
        36000,
        36000,
        36000,
    ];

    /// <summary>The longest grace period a rolled secret may keep signing.</summary>
    public static readonly TimeSpan MaxSecretGracePeriod = TimeSpan.FromDays(7);

    /// <summary>
    /// Seconds to wait after each failed attempt of one event (then the last one, again and again, while the endpoint
    /// is down). Empty means <see cref="DefaultRetryScheduleSeconds"/>: the configuration binder appends configured
    /// items to an array that already has some, so a default here would be prefixed to every configured schedule.
    /// </summary>
    public int[] RetryScheduleSeconds { get; set; } = [];

    public IReadOnlyList<int> EffectiveRetryScheduleSeconds =>
        RetryScheduleSeconds.Length > 0 ? RetryScheduleSeconds : DefaultRetryScheduleSeconds;

    /// <summary>Each wait is lengthened by a random part of up to this fraction, so that the retries of many events
    /// that failed together (an outage) do not all come back at the same second.</summary>
    [Range(0.0, 1.0)]
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>
    /// How long an endpoint must fail without a single success before it is disabled (three days by default). Its
    /// undelivered events are kept and delivered once it is enabled again.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int DisableAfterSeconds { get; set; } = 3 * 24 * 3600;

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is cut to this.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRetryAfterSeconds { get; set; } = 24 * 3600;

    /// <summary>Objects whose events are delivered at the same time (an object's own events go one after another,
    /// in order).</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// At shutdown, how long a delivery already sent may still wait for its answer before it is released for the next
    /// instance (at once, not after its lease). Keep it below the host's shutdown timeout (30 s).
    /// </summary>
    [Range(0, 300)]
    public int ShutdownGraceSeconds { get; set; } = 5;

    /// <summary>How long the old secret keeps signing after a roll when the request names no grace period.</summary>
    [Range(0, 7 * 24 * 3600)]
    public int SecretGracePeriodSeconds { get; set; } = 24 * 3600;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Lets webhooks reach loopback, private and link-local addresses: for local development only (a receiver on
    /// localhost). Off, a platform cannot make Truust send requests into its own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row, with its random part
    /// (<paramref name="random"/> in [0, 1)).</summary>
    public TimeSpan RetryDelay(int failures, double random)
    {
        var schedule = EffectiveRetryScheduleSeconds;
        var seconds = schedule[Math.Clamp(failures - 1, 0, schedule.Count - 1)];
        return TimeSpan.FromSeconds(seconds * (1 + RetryJitter * random));
    }
}
