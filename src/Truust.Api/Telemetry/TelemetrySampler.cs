using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Persistence;

namespace Truust.Api.Telemetry;

/// <summary>What the database-backed meters show, as of <see cref="At"/>.</summary>
public sealed record TelemetrySample(
    IReadOnlyList<MoneyTotal> MoneyMoved,
    IReadOnlyList<KeyCount> Payins,
    IReadOnlyList<KeyCount> WebhookBacklog,
    long OutboxBacklog,
    IReadOnlyList<KeyValuePair<string, double>> JobLagSeconds,
    DateTimeOffset At
)
{
    public static readonly TelemetrySample Empty = new([], [], [], 0, [], DateTimeOffset.MinValue);
}

public sealed record MoneyTotal(string Currency, string Kind, long Total);

public sealed record KeyCount(string Key, long Count);

/// <summary>
/// Reads the figures the meters show from the database every <see cref="TelemetryOptions.SampleSeconds"/> (a few
/// aggregate queries per interval and instance, instead of any work on a request's path), so that what is shown is
/// what is committed, and is the same whichever instance is scraped.
/// </summary>
public sealed class TelemetrySampler(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<TelemetryOptions> options,
    ILogger<TelemetrySampler> log
) : BackgroundService
{
    public TelemetrySample Latest { get; private set; } = TelemetrySample.Empty;

    /// <summary>Takes a sample now (the loop does it on its interval; tests call it to see one at once).</summary>
    public async Task<TelemetrySample> SampleAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TruustDbContext>();
        var now = clock.GetUtcNow();
        var money = await db
            .Database.SqlQuery<MoneyTotal>(
                $"""
                SELECT currency AS "Currency", kind AS "Kind", sum(amount_minor)::bigint AS "Total"
                FROM ledger_transfers GROUP BY currency, kind
                """
            )
            .ToListAsync(ct);
        var payins = await db
            .Database.SqlQuery<KeyCount>($"""SELECT status AS "Key", count(*) AS "Count" FROM payins GROUP BY status""")
            .ToListAsync(ct);
        var backlog = await db
            .Database.SqlQuery<KeyCount>(
                $"""
                SELECT w.status AS "Key", count(*) AS "Count"
                FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.status = 'PENDING' GROUP BY w.status
                """
            )
            .ToListAsync(ct);
        var outbox = await db
            .Database.SqlQuery<long>(
                $"""SELECT count(DISTINCT event_id) AS "Value" FROM webhook_deliveries WHERE status = 'PENDING'"""
            )
            .SingleAsync(ct);
        // The oldest due item of the two queues whose delay a platform feels: webhooks and releases.
        var webhookDue = await db
            .Database.SqlQuery<DateTimeOffset?>(
                $"""
                SELECT min(d.next_attempt_at) AS "Value"
                FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.status = 'PENDING' AND w.status = 'ENABLED' AND d.next_attempt_at <= {now}
                """
            )
            .SingleAsync(ct);
        var releaseDue = await db
            .Database.SqlQuery<DateTimeOffset?>(
                $"""
                SELECT min(p.next_attempt_at) AS "Value"
                FROM payouts p JOIN orders o ON o.payout_id = p.id
                WHERE o.status = 'PENDING_RELEASE' AND p.status IN ('PENDING', 'SUBMITTING')
                  AND p.next_attempt_at <= {now}
                """
            )
            .SingleAsync(ct);
        var sample = new TelemetrySample(
            money,
            payins,
            backlog,
            outbox,
            [
                new("webhooks", webhookDue is { } w ? (now - w).TotalSeconds : 0),
                new("release", releaseDue is { } r ? (now - r).TotalSeconds : 0),
            ],
            now
        );
        Latest = sample;
        return sample;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Metrics must never take the service down: the last sample stays, the next round tries again.
                log.LogWarning("Telemetry sample failed: {Reason}", e.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Value.SampleSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
