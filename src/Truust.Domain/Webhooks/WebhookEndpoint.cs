using System.Security.Cryptography;

namespace Truust.Domain.Webhooks;

public enum WebhookEndpointStatus
{
    Enabled,

    /// <summary>Not called until enabled again; its events are still queued and wait for it.</summary>
    Disabled,
}

/// <summary>A platform's URL that receives signed events.</summary>
public sealed class WebhookEndpoint : IHasId
{
    private WebhookEndpoint()
    {
        Id = PlatformId = Url = Secret = string.Empty;
        EventTypes = [];
    }

    public WebhookEndpoint(string platformId, string url, List<string> eventTypes, DateTimeOffset now)
    {
        Id = Ids.New("we");
        PlatformId = platformId;
        Url = url;
        EventTypes = eventTypes;
        Secret = NewSecret();
        Status = WebhookEndpointStatus.Enabled;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Url { get; private set; }

    /// <summary>Event types delivered here; <c>*</c> means all.</summary>
    public List<string> EventTypes { get; private set; }

    /// <summary>The signing secret (<c>whsec_</c> + base64 key), as Standard Webhooks defines it.</summary>
    public string Secret { get; private set; }

    /// <summary>
    /// The secret before the last roll, still signing (next to <see cref="Secret"/>) until
    /// <see cref="PreviousSecretExpiresAt"/>: a platform rolls the secret first and deploys the new one after,
    /// and no delivery in between fails its check.
    /// </summary>
    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public WebhookEndpointStatus Status { get; private set; }

    public string? DisabledReason { get; private set; }

    /// <summary>
    /// When the endpoint's current run of failed attempts began (null after any success). It is disabled only when
    /// this run has lasted the whole retry window: one event it cannot take never disables it.
    /// </summary>
    public DateTimeOffset? FailingSince { get; private set; }

    /// <summary>Until when the endpoint asked not to be called (429 with Retry-After): no delivery is sent
    /// before.</summary>
    public DateTimeOffset? ThrottledUntil { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Whether events of <paramref name="eventType"/> are queued for this endpoint (also while it is
    /// disabled: they are delivered once it is enabled again).</summary>
    public bool Wants(string eventType) => EventTypes.Contains("*") || EventTypes.Contains(eventType);

    /// <summary>The secrets a delivery at <paramref name="now"/> is signed with: the current one first.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];

    /// <summary>Replaces the secret; the old one keeps signing for <paramref name="gracePeriod"/> (none when
    /// zero).</summary>
    public string RollSecret(DateTimeOffset now, TimeSpan gracePeriod)
    {
        if (gracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(gracePeriod), "A grace period is never negative.");
        }

        var keepOld = gracePeriod > TimeSpan.Zero;
        PreviousSecret = keepOld ? Secret : null;
        PreviousSecretExpiresAt = keepOld ? now + gracePeriod : null;
        Secret = NewSecret();
        UpdatedAt = now;
        return Secret;
    }

    /// <summary>Records a failed attempt; returns when the endpoint's current run of failures began.</summary>
    public DateTimeOffset RecordFailure(DateTimeOffset now)
    {
        FailingSince ??= now;
        return FailingSince.Value;
    }

    /// <summary>Records a successful attempt; returns whether the endpoint was failing until now (it has
    /// recovered).</summary>
    public bool RecordSuccess()
    {
        var recovered = FailingSince is not null;
        FailingSince = null;
        return recovered;
    }

    /// <summary>Holds every delivery to this endpoint until <paramref name="until"/> (it asked to be called less
    /// often).</summary>
    public void Throttle(DateTimeOffset until)
    {
        if (ThrottledUntil is null || until > ThrottledUntil)
        {
            ThrottledUntil = until;
        }
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        Status = WebhookEndpointStatus.Disabled;
        DisabledReason = reason;
        UpdatedAt = now;
    }

    /// <summary>Enables the endpoint again with a clean record: its queued events are delivered from now.</summary>
    public void Enable(DateTimeOffset now)
    {
        Status = WebhookEndpointStatus.Enabled;
        DisabledReason = null;
        FailingSince = null;
        ThrottledUntil = null;
        UpdatedAt = now;
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
