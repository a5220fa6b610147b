using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

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

    /// <summary>
    /// Seconds to wait after each failed attempt; when they run out the delivery fails and the endpoint is
    /// disabled. Empty means <see cref="DefaultRetryScheduleSeconds"/>: the configuration binder appends configured
    /// items to an array that already has some, so a default here would be prefixed to every configured schedule.
    /// </summary>
    public int[] RetryScheduleSeconds { get; set; } = [];

    public IReadOnlyList<int> EffectiveRetryScheduleSeconds =>
        RetryScheduleSeconds.Length > 0 ? RetryScheduleSeconds : DefaultRetryScheduleSeconds;

    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>Webhook endpoints, their deliveries, and the event feed.</summary>
public sealed class WebhookService(TruustDbContext db, UnitOfWork unitOfWork, TimeProvider clock)
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

    public async Task<WebhookEndpointResponse> RollSecretAsync(Caller caller, string id, CancellationToken ct)
    {
        var endpoint = await FindAsync(caller, id, ct);
        endpoint.RollSecret(clock.GetUtcNow());
        await unitOfWork.SaveAsync(ct);
        return WebhookEndpointResponse.From(endpoint, withSecret: true);
    }

    /// <summary>Re-enables a disabled endpoint; deliveries resume for events from now on.</summary>
    public async Task<WebhookEndpointResponse> EnableAsync(Caller caller, string id, CancellationToken ct)
    {
        var endpoint = await FindAsync(caller, id, ct);
        endpoint.Enable(clock.GetUtcNow());
        await unitOfWork.SaveAsync(ct);
        return WebhookEndpointResponse.From(endpoint);
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
