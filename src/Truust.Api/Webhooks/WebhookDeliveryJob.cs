using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

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
    IOptions<WorkerOptions> workerOptions,
    ILogger<WebhookDeliveryJob> log
) : IWorkerJob
{
    public const string HttpClientName = "webhooks";

    public string Name => "webhooks";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(Math.Max(workerOptions.Value.LeaseSeconds, options.Value.TimeoutSeconds * 2));
        var pending = new ClaimQuery(
            "webhook_deliveries",
            "d",
            $"""
            d.status = {WireName.Of(WebhookDeliveryStatus.Pending)}
            AND NOT EXISTS (
                SELECT 1 FROM webhook_deliveries d2 JOIN events e2 ON e2.id = d2.event_id
                WHERE d2.endpoint_id = d.endpoint_id AND d2.status = {WireName.Of(WebhookDeliveryStatus.Pending)}
                  AND e2.object_id = e.object_id AND e2.sequence < e.sequence)
            """,
            "e.sequence"
        )
        {
            Joins = "JOIN events e ON e.id = d.event_id",
        };
        var ids = await db.ClaimAsync(pending, now, leaseUntil, workerOptions.Value.BatchSize, ct);
        await db.HandleEachAsync(pending, ids, now, leaseUntil, id => DeliverAsync(id, ct), ct);

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
