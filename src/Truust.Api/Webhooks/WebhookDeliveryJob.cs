using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

/// <summary>
/// Delivers pending webhook deliveries. An object's events reach an endpoint in sequence order: a delivery is only
/// claimed when no earlier event of the same object is still pending for that endpoint. Each round claims the first
/// queued event of up to a batch of (endpoint, object) queues and works through those queues in parallel, each one's
/// events back to back (<see cref="WebhookSender.DeliverInOrderAsync"/>), so a backlog after an outage drains as fast
/// as the endpoint answers instead of one event per object per poll.
/// </summary>
public sealed class WebhookDeliveryJob(
    TruustDbContext db,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    IOptions<WorkerOptions> workerOptions
) : IWorkerJob
{
    public const string HttpClientName = "webhooks";

    public string Name => "webhooks";

    /// <summary>The first due event of each (endpoint, object) queue whose endpoint is enabled and not throttled;
    /// with <paramref name="endpointId"/> and <paramref name="objectId"/>, of that one queue only.</summary>
    public static ClaimQuery Due(DateTimeOffset now, string? endpointId = null, string? objectId = null) =>
        new(
            "webhook_deliveries",
            "d",
            $"""
            d.status = {WireName.Of(WebhookDeliveryStatus.Pending)}
            AND w.status = {WireName.Of(WebhookEndpointStatus.Enabled)}
            AND (w.throttled_until IS NULL OR w.throttled_until <= {now})
            AND ({endpointId}::text IS NULL OR (d.endpoint_id = {endpointId} AND e.object_id = {objectId}))
            AND NOT EXISTS (
                SELECT 1 FROM webhook_deliveries d2 JOIN events e2 ON e2.id = d2.event_id
                WHERE d2.endpoint_id = d.endpoint_id AND d2.status = {WireName.Of(WebhookDeliveryStatus.Pending)}
                  AND e2.object_id = e.object_id AND e2.sequence < e.sequence)
            """,
            "e.sequence"
        )
        {
            Joins = "JOIN events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id",
        };

    /// <summary>How long a claimed delivery stays leased: long enough for the request and its record.</summary>
    public static TimeSpan Lease(WebhookOptions webhooks, WorkerOptions workers) =>
        TimeSpan.FromSeconds(Math.Max(workers.LeaseSeconds, webhooks.TimeoutSeconds * 2));

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = Lease(options.Value, workerOptions.Value);
        var heads = await db.ClaimAsync(Due(now), now, now + lease, workerOptions.Value.BatchSize, ct);
        var started = new ConcurrentDictionary<string, bool>();
        try
        {
            await Parallel.ForEachAsync(
                heads,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
                async (id, _) =>
                {
                    started[id] = true;
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<WebhookSender>().DeliverInOrderAsync(id, ct);
                }
            );
        }
        finally
        {
            // Claimed but never started (the instance is stopping): the next instance may take them at once instead
            // of after their lease.
            var unstarted = heads.Where(id => !started.ContainsKey(id)).ToList();
            if (unstarted.Count > 0)
            {
                await ReleaseAsync(db, unstarted, clock.GetUtcNow());
            }
        }

        return heads.Count;
    }

    /// <summary>Ends the lease of claimed deliveries that were not sent, so they are due again now.</summary>
    public static Task ReleaseAsync(TruustDbContext db, IReadOnlyCollection<string> ids, DateTimeOffset now) =>
        // Not cancellable: it runs while the instance stops, and a release that never lands costs a whole lease.
        db
            .WebhookDeliveries.Where(d => ids.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), CancellationToken.None);
}
