using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Truust.Api.Http;

namespace Truust.Api.Webhooks;

/// <summary>Where Truust sends signed events (Standard Webhooks: webhook-id, webhook-timestamp,
/// webhook-signature).</summary>
[Route("v1/webhook_endpoints")]
public sealed class WebhooksController(WebhookService webhooks) : ApiControllerBase
{
    /// <summary>Registers an endpoint. The signing secret is in this response only (roll it to get a new
    /// one).</summary>
    [HttpPost]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateWebhookEndpointRequest request, CancellationToken ct) =>
        StatusCode(201, await webhooks.CreateAsync(Caller, request, ct));

    /// <summary>Lists the platform's endpoints.</summary>
    [HttpGet]
    public Task<Page<WebhookEndpointResponse>> List([FromQuery] PageQuery page, CancellationToken ct) =>
        webhooks.ListAsync(Caller, page, ct);

    /// <summary>Gets an endpoint (without its secret).</summary>
    [HttpGet("{id}")]
    public async Task<WebhookEndpointResponse> Get(string id, CancellationToken ct) =>
        WebhookEndpointResponse.From(await webhooks.FindAsync(Caller, id, ct));

    /// <summary>Deletes an endpoint and its delivery log.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(string id, CancellationToken ct)
    {
        await webhooks.DeleteAsync(Caller, id, ct);
        return NoContent();
    }

    /// <summary>Replaces the signing secret; the new one is shown once, in this response. The old one keeps
    /// signing, next to it in <c>webhook-signature</c>, for the grace period.</summary>
    [HttpPost("{id}/roll_secret")]
    public Task<WebhookEndpointResponse> RollSecret(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RollSecretRequest? request,
        CancellationToken ct
    ) => webhooks.RollSecretAsync(Caller, id, request, ct);

    /// <summary>Re-enables an endpoint that was disabled (it failed for the whole retry window, or answered 410).
    /// The events queued meanwhile are delivered, each object's in order.</summary>
    [HttpPost("{id}/enable")]
    public Task<WebhookEndpointResponse> Enable(string id, CancellationToken ct) =>
        webhooks.EnableAsync(Caller, id, ct);

    /// <summary>Queues again every event given up for this endpoint (those created at or after
    /// <c>since</c>, if given): a bulk resend once the receiver is fixed.</summary>
    [HttpPost("{id}/retry_failed")]
    public async Task<RetryFailedResponse> RetryFailed(
        string id,
        [FromQuery(Name = "since")] DateTimeOffset? since,
        CancellationToken ct
    ) => new(id, await webhooks.RetryFailedAsync(Caller, id, since, ct));

    /// <summary>The endpoint's deliveries, newest first, each with every attempt and what the endpoint
    /// answered.</summary>
    [HttpGet("{id}/deliveries")]
    public Task<Page<WebhookDeliveryResponse>> Deliveries(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => webhooks.DeliveriesAsync(Caller, id, page, ct);
}

/// <summary>The event feed: everything webhooks deliver, readable to catch up on what was missed.</summary>
[Route("v1/events")]
public sealed class EventsController(WebhookService webhooks) : ApiControllerBase
{
    /// <summary>Lists events, newest first, optionally of one type or one object.</summary>
    [HttpGet]
    public Task<Page<EventResponse>> List([FromQuery] EventListQuery query, CancellationToken ct) =>
        webhooks.EventsAsync(Caller, query, ct);

    /// <summary>Gets an event.</summary>
    [HttpGet("{id}")]
    public async Task<EventResponse> Get(string id, CancellationToken ct) =>
        EventResponse.From(await webhooks.FindEventAsync(Caller, id, ct));

    /// <summary>Sends the event again to every endpoint that wants it, or only to endpoint_id.</summary>
    [HttpPost("{id}/resend")]
    public async Task<ResendResponse> Resend(
        string id,
        [FromQuery(Name = "endpoint_id")] string? endpointId,
        CancellationToken ct
    ) => new(id, await webhooks.ResendAsync(Caller, id, endpointId, ct));
}

/// <summary>What a resend queued: one delivery per endpoint that wants the event.</summary>
public sealed record ResendResponse(string EventId, int Deliveries)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "resend";
}
