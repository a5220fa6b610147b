using System.Security.Cryptography;
using Truust.Domain;

namespace Truust.Api.Webhooks;

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

public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,

    /// <summary>Gave up after the retry schedule ran out (the endpoint is disabled then).</summary>
    Failed,
}

/// <summary>One event on its way to one endpoint, retried with backoff until it lands or the schedule runs
/// out.</summary>
public sealed class WebhookDelivery : IHasId
{
    private WebhookDelivery()
    {
        Id = EndpointId = EventId = string.Empty;
    }

    public WebhookDelivery(string endpointId, string eventId, DateTimeOffset now)
    {
        Id = Ids.New("whd");
        EndpointId = endpointId;
        EventId = eventId;
        Status = WebhookDeliveryStatus.Pending;
        NextAttemptAt = CreatedAt = now;
    }

    public string Id { get; private set; }

    public string EndpointId { get; private set; }

    public string EventId { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int? LastStatusCode { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public void RecordSuccess(int statusCode, DateTimeOffset now)
    {
        Attempts++;
        Status = WebhookDeliveryStatus.Succeeded;
        LastStatusCode = statusCode;
        LastError = null;
        DeliveredAt = now;
    }

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or given up when it is null.</summary>
    public void RecordFailure(int? statusCode, string error, DateTimeOffset? retryAt)
    {
        Attempts++;
        LastStatusCode = statusCode;
        LastError = error;
        if (retryAt is { } at)
        {
            NextAttemptAt = at;
        }
        else
        {
            Status = WebhookDeliveryStatus.Failed;
        }
    }

    public void Abandon(string reason)
    {
        Status = WebhookDeliveryStatus.Failed;
        LastError = reason;
    }
}

/// <summary>One HTTP attempt of a delivery, kept so a platform can see exactly what its endpoint answered.</summary>
public sealed class WebhookAttempt
{
    public required string Id { get; init; }

    public required string DeliveryId { get; init; }

    public required string EndpointId { get; init; }

    public required string EventId { get; init; }

    public required int Number { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public required long DurationMs { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>The Standard Webhooks signature: HMAC-SHA256 over "{id}.{timestamp}.{body}", base64, prefixed v1.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(
            secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret
        );
        var mac = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>Checks a <c>webhook-signature</c> header (which may carry several space-separated
    /// signatures).</summary>
    public static bool Verify(string secret, string id, long timestamp, string body, string header)
    {
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(secret, id, timestamp, body));
        return header
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(s), expected));
    }
}
