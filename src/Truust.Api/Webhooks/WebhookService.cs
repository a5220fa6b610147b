using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

/// <summary>Webhook endpoints, their deliveries, and the event feed.</summary>
public sealed class WebhookService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    TimeProvider clock,
    WorkerSignals signals,
    IOptions<WebhookOptions> options,
    IOptions<WorkerOptions> workerOptions
)
{
    public const int MaxEndpointsPerPlatform = 20;

    public async Task<WebhookEndpointResponse> CreateAsync(
        Caller caller,
        CreateWebhookEndpointRequest request,
        CancellationToken ct
    )
    {
        var platformId = caller.RequirePlatform();
        if (await db.WebhookEndpoints.CountAsync(w => w.PlatformId == platformId, ct) >= MaxEndpointsPerPlatform)
        {
            throw new BusinessRuleException(
                "too_many_endpoints",
                $"A platform has at most {MaxEndpointsPerPlatform} webhook endpoints."
            );
        }

        if (!options.Value.AllowPrivateNetworks && PrivateNetworkGuard.WhyRefused(new Uri(request.Url!)) is { } why)
        {
            throw new BusinessRuleException(
                "webhook_url_not_allowed",
                $"A webhook URL must be reachable on the public internet; {why}.",
                "url"
            );
        }

        var endpoint = new WebhookEndpoint(
            platformId,
            request.Url!,
            request.EventTypes!.Distinct().ToList(),
            clock.GetUtcNow()
        );
        db.WebhookEndpoints.Add(endpoint);
        await unitOfWork.SaveAsync(ct);
        return WebhookEndpointResponse.From(endpoint, withSecret: true);
    }

    public async Task<WebhookEndpoint> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(w => w.Id == id, ct);
        return endpoint is not null && caller.CanSee(endpoint.PlatformId)
            ? endpoint
            : throw new NotFoundException("webhook_endpoint", id);
    }

    public Task<Page<WebhookEndpointResponse>> ListAsync(Caller caller, PageQuery page, CancellationToken ct) =>
        Paging.PageAsync(
            db.WebhookEndpoints.Where(w => w.PlatformId == caller.RequirePlatform()),
            page,
            w => WebhookEndpointResponse.From(w),
            ct
        );

    public async Task DeleteAsync(Caller caller, string id, CancellationToken ct)
    {
        var endpoint = await FindAsync(caller, id, ct);
        await unitOfWork.RunAsync(
            async () =>
            {
                await db.WebhookAttempts.Where(a => a.EndpointId == endpoint.Id).ExecuteDeleteAsync(ct);
                await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id).ExecuteDeleteAsync(ct);
                db.WebhookEndpoints.Remove(endpoint);
                return;
            },
            ct
        );
    }

    /// <summary>
    /// Replaces the signing secret. The old one keeps signing next to the new one for the grace period (the request's,
    /// or the configured default), so deliveries verify while the platform deploys the new secret.
    /// </summary>
    public async Task<WebhookEndpointResponse> RollSecretAsync(
        Caller caller,
        string id,
        RollSecretRequest? request,
        CancellationToken ct
    )
    {
        var endpoint = await FindAsync(caller, id, ct);
        var grace = TimeSpan.FromSeconds(request?.GracePeriodSeconds ?? options.Value.SecretGracePeriodSeconds);
        endpoint.RollSecret(clock.GetUtcNow(), grace);
        await unitOfWork.SaveAsync(ct);
        return WebhookEndpointResponse.From(endpoint, withSecret: true);
    }

    /// <summary>
    /// Enables an endpoint again. The events it missed while disabled are still queued: they are delivered from now
    /// on, each object's in order, with a fresh retry schedule.
    /// </summary>
    public async Task<WebhookEndpointResponse> EnableAsync(Caller caller, string id, CancellationToken ct)
    {
        var endpoint = await FindAsync(caller, id, ct);
        var now = clock.GetUtcNow();
        endpoint.Enable(now);
        await unitOfWork.RunAsync(() => RestartAsync(endpoint.Id, WebhookDeliveryStatus.Pending, null, now, ct), ct);
        return WebhookEndpointResponse.From(endpoint);
    }

    /// <summary>
    /// Queues again every event given up for this endpoint (created at or after <paramref name="since"/>, if given):
    /// the bulk resend after a receiver's bug is fixed. Returns how many.
    /// </summary>
    public async Task<int> RetryFailedAsync(Caller caller, string id, DateTimeOffset? since, CancellationToken ct)
    {
        var endpoint = await FindAsync(caller, id, ct);
        return await unitOfWork.RunAsync(
            () => RestartAsync(endpoint.Id, WebhookDeliveryStatus.Failed, since, clock.GetUtcNow(), ct),
            ct
        );
    }

    /// <summary>Makes the endpoint's deliveries in <paramref name="status"/> pending with a fresh retry schedule, due
    /// now (or, for one that may be in flight, when its lease ends).</summary>
    private Task<int> RestartAsync(
        string endpointId,
        WebhookDeliveryStatus status,
        DateTimeOffset? since,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        unitOfWork.WakeAfterCommit(signals.Webhooks);
        var beyondLeases = now + WebhookDeliveryJob.Lease(options.Value, workerOptions.Value);
        return db
            .WebhookDeliveries.Where(d =>
                d.EndpointId == endpointId && d.Status == status && (since == null || d.CreatedAt >= since)
            )
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                        .SetProperty(
                            d => d.NextAttemptAt,
                            d =>
                                status == WebhookDeliveryStatus.Failed || d.NextAttemptAt > beyondLeases
                                    ? now
                                    : d.NextAttemptAt
                        )
                        .SetProperty(d => d.ConsecutiveFailures, 0)
                        .SetProperty(d => d.FailingSince, (DateTimeOffset?)null),
                ct
            );
    }

    public async Task<Page<WebhookDeliveryResponse>> DeliveriesAsync(
        Caller caller,
        string endpointId,
        PageQuery page,
        CancellationToken ct
    )
    {
        var endpoint = await FindAsync(caller, endpointId, ct);
        var deliveries = await Paging.PageAsync(
            db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id),
            page,
            d => d,
            ct
        );
        var ids = deliveries.Data.Select(d => d.Id).ToList();
        var eventIds = deliveries.Data.Select(d => d.EventId).ToList();
        var attempts = (
            await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)
        ).ToLookup(a => a.DeliveryId);
        var types = await db
            .Events.AsNoTracking()
            .Where(e => eventIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Type, ct);
        return new Page<WebhookDeliveryResponse>(
            deliveries
                .Data.Select(d => new WebhookDeliveryResponse(
                    d.Id,
                    d.EndpointId,
                    d.EventId,
                    types[d.EventId],
                    d.Status,
                    d.Attempts,
                    d.NextAttemptAt,
                    d.LastStatusCode,
                    d.LastError,
                    attempts[d.Id]
                        .OrderBy(a => a.Number)
                        .Select(a => new WebhookAttemptResponse(a.Number, a.StatusCode, a.Error, a.DurationMs, a.At))
                        .ToList(),
                    d.CreatedAt,
                    d.DeliveredAt
                ))
                .ToList(),
            deliveries.HasMore
        );
    }

    public async Task<Event> FindEventAsync(Caller caller, string id, CancellationToken ct)
    {
        var e = await db.Events.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return e is not null && caller.CanSee(e.PlatformId) ? e : throw new NotFoundException("event", id);
    }

    public Task<Page<EventResponse>> EventsAsync(Caller caller, EventListQuery query, CancellationToken ct)
    {
        var events = db.Events.Where(e => e.PlatformId == caller.RequirePlatform());
        if (query.Type is { } type)
        {
            events = events.Where(e => e.Type == type);
        }

        if (query.ObjectId is { } objectId)
        {
            events = events.Where(e => e.ObjectId == objectId);
        }

        return Paging.PageAsync(events, query, EventResponse.From, ct);
    }

    /// <summary>Sends an event again to every enabled endpoint that wants it (or to one endpoint).</summary>
    public async Task<int> ResendAsync(Caller caller, string eventId, string? endpointId, CancellationToken ct)
    {
        var e = await FindEventAsync(caller, eventId, ct);
        var endpoints = await db
            .WebhookEndpoints.AsNoTracking()
            .Where(w => w.PlatformId == e.PlatformId && (endpointId == null || w.Id == endpointId))
            .ToListAsync(ct);
        var targets = endpoints.Where(w => w.Wants(e.Type)).ToList();
        if (endpointId is not null && targets.Count == 0)
        {
            throw new NotFoundException("webhook_endpoint", endpointId);
        }

        foreach (var endpoint in targets)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery(endpoint.Id, e.Id, clock.GetUtcNow()));
        }

        await unitOfWork.SaveAsync(ct);
        return targets.Count;
    }
}
