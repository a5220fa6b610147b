using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Truust.Api.Telemetry;

public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// OpenTelemetry: metrics always (ASP.NET Core requests, HttpClient, runtime, Npgsql and the <c>Truust</c> meter,
    /// scraped at <c>/metrics</c>); traces when configured (ASP.NET Core, HttpClient, Npgsql, the workers); OTLP export
    /// of both when <c>Telemetry:OtlpEndpoint</c> is set.
    /// </summary>
    public static IServiceCollection AddTruustTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection("Telemetry"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddSingleton<TelemetrySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetrySampler>());
        services.AddSingleton<TruustTelemetry>();

        var otel = services
            .AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("truust"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(TruustTelemetry.Name)
                    .AddPrometheusExporter();
                if (Otlp(options) is { } otlp)
                {
                    metrics.AddOtlpExporter(otlp);
                }
            });
        if (options.TracingEnabled)
        {
            otel.WithTracing(tracing =>
            {
                tracing
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                        // Probes and scrapes would be most of the traces and tell nothing.
                        aspNetCore.Filter = context =>
                            !context.Request.Path.StartsWithSegments("/health")
                            && !context.Request.Path.StartsWithSegments(MetricsPath)
                    )
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(TruustTelemetry.Name);
                if (Otlp(options) is { } otlp)
                {
                    tracing.AddOtlpExporter(otlp);
                }
            });
        }

        return services;
    }

    /// <summary>
    /// Serves <c>/metrics</c> to loopback and the configured networks only; anyone else gets the 404 of an unknown
    /// route (the figures include money volumes, and the endpoint's existence is nobody else's business).
    /// </summary>
    public static WebApplication UseTruustMetrics(this WebApplication app)
    {
        // Resolving it here creates the Truust meter's instruments before the first scrape.
        app.Services.GetRequiredService<TruustTelemetry>();
        var allowed = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.AllowedNetworks();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && MayReadMetrics(context.Connection.RemoteIpAddress, allowed)
        );
        return app;
    }

    public static bool MayReadMetrics(IPAddress? caller, IReadOnlyList<IPNetwork> allowed)
    {
        if (caller is null)
        {
            return false;
        }

        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return IPAddress.IsLoopback(address) || allowed.Any(network => network.Contains(address));
    }

    private static Action<OtlpExporterOptions>? Otlp(TelemetryOptions options) =>
        string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            ? null
            : otlp =>
            {
                otlp.Endpoint = new Uri(options.OtlpEndpoint);
                otlp.Protocol =
                    options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            };
}
