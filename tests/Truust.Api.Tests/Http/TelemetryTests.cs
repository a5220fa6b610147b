using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Truust.Api.Telemetry;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Integration;
using Truust.Api.Tests.Wallets;
using Truust.Domain.Orders;

namespace Truust.Api.Tests.Http;

/// <summary>An instance that records traces into <see cref="Spans"/> and lets 10.1.0.0/16 read /metrics.</summary>
public sealed class TelemetryApiFactory : FastWebhooksApiFactory
{
    public const string ProxyAddress = "10.0.0.5";

    public List<Activity> Spans { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:Tracing", "true");
        builder.UseSetting("Telemetry:MetricsAllowedNetworks:0", "10.1.0.0/16");
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", ProxyAddress);
        builder.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans))
        );
    }

    /// <summary>The spans exported so far (the exporter adds to the list from the thread that ends a span).</summary>
    public IReadOnlyList<Activity> ExportedSpans()
    {
        lock (Spans)
        {
            return Spans.ToList();
        }
    }
}

/// <summary>OpenTelemetry: a release is one trace, and /metrics shows the money and backlog meters.</summary>
public sealed class TelemetryTests(TelemetryApiFactory factory) : IClassFixture<TelemetryApiFactory>
{
    [Fact]
    public async Task A_release_is_one_trace_from_the_validate_request_through_the_release_worker_to_the_payout()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 5_000);
        await client.PayOrderByCardAsync(order.Id);
        await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        var spans = await WebhookTests.WaitAsync(
            () => Task.FromResult(factory.ExportedSpans()),
            all => all.Any(s => s.OperationName == "truust.payout" && Tag(s, "truust.payout_id") is not null),
            "the payout span"
        );
        var validate = Assert.Single(
            spans,
            s =>
                s.Kind == ActivityKind.Server
                && s.GetTagItem("url.path") is string path
                && path == $"/v1/orders/{order.Id}/validate"
        );
        var trace = spans.Where(s => s.TraceId == validate.TraceId).ToList();
        var release = Assert.Single(trace, s => s.OperationName == "truust.release");
        Assert.Equal(validate.SpanId, release.ParentSpanId);
        var payout = Assert.Single(trace, s => s.OperationName == "truust.payout");
        Assert.Equal(release.SpanId, payout.ParentSpanId);
        Assert.Equal("WALLET", Tag(payout, "truust.payout_type"));
        // The database work of both is in the same trace too.
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == validate.SpanId);
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == payout.SpanId);
    }

    [Fact]
    public async Task Metrics_show_money_moved_payins_and_the_webhook_backlog_to_allowed_networks_only()
    {
        using var client = await factory.CreatePlatformAsync();
        await client.PostJsonAsync(
            "/v1/webhook_endpoints",
            new { url = "http://127.0.0.1:9/nobody-listens", event_types = new[] { "*" } }
        );
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 5_000);
        await client.PayOrderByCardAsync(order.Id);
        await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);
        var sample = await factory.Services.GetRequiredService<TelemetrySampler>().SampleAsync(default);
        Assert.Contains(sample.MoneyMoved, m => m is { Currency: "EUR", Kind: "PAYIN" } && m.Total >= 5_000);
        Assert.True(sample.OutboxBacklog > 0);

        var metrics = await ScrapeAsync(IPAddress.Loopback);

        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        // What is scraped is the committed ledger: the payin and the release of every lifecycle run here.
        foreach (var kind in new[] { "PAYIN", "RELEASE" })
        {
            var total = sample.MoneyMoved.Single(m => m.Currency == "EUR" && m.Kind == kind).Total;
            Assert.Contains($"currency=\"EUR\",kind=\"{kind.ToLowerInvariant()}\"}} {total}\n", metrics.Body);
        }

        Assert.Contains("truust_payins_total{otel_scope_name=\"Truust\",outcome=\"succeeded\"}", metrics.Body);
        Assert.Contains("truust_webhook_backlog{otel_scope_name=\"Truust\",endpoint_status=\"enabled\"}", metrics.Body);
        Assert.Contains("truust_outbox_backlog{otel_scope_name=\"Truust\"}", metrics.Body);
        Assert.Contains("truust_job_lag_seconds{otel_scope_name=\"Truust\",job=\"webhooks\"}", metrics.Body);
        Assert.Contains("truust_job_lag_seconds{otel_scope_name=\"Truust\",job=\"release\"}", metrics.Body);
        Assert.Contains("http_server_request_duration_seconds", metrics.Body);

        Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(IPAddress.Parse("10.1.2.3"))).Status);
        var outsider = await ScrapeAsync(IPAddress.Parse("203.0.113.7"));
        Assert.Equal(HttpStatusCode.NotFound, outsider.Status);
        Assert.DoesNotContain("truust_", outsider.Body);
    }

    [Fact]
    public async Task Forwarded_for_and_proto_are_believed_from_the_configured_proxy_only()
    {
        // What the forwarded address decides: /metrics for a caller inside the allowed network, through the proxy,
        // and not for an outsider who claims to be loopback.
        var inside = await SendAsync(
            TelemetrySetup.MetricsPath,
            IPAddress.Parse(TelemetryApiFactory.ProxyAddress),
            "10.1.9.9"
        );
        Assert.Equal(200, inside.Response.StatusCode);
        var spoofed = await SendAsync(TelemetrySetup.MetricsPath, IPAddress.Parse("203.0.113.9"), "127.0.0.1");
        Assert.Equal(404, spoofed.Response.StatusCode);

        var viaProxy = await SendAsync(
            "/no-such-page",
            IPAddress.Parse(TelemetryApiFactory.ProxyAddress),
            "198.51.100.7"
        );
        Assert.Equal(
            ("https", IPAddress.Parse("198.51.100.7")),
            (viaProxy.Request.Scheme, viaProxy.Connection.RemoteIpAddress)
        );

        var direct = await SendAsync("/no-such-page", IPAddress.Parse("203.0.113.9"), "198.51.100.7");
        Assert.Equal(
            ("http", IPAddress.Parse("203.0.113.9")),
            (direct.Request.Scheme, direct.Connection.RemoteIpAddress)
        );
    }

    [Fact]
    public async Task A_problems_trace_id_is_the_trace_id_of_the_request_alone()
    {
        using var client = await factory.CreatePlatformAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/orders/ord_00000000000000000000000000");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var problem = await (await client.SendAsync(request)).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );

        Assert.Equal(traceId, problem.Body.GetProperty("trace_id").GetString());
    }

    private Task<Microsoft.AspNetCore.Http.HttpContext> SendAsync(string path, IPAddress caller, string forwardedFor) =>
        factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Connection.RemoteIpAddress = caller;
        });

    private async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(IPAddress caller)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = TelemetrySetup.MetricsPath;
            c.Connection.RemoteIpAddress = caller;
        });
        using var reader = new StreamReader(context.Response.Body);
        return ((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key) as string;
}
