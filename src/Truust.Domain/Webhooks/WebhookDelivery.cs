namespace Truust.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,

    /// <summary>
    /// Given up: the retry schedule ran out while the endpoint accepted other events meanwhile, so this event (not the
    /// endpoint) is what fails. It can be sent again by hand; the endpoint stays enabled and its other events flow.
    /// </summary>
    Failed,
}

/// <summary>One event on its way to one endpoint, retried with backoff until it lands or is given up.</summary>
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

    /// <summary>Every attempt ever made, for the delivery log.</summary>
    public int Attempts { get; private set; }

    /// <summary>Failed attempts since the last fresh start (creation, re-enable, retry by hand): the position in the
    /// retry schedule.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>When the first of <see cref="ConsecutiveFailures"/> happened.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

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

    /// <summary>Records a failed attempt at <paramref name="now"/>; <see cref="Retry"/> or <see cref="GiveUp"/>
    /// says what comes next.</summary>
    public void RecordFailure(int? statusCode, string error, DateTimeOffset now)
    {
        Attempts++;
        ConsecutiveFailures++;
        FailingSince ??= now;
        LastStatusCode = statusCode;
        LastError = error;
    }

    public void Retry(DateTimeOffset at) => NextAttemptAt = at;

    public void GiveUp() => Status = WebhookDeliveryStatus.Failed;
}
