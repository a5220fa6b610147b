namespace Truust.Domain.Webhooks;

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
