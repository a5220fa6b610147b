using System.Security.Cryptography;

namespace Truust.Domain.Webhooks;

public enum WebhookEndpointStatus
{
    Enabled,
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

    public WebhookEndpointStatus Status { get; private set; }

    public string? DisabledReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Wants(string eventType) =>
        Status == WebhookEndpointStatus.Enabled && (EventTypes.Contains("*") || EventTypes.Contains(eventType));

    public string RollSecret(DateTimeOffset now)
    {
        Secret = NewSecret();
        UpdatedAt = now;
        return Secret;
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        Status = WebhookEndpointStatus.Disabled;
        DisabledReason = reason;
        UpdatedAt = now;
    }

    public void Enable(DateTimeOffset now)
    {
        Status = WebhookEndpointStatus.Enabled;
        DisabledReason = null;
        UpdatedAt = now;
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
