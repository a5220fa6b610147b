using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Http;

/// <summary>
/// A buyer, seller or payment link's token is its only credential: whoever reads the logs must not be able to use
/// it. The request log and every other log line show <c>/b/***</c> instead.
/// </summary>
public sealed class RequestLogTests(RequestLogTests.LoggedFactory factory)
    : IClassFixture<RequestLogTests.LoggedFactory>
{
    /// <summary>The API with Information logging, ASP.NET Core's own request lines included, kept in memory.</summary>
    public sealed class LoggedFactory : TruustApiFactory
    {
        public CapturingSink Sink { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
            builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Information");
            builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Sink));
        }
    }

    public sealed class CapturingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    [Theory]
    [InlineData("/b/abcDEF123_-x", "/b/***")]
    [InlineData("/s/abc123/done", "/s/***/done")]
    [InlineData("/pay/abc123/3ds", "/pay/***/3ds")]
    [InlineData("/pay/abc123/result?handler=status", "/pay/***/result?handler=status")]
    [InlineData("GET /b/abc123 answered 404", "GET /b/*** answered 404")]
    [InlineData("http://127.0.0.1:5080/s/abc123", "http://127.0.0.1:5080/s/***")]
    [InlineData("/v1/orders/ord_123/refunds", "/v1/orders/ord_123/refunds")]
    [InlineData("/v1/customers/cus_1/bank_accounts", "/v1/customers/cus_1/bank_accounts")]
    [InlineData("/c/cmp_123", "/c/cmp_123")]
    [InlineData("/dashboard/orders", "/dashboard/orders")]
    public void Only_the_token_segment_of_a_link_is_masked(string text, string expected) =>
        Assert.Equal(expected, LinkTokenMasking.MaskPath(text));

    [Fact]
    public void The_request_log_line_itself_carries_the_masked_path()
    {
        var options = new Serilog.AspNetCore.RequestLoggingOptions();
        LinkTokenMasking.Configure(options);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/pay/SecretToken123/3ds";

        var properties = options
            .GetMessageTemplateProperties(context, "/pay/SecretToken123/3ds", 12.5, 200)
            .ToDictionary(p => p.Name, p => ((ScalarValue)p.Value).Value);

        Assert.Equal("/pay/***/3ds", properties["RequestPath"]);
        Assert.Equal("GET", properties["RequestMethod"]);
        Assert.Equal(200, properties["StatusCode"]);
        Assert.Equal(12.5, properties["Elapsed"]);
    }

    [Fact]
    public async Task A_host_keeps_its_own_log_when_another_host_starts_in_the_same_process()
    {
        // Serilog's static logger is one per process: a host that wrote through it lost its lines to whichever host
        // started last (seen in CI as DatabaseOutageTests missing its own warnings while other classes started).
        IAsyncLifetime other = new TruustApiFactory();
        await other.InitializeAsync();
        try
        {
            var marker = Guid.NewGuid().ToString("N");
            factory
                .Services.GetRequiredService<ILogger<RequestLogTests>>()
                .LogWarning("Isolation marker {Marker}", marker);
            Assert.Contains(
                factory.Sink.Events,
                e => e.Properties.TryGetValue("Marker", out var value) && value.ToString() == $"\"{marker}\""
            );
        }
        finally
        {
            // Stopping it must not silence this host either (Serilog's static logger is closed at a host's end).
            await other.DisposeAsync();
        }

        var after = Guid.NewGuid().ToString("N");
        factory.Services.GetRequiredService<ILogger<RequestLogTests>>().LogWarning("Isolation marker {Marker}", after);
        Assert.Contains(
            factory.Sink.Events,
            e => e.Properties.TryGetValue("Marker", out var value) && value.ToString() == $"\"{after}\""
        );
    }

    [Fact]
    public async Task Buyer_seller_and_payment_link_tokens_never_reach_the_logs()
    {
        using var platform = await factory.CreatePlatformAsync();
        var seller = await CreateCustomerAsync(platform, "Sam Seller");
        var buyer = await CreateCustomerAsync(platform, "Bea Buyer");
        var order = await PostAsync(
            platform,
            "/v1/orders",
            new
            {
                name = "Lamp",
                amount = 2_500,
                currency = "EUR",
                seller_id = seller,
                buyer_id = buyer,
            }
        );
        var payin = await PostAsync(
            platform,
            "/v1/payins",
            new { order_id = order.GetProperty("id").GetString(), type = "ADDON" }
        );
        var links = new[]
        {
            new Uri(order.GetProperty("buyer_link").GetString()!).AbsolutePath,
            new Uri(order.GetProperty("seller_link").GetString()!).AbsolutePath,
            new Uri(payin.GetProperty("direct_link").GetString()!).AbsolutePath,
        };
        var tokens = links.Select(path => path.Split('/')[2]).Append("NoSuchTokenAtAll42").ToList();
        Assert.All(tokens, token => Assert.True(token.Length >= 16));

        using var browser = factory.AnonymousClient();
        foreach (var path in links.Append("/b/NoSuchTokenAtAll42"))
        {
            using var response = await browser.GetAsync(path);
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Gone or HttpStatusCode.NotFound,
                $"{path} answered {(int)response.StatusCode}"
            );
        }

        // The request log line is written as the response completes: wait for all four.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (RequestLines().Count(e => Path(e) is "/b/***" or "/s/***" or "/pay/***") < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "The request log lines did not arrive.");
            await Task.Delay(50);
        }

        Assert.Equal(2, RequestLines().Count(e => Path(e) == "/b/***"));
        Assert.Single(RequestLines(), e => Path(e) == "/s/***");
        Assert.Single(RequestLines(), e => Path(e) == "/pay/***");
        var events = factory.Sink.Events.ToList();
        // ASP.NET Core's own "Request starting" lines and their scope were logged too, and are masked as well.
        Assert.Contains(events, e => e.MessageTemplate.Text.StartsWith("Request starting", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(
                events,
                e =>
                    e.RenderMessage().Contains(token, StringComparison.Ordinal)
                    || e.Properties.Values.Any(v => v.ToString().Contains(token, StringComparison.Ordinal))
            );
        }
    }

    private IEnumerable<LogEvent> RequestLines() =>
        factory.Sink.Events.Where(e =>
            e.MessageTemplate.Text.StartsWith("HTTP {RequestMethod}", StringComparison.Ordinal)
        );

    private static string? Path(LogEvent e) =>
        e.Properties.TryGetValue("RequestPath", out var value) && value is ScalarValue { Value: string path }
            ? path
            : null;

    private static async Task<string> CreateCustomerAsync(HttpClient platform, string name) =>
        (await PostAsync(platform, "/v1/customers", new { name, email = "someone@example.com" }))
            .GetProperty("id")
            .GetString()!;

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
