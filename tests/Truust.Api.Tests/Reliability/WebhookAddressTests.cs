using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Integration;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// A webhook URL is a request Truust makes on a platform's behalf, so it must never reach Truust's own network:
/// loopback, private, link-local and metadata addresses are refused when the endpoint is registered, and again for
/// every address actually dialled (a name that resolves to one later, DNS rebinding, fails too). A refused or failed
/// connection reads "connection failed", so the attempts list cannot tell an open port from a closed one.
/// </summary>
public sealed class WebhookAddressTests(WebhookAddressTests.GuardedFactory factory)
    : IClassFixture<WebhookAddressTests.GuardedFactory>,
        IAsyncLifetime
{
    /// <summary>The default configuration (private networks refused), fast workers, a DNS the test controls.</summary>
    public sealed class GuardedFactory : TruustApiFactory
    {
        /// <summary>A name that passes registration and resolves to loopback when the worker connects.</summary>
        public const string RebindingHost = "rebind.truust.test";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workers:PollMilliseconds", "50");
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<HostResolver>();
                services.AddSingleton<HostResolver>(new RebindingResolver());
            });
        }
    }

    private sealed class RebindingResolver : HostResolver
    {
        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            host == GuardedFactory.RebindingHost
                ? Task.FromResult(new[] { IPAddress.Loopback })
                : base.ResolveAsync(host, ct);
    }

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1:9/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://localhost/")]
    [InlineData("http://LOCALHOST./hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://172.16.3.4/hook")]
    [InlineData("http://172.31.255.255/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://[fc00::1]/hook")]
    [InlineData("http://[fd00:ec2::254]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://[ff02::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://0/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://255.255.255.255/hook")]
    [InlineData("http://168.63.129.16/hook")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    public async Task Registering_a_webhook_url_inside_the_network_is_422_naming_url_and_stores_nothing(string url)
    {
        using var client = await factory.CreatePlatformAsync();

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync("/v1/webhook_endpoints", new { url, event_types = new[] { "*" } })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "webhook_url_not_allowed")
        );

        Assert.Equal(["url"], problem.Errors.Keys);
    }

    [Theory]
    [InlineData("https://hooks.example.com/truust")]
    [InlineData("http://93.184.215.14:8080/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://172.32.0.1/hook")]
    public async Task A_webhook_url_on_the_public_internet_is_accepted(string url)
    {
        using var client = await factory.CreatePlatformAsync();

        var endpoint = await (
            await client.PostJsonAsync("/v1/webhook_endpoints", new { url, event_types = new[] { "*" } })
        ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);

        Assert.Equal(url, endpoint.Url);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_when_delivering_is_never_dialled()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/rebound";
        var url = $"http://{GuardedFactory.RebindingHost}:{new Uri(_receiver.BaseUrl).Port}{path}";
        var endpoint = await RegisterAsync(client, url);

        await client.CreateOrderAsync(await client.CreatePartiesAsync(), 5_000);

        var delivery = await WaitForFirstAttemptAsync(client, endpoint.Id);
        var attempt = Assert.Single(delivery.AttemptLog);
        Assert.Equal(((int?)null, "connection failed"), (attempt.StatusCode, attempt.Error));
        Assert.Equal("connection failed", delivery.LastError);
        await Task.Delay(200);
        Assert.Empty(_receiver.ReceivedAt(path));
    }

    [Fact]
    public async Task An_endpoint_whose_stored_url_is_a_loopback_address_is_refused_again_when_connecting()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/stored";
        var endpoint = await RegisterAsync(client, "https://hooks.example.com/truust");
        // As if the endpoint had been registered before the rule existed: only the connect-time check stands between
        // the worker and the loopback receiver.
        await using (var connection = await factory.OpenConnectionAsync())
        {
            await using var update = new NpgsqlCommand(
                "UPDATE webhook_endpoints SET url = @url WHERE id = @id",
                connection
            );
            update.Parameters.AddWithValue("url", _receiver.Url(path));
            update.Parameters.AddWithValue("id", endpoint.Id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await client.CreateOrderAsync(await client.CreatePartiesAsync(), 5_000);

        var delivery = await WaitForFirstAttemptAsync(client, endpoint.Id);
        Assert.Equal("connection failed", Assert.Single(delivery.AttemptLog).Error);
        await Task.Delay(200);
        Assert.Empty(_receiver.ReceivedAt(path));
    }

    [Fact]
    public async Task With_private_networks_allowed_a_closed_port_reads_connection_failed_without_the_socket_error()
    {
        var allowing = new AllowingFactory();
        await ((IAsyncLifetime)allowing).InitializeAsync();
        try
        {
            using var client = await allowing.CreatePlatformAsync();
            var endpoint = await RegisterAsync(client, "http://127.0.0.1:9/closed");

            await client.CreateOrderAsync(await client.CreatePartiesAsync(), 5_000);

            var delivery = await WaitForFirstAttemptAsync(client, endpoint.Id);
            Assert.Equal("connection failed", Assert.Single(delivery.AttemptLog).Error);
        }
        finally
        {
            await ((IAsyncLifetime)allowing).DisposeAsync();
        }
    }

    /// <summary>The local-development setting: private networks allowed, fast workers.</summary>
    private sealed class AllowingFactory : TruustApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workers:PollMilliseconds", "50");
            builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        }
    }

    private static async Task<WebhookEndpointResponse> RegisterAsync(HttpClient client, string url) =>
        await (
            await client.PostJsonAsync("/v1/webhook_endpoints", new { url, event_types = new[] { "order.created" } })
        ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);

    private static async Task<WebhookDeliveryResponse> WaitForFirstAttemptAsync(HttpClient client, string endpointId)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var deliveries = await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
                $"/v1/webhook_endpoints/{endpointId}/deliveries"
            );
            if (deliveries.Data is [{ Attempts: >= 1 } delivery])
            {
                return delivery;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "No delivery attempt was recorded.");
            await Task.Delay(20);
        }
    }
}
