using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;

namespace Truust.Api.Tests.Integration;

/// <summary>A webhook instance that gives deliveries in flight two seconds to finish when it stops.</summary>
public sealed class ShutdownGraceApiFactory : FastWebhooksApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:ShutdownGraceSeconds", "2");
    }
}

/// <summary>What an instance that stops does with the webhook requests it has in flight.</summary>
public sealed class WebhookShutdownTests : IAsyncLifetime
{
    private readonly ShutdownGraceApiFactory _factory = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await ((IAsyncLifetime)_factory).DisposeAsync();
    }

    [Fact]
    public async Task At_shutdown_a_delivery_answered_within_the_grace_is_recorded_and_one_still_waiting_is_released_at_once()
    {
        using var client = await _factory.CreatePlatformAsync();
        var slow = await RegisterAsync(client, "/slow");
        var hanging = await RegisterAsync(client, "/hanging");
        _receiver.Answer("/slow", _ => new ReceiverAnswer(200, Delay: TimeSpan.FromMilliseconds(500)));
        _receiver.Answer("/hanging", _ => new ReceiverAnswer(200, Delay: TimeSpan.FromMinutes(5)));
        await client.CreateOrderAsync(await client.CreatePartiesAsync(), 5_000);
        await WebhookTests.WaitAsync(
            () => Task.FromResult(_receiver.Started),
            started => started.Contains("/slow") && started.Contains("/hanging"),
            "both requests in flight"
        );
        await _factory.Services.GetRequiredService<IHost>().StopAsync();

        Assert.Equal(
            1,
            await _factory.CountAsync(
                "webhook_deliveries",
                $"endpoint_id = '{slow.Id}' AND status = 'SUCCEEDED' AND attempts = 1"
            )
        );
        // Released: due now for the next instance, not leased for another minute, and no attempt counted.
        Assert.Equal(
            1,
            await _factory.CountAsync(
                "webhook_deliveries",
                $"endpoint_id = '{hanging.Id}' AND status = 'PENDING' AND attempts = 0 "
                    + $"AND next_attempt_at <= '{_factory.Clock.GetUtcNow():O}'::timestamptz"
            )
        );
        Assert.Equal(0, await _factory.CountAsync("webhook_attempts", $"endpoint_id = '{hanging.Id}'"));
    }

    private async Task<WebhookEndpointResponse> RegisterAsync(HttpClient client, string path)
    {
        var endpoint = await (
            await client.PostJsonAsync(
                "/v1/webhook_endpoints",
                new { url = _receiver.Url(path), event_types = new[] { "order.created" } }
            )
        ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);
        _receiver.Expect(path, endpoint.Secret!);
        return endpoint;
    }
}
