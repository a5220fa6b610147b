using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Telemetry;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

/// <summary>
/// Sends claimed deliveries and records what the endpoint answered. A failure is retried on the schedule (with
/// jitter, or after the endpoint's <c>Retry-After</c>); an event is given up only when it keeps failing while the
/// endpoint takes other events, and the endpoint is disabled only when it has failed for the whole retry window
/// without a single success (or answered 410 Gone). Its queued events are kept either way.
/// </summary>
public sealed class WebhookSender(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    IHttpClientFactory http,
    TimeProvider clock,
    WorkerSignals signals,
    IOptions<WebhookOptions> options,
    IOptions<WorkerOptions> workerOptions,
    ILogger<WebhookSender> log
)
{
    private WebhookOptions Options => options.Value;

    /// <summary>
    /// Delivers the claimed <paramref name="deliveryId"/>, then, while they succeed, the next queued events of the
    /// same object for the same endpoint, one after the other (each claimed like any other, so the order holds across
    /// instances). Stops at the first failure (the rest wait behind it) or when the instance is stopping.
    /// </summary>
    public async Task<int> DeliverInOrderAsync(string deliveryId, CancellationToken stopping)
    {
        var sent = 0;
        string? next = deliveryId;
        while (next is not null)
        {
            var delivered = await DeliverAsync(next, stopping);
            sent++;
            if (delivered is null || stopping.IsCancellationRequested)
            {
                return sent;
            }

            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var lease = WebhookDeliveryJob.Lease(Options, workerOptions.Value);
            var query = WebhookDeliveryJob.Due(now, delivered.Value.EndpointId, delivered.Value.ObjectId);
            next = (await db.ClaimAsync(query, now, now + lease, 1, stopping)).SingleOrDefault();
        }

        return sent;
    }

    /// <summary>Sends one claimed delivery; returns its endpoint and object when it was delivered.</summary>
    private async Task<(string EndpointId, string ObjectId)?> DeliverAsync(
        string deliveryId,
        CancellationToken stopping
    )
    {
        // Reads and records are not cancelled by the shutdown: they are short, and an interrupted record would leave
        // the delivery leased (and an answered request unrecorded) for a whole lease.
        var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId, CancellationToken.None);
        var endpoint = await db
            .WebhookEndpoints.AsNoTracking()
            .FirstAsync(w => w.Id == delivery.EndpointId, CancellationToken.None);
        var e = await db.Events.AsNoTracking().FirstAsync(x => x.Id == delivery.EventId, CancellationToken.None);
        var now = clock.GetUtcNow();
        if (delivery.Status != WebhookDeliveryStatus.Pending)
        {
            return null;
        }

        if (endpoint.Status != WebhookEndpointStatus.Enabled || stopping.IsCancellationRequested)
        {
            // Disabled since the claim: the delivery waits (unleased) for the endpoint to be enabled again.
            delivery.Retry(now);
            await unitOfWork.SaveAsync(CancellationToken.None);
            return null;
        }

        using var span = TruustTelemetry.Source.StartActivity("truust.webhook.deliver", ActivityKind.Producer);
        span?.SetTag("truust.delivery_id", delivery.Id);
        span?.SetTag("truust.event_type", e.Type);
        var body = JsonSerializer.Serialize(EventResponse.From(e), JsonDefaults.Options);
        var timestamp = now.ToUnixTimeSeconds();
        int? statusCode = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var watch = Stopwatch.StartNew();
        // A shutdown lets a request already sent finish for a short grace, then cancels it and releases the delivery.
        using var shutdown = new CancellationTokenSource();
        using var onStopping = stopping.Register(() =>
            shutdown.CancelAfter(TimeSpan.FromSeconds(Options.ShutdownGraceSeconds))
        );
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", e.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString());
            // During a secret's grace period both secrets sign, space-separated, as Standard Webhooks allows: a
            // receiver that checks either one accepts the delivery.
            request.Headers.Add(
                "webhook-signature",
                string.Join(
                    ' ',
                    endpoint.SigningSecrets(now).Select(s => WebhookSignature.Sign(s, e.Id, timestamp, body))
                )
            );
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(Options.TimeoutSeconds));
            using var response = await http.CreateClient(WebhookDeliveryJob.HttpClientName)
                .SendAsync(request, timeout.Token);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"endpoint answered {statusCode}";
                retryAfter = RetryAfter(response, now);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            log.LogInformation("Webhook delivery {DeliveryId} released at shutdown before its answer", delivery.Id);
            await WebhookDeliveryJob.ReleaseAsync(db, [delivery.Id], clock.GetUtcNow());
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
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
            await unitOfWork.RunAsync(
                async () =>
                {
                    if (endpoint.FailingSince is not null)
                    {
                        await RecoverAsync(endpoint.Id, now);
                    }
                },
                CancellationToken.None
            );
            return (endpoint.Id, e.ObjectId);
        }

        delivery.RecordFailure(statusCode, error, now);
        await unitOfWork.RunAsync(
            () => RecordFailureAsync(delivery, endpoint.Id, now, retryAfter),
            CancellationToken.None
        );
        return null;
    }

    /// <summary>The endpoint answered again after failing: its retries waiting far ahead are due now, so the backlog
    /// of the outage drains at once instead of at each event's next scheduled retry.</summary>
    private async Task RecoverAsync(string endpointId, DateTimeOffset now)
    {
        var endpoint = await Locks.WebhookEndpoint(db, endpointId).SingleAsync(CancellationToken.None);
        if (!endpoint.RecordSuccess())
        {
            return;
        }

        // Only retries due after any lease could end: a delivery in flight (leased) keeps its lease.
        var beyondLeases = now + WebhookDeliveryJob.Lease(Options, workerOptions.Value);
        await db
            .WebhookDeliveries.Where(d =>
                d.EndpointId == endpointId
                && d.Status == WebhookDeliveryStatus.Pending
                && d.NextAttemptAt > beyondLeases
            )
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), CancellationToken.None);
        unitOfWork.WakeAfterCommit(signals.Webhooks);
    }

    private async Task RecordFailureAsync(
        WebhookDelivery delivery,
        string endpointId,
        DateTimeOffset now,
        TimeSpan? retryAfter
    )
    {
        var endpoint = await Locks.WebhookEndpoint(db, endpointId).SingleAsync(CancellationToken.None);
        if (delivery.LastStatusCode == (int)HttpStatusCode.Gone)
        {
            // The receiver says the URL is gone for good: no more calls until the platform enables it again; this
            // event and those after it wait for that.
            endpoint.Disable($"The endpoint answered 410 Gone to delivery {delivery.Id}.", now);
            delivery.Retry(now);
            log.LogWarning("Webhook endpoint {EndpointId} disabled: it answered 410 Gone", endpoint.Id);
            return;
        }

        var failingSince = endpoint.RecordFailure(now);
        if (retryAfter is { } wait && delivery.LastStatusCode == (int)HttpStatusCode.TooManyRequests)
        {
            endpoint.Throttle(now + wait);
        }

        // The endpoint has not answered anything since this event first failed: it is down, not the event, and the
        // event keeps being retried (at the schedule's last interval) until the endpoint is back or disabled.
        var endpointDown = failingSince <= delivery.FailingSince;
        var schedule = Options.EffectiveRetryScheduleSeconds;
        if (delivery.ConsecutiveFailures > schedule.Count && !endpointDown)
        {
            delivery.GiveUp();
            log.LogWarning(
                "Webhook delivery {DeliveryId} given up after {Attempts} attempts; endpoint {EndpointId} stays enabled",
                delivery.Id,
                delivery.Attempts,
                endpoint.Id
            );
        }
        else
        {
            delivery.Retry(
                now + (retryAfter ?? Options.RetryDelay(delivery.ConsecutiveFailures, Random.Shared.NextDouble()))
            );
        }

        if (now - failingSince >= TimeSpan.FromSeconds(Options.DisableAfterSeconds))
        {
            endpoint.Disable(
                $"Every delivery failed from {failingSince:yyyy-MM-ddTHH:mm:ssZ} to {now:yyyy-MM-ddTHH:mm:ssZ}; "
                    + $"last error: {delivery.LastError}. Undelivered events are kept until it is enabled again.",
                now
            );
            log.LogWarning(
                "Webhook endpoint {EndpointId} disabled after failing since {Since}",
                endpoint.Id,
                failingSince
            );
        }
    }

    /// <summary>The wait a 429 or 503 asks for in <c>Retry-After</c> (seconds or a date), within the configured
    /// maximum; null when there is none.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is { } w ? TimeSpan.FromSeconds(Math.Clamp(w.TotalSeconds, 1, Options.MaxRetryAfterSeconds)) : null;
    }
}
