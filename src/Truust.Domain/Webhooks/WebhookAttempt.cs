namespace Truust.Domain.Webhooks;

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
