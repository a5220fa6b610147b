using System.Diagnostics.Metrics;
using System.Diagnostics;

namespace Truust.Api.Telemetry;

/// <summary>
/// Truust's own spans and meters. Spans: one per background work item (a release, a webhook delivery), continuing
/// the trace of the request that made the work due when it was stored with it. Meters (all on the <c>Truust</c>
/// meter): money moved, payins by outcome, job lag, outbox and webhook backlog, read from the database by
/// <see cref="TelemetrySampler"/> (never computed on a request's path).
/// </summary>
public sealed class TruustTelemetry
{
    public const string Name = "Truust";

    /// <summary>The source of Truust's own spans; it costs nothing while no tracer listens.</summary>
    public static readonly ActivitySource Source = new(Name);

    public TruustTelemetry(IMeterFactory meters, TelemetrySampler sampler)
    {
        var meter = meters.Create(Name);
        meter.CreateObservableCounter(
            "truust.money.moved",
            () =>
                sampler.Latest.MoneyMoved.Select(m => new Measurement<long>(
                    m.Total,
                    new("currency", m.Currency),
                    new("kind", m.Kind.ToLowerInvariant())
                )),
            unit: "{minor_unit}",
            description: "Money moved through the ledger, in minor units, per currency and kind of transfer"
        );
        meter.CreateObservableCounter(
            "truust.payins",
            () =>
                sampler.Latest.Payins.Select(p => new Measurement<long>(
                    p.Count,
                    new KeyValuePair<string, object?>("outcome", p.Key.ToLowerInvariant())
                )),
            unit: "{payin}",
            description: "Payins by outcome (status)"
        );
        meter.CreateObservableGauge(
            "truust.webhook.backlog",
            () =>
                sampler.Latest.WebhookBacklog.Select(b => new Measurement<long>(
                    b.Count,
                    new KeyValuePair<string, object?>("endpoint_status", b.Key.ToLowerInvariant())
                )),
            unit: "{delivery}",
            description: "Webhook deliveries not yet delivered, by the status of their endpoint"
        );
        meter.CreateObservableGauge(
            "truust.outbox.backlog",
            () => sampler.Latest.OutboxBacklog,
            unit: "{event}",
            description: "Events in the outbox still waiting to reach at least one endpoint"
        );
        meter.CreateObservableGauge(
            "truust.job.lag",
            () =>
                sampler.Latest.JobLagSeconds.Select(j => new Measurement<double>(
                    j.Value,
                    new KeyValuePair<string, object?>("job", j.Key)
                )),
            unit: "s",
            description: "How long the oldest due item of a job's queue has waited"
        );
    }

    /// <summary>
    /// Starts a span for one item of background work, as a child of <paramref name="traceParent"/> (the W3C
    /// traceparent stored with the item by the request that made it due), or as a new trace without one.
    /// </summary>
    public static Activity? StartWork(string name, string? traceParent, params ReadOnlySpan<(string, object?)> tags)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent);
        var activity = Source.StartActivity(name, ActivityKind.Consumer, parent);
        foreach (var (key, value) in tags)
        {
            activity?.SetTag(key, value);
        }

        return activity;
    }

    /// <summary>The current trace context as a W3C traceparent, to store with work a worker picks up later.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
