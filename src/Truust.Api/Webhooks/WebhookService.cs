using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;

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

    /// <summary>
    /// Lets webhooks reach loopback, private and link-local addresses: for local development only (a receiver on
    /// localhost). Off, a platform cannot make Truust send requests into its own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>Webhook endpoints, their deliveries, and the event feed.</summary>
public sealed class WebhookService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    TimeProvider clock,
    IOptions<WebhookOptions> options
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

/// <summary>
/// Delivers pending webhook deliveries. An object's events reach an endpoint in sequence order: a delivery is
/// only claimed when no earlier event of the same object is still pending for that endpoint.
/// </summary>
public sealed class WebhookDeliveryJob(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    IHttpClientFactory http,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    IOptions<Workers.WorkerOptions> workerOptions,
    ILogger<WebhookDeliveryJob> log
) : Workers.IWorkerJob
{
    public const string HttpClientName = "webhooks";

    public string Name => "webhooks";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(Math.Max(workerOptions.Value.LeaseSeconds, options.Value.TimeoutSeconds * 2));
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                UPDATE webhook_deliveries SET next_attempt_at = {leaseUntil}
                WHERE id IN (
                    SELECT d.id FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
                    WHERE d.status = 'PENDING' AND d.next_attempt_at <= {now}
                      AND NOT EXISTS (
                          SELECT 1 FROM webhook_deliveries d2 JOIN events e2 ON e2.id = d2.event_id
                          WHERE d2.endpoint_id = d.endpoint_id AND d2.status = 'PENDING'
                            AND e2.object_id = e.object_id AND e2.sequence < e.sequence)
                    ORDER BY e.sequence LIMIT {workerOptions.Value.BatchSize}
                    FOR UPDATE OF d SKIP LOCKED)
                RETURNING id AS "Value"
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await DeliverAsync(id, ct);
        }

        return ids.Count;
    }

    private async Task DeliverAsync(string deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId, ct);
        var endpoint = await db.WebhookEndpoints.FirstAsync(w => w.Id == delivery.EndpointId, ct);
        var e = await db.Events.AsNoTracking().FirstAsync(x => x.Id == delivery.EventId, ct);
        var now = clock.GetUtcNow();
        if (endpoint.Status != WebhookEndpointStatus.Enabled)
        {
            delivery.Abandon("endpoint disabled");
            await unitOfWork.SaveAsync(ct);
            return;
        }

        var body = JsonSerializer.Serialize(EventResponse.From(e), JsonDefaults.Options);
        var timestamp = now.ToUnixTimeSeconds();
        int? statusCode = null;
        string? error = null;
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", e.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString());
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(endpoint.Secret, e.Id, timestamp, body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"endpoint answered {statusCode}";
            }
        }
        catch (Exception ex)
            when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException
                && !ct.IsCancellationRequested
            )
        {
            // The platform reads this text: the socket's own words would tell a refused port from an open one, and
            // a refused internal address from an unreachable public one. The log keeps the detail.
            error = ex is HttpRequestException ? "connection failed" : "timed out";
            log.LogInformation(
                "Webhook delivery {DeliveryId} to endpoint {EndpointId}: {Error} ({Detail})",
                delivery.Id,
                endpoint.Id,
                error,
                ex.InnerException?.Message ?? ex.Message
            );
        }

        watch.Stop();
        db.WebhookAttempts.Add(
            new WebhookAttempt
            {
                Id = Ids.New("wha"),
                DeliveryId = delivery.Id,
                EndpointId = endpoint.Id,
                EventId = e.Id,
                Number = delivery.Attempts + 1,
                StatusCode = statusCode,
                Error = error,
                DurationMs = watch.ElapsedMilliseconds,
                At = now,
            }
        );
        if (error is null)
        {
            delivery.RecordSuccess(statusCode!.Value, now);
        }
        else
        {
            var schedule = options.Value.EffectiveRetryScheduleSeconds;
            DateTimeOffset? retryAt =
                delivery.Attempts < schedule.Count ? now.AddSeconds(schedule[delivery.Attempts]) : null;
            delivery.RecordFailure(statusCode, error, retryAt);
            if (retryAt is null)
            {
                endpoint.Disable($"Delivery {delivery.Id} failed {delivery.Attempts} times; last error: {error}", now);
                log.LogWarning("Webhook endpoint {EndpointId} disabled after repeated failures", endpoint.Id);
            }
        }

        await unitOfWork.SaveAsync(ct);
    }
}
