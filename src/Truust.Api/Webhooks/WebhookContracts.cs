using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

public sealed class CreateWebhookEndpointRequest
{
    /// <example>https://platform.example.com/truust/webhooks</example>
    public string? Url { get; set; }

    /// <summary>Event types to receive, e.g. ["order.status_changed", "payin.confirmed"]; ["*"] for all.</summary>
    public List<string>? EventTypes { get; set; }
}

public sealed class CreateWebhookEndpointRequestValidator : AbstractValidator<CreateWebhookEndpointRequest>
{
    public CreateWebhookEndpointRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().ValidUrl();
        RuleFor(r => r.EventTypes)
            .NotEmpty()
            .Must(t => t is null || (t.Count <= 50 && t.All(e => e is { Length: > 0 and <= 100 })))
            .WithMessage("event_types takes 1 to 50 event types.");
    }
}

public sealed class RollSecretRequest
{
    /// <summary>How long the old secret keeps signing next to the new one, in seconds (0 to 604800; 0 ends it at
    /// once). Default: the configured <c>Webhooks:SecretGracePeriodSeconds</c>, 24 hours.</summary>
    /// <example>86400</example>
    public int? GracePeriodSeconds { get; set; }
}

public sealed class RollSecretRequestValidator : AbstractValidator<RollSecretRequest>
{
    public RollSecretRequestValidator() =>
        RuleFor(r => r.GracePeriodSeconds).InclusiveBetween(0, (int)WebhookOptions.MaxSecretGracePeriod.TotalSeconds);
}

/// <summary>
/// A webhook endpoint. <c>secret</c> is present only when created or rolled. <c>previous_secret_expires_at</c>: until
/// when the secret before the last roll still signs deliveries (each then carries two signatures).
/// <c>failing_since</c>: when the endpoint's current run of failed attempts began (null while it answers).
/// </summary>
public sealed record WebhookEndpointResponse(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    WebhookEndpointStatus Status,
    string? DisabledReason,
    string? Secret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_endpoint";

    public static WebhookEndpointResponse From(WebhookEndpoint w, bool withSecret = false) =>
        new(
            w.Id,
            w.Url,
            w.EventTypes,
            w.Status,
            w.DisabledReason,
            withSecret ? w.Secret : null,
            w.PreviousSecret is null ? null : w.PreviousSecretExpiresAt,
            w.FailingSince,
            w.CreatedAt
        );
}

public sealed record WebhookAttemptResponse(
    int Number,
    int? StatusCode,
    string? Error,
    long DurationMs,
    DateTimeOffset At
);

public sealed record WebhookDeliveryResponse(
    string Id,
    string EndpointId,
    string EventId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<WebhookAttemptResponse> AttemptLog,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "webhook_delivery";
}

public sealed class EventListQuery : PageQuery
{
    [FromQuery(Name = "type")]
    public string? Type { get; set; }

    [FromQuery(Name = "object_id")]
    public string? ObjectId { get; set; }
}

public sealed class EventListQueryValidator : AbstractValidator<EventListQuery>
{
    public EventListQueryValidator()
    {
        PageRules.Apply(this);
        RuleFor(q => q.Type).MaximumLength(100);
        RuleFor(q => q.ObjectId).MaximumLength(64);
    }
}

/// <summary>An event as delivered to webhooks and read from the feed. <c>data</c> is the object after the
/// change.</summary>
public sealed record EventResponse(
    string Id,
    string Type,
    string ObjectId,
    long Sequence,
    System.Text.Json.JsonElement Data,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "event";

    public static EventResponse From(Event e) =>
        new(
            e.Id,
            e.Type,
            e.ObjectId,
            e.Sequence,
            System.Text.Json.JsonDocument.Parse(e.Data).RootElement.Clone(),
            e.CreatedAt
        );
}

/// <summary>What POST /v1/webhook_endpoints/{id}/retry_failed queued again.</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Deliveries">How many given-up deliveries are queued again.</param>
public sealed record RetryFailedResponse(string EndpointId, int Deliveries)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "retry_failed";
}
