using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Truust.Api.Telemetry;

/// <summary>OpenTelemetry traces and metrics (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    /// <summary>Where traces and metrics are sent over OTLP (e.g. <c>http://collector:4317</c>); empty sends
    /// none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// Records traces (ASP.NET Core, HttpClient, Npgsql, the workers). On by itself when an OTLP endpoint is set;
    /// off otherwise, so that an instance nobody collects traces from spends nothing on them.
    /// </summary>
    public bool? Tracing { get; set; }

    public bool TracingEnabled => Tracing ?? !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>The share of new traces recorded (a trace started upstream follows its parent's decision).</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Who may read <c>/metrics</c>: callers from these networks (CIDR), besides loopback. It shows business volumes
    /// (money moved per currency), so it is never public: scrape it from inside the deployment's network.
    /// </summary>
    public string[] MetricsAllowedNetworks { get; set; } = [];

    /// <summary>How often the gauges read from the database (backlogs, job lag, money moved) are refreshed.</summary>
    [Range(1, 3600)]
    public int SampleSeconds { get; set; } = 15;

    /// <summary>A method, not a property: validation reads every property, and this one throws on a bad
    /// entry.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks() =>
        MetricsAllowedNetworks.Select(n => IPNetwork.Parse(n.Trim())).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (
            !string.IsNullOrWhiteSpace(OtlpEndpoint)
            && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        )
        {
            yield return new ValidationResult(
                $"Telemetry:OtlpEndpoint must be an absolute http(s) URL; got '{OtlpEndpoint}'.",
                [nameof(OtlpEndpoint)]
            );
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return new ValidationResult(
                $"Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf'; got '{OtlpProtocol}'.",
                [nameof(OtlpProtocol)]
            );
        }

        foreach (var network in MetricsAllowedNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)))
        {
            yield return new ValidationResult(
                $"Telemetry:MetricsAllowedNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8).",
                [nameof(MetricsAllowedNetworks)]
            );
        }
    }
}
