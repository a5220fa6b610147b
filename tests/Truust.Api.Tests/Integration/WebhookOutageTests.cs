using System.Net;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain.Webhooks;

namespace Truust.Api.Tests.Integration;

/// <summary>
/// An endpoint down for longer than one event's whole retry schedule, then back: nothing is lost, each object's events
/// arrive in order, the backlog drains in one worker round (the workers here never poll), and a secret rolled
/// meanwhile verifies with both secrets in its grace period and with the new one only after it.
/// </summary>
public sealed class WebhookOutageTests(WakeOnlyWebhooksApiFactory factory)
    : IClassFixture<WakeOnlyWebhooksApiFactory>,
        IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task After_an_outage_longer_than_the_retry_schedule_every_event_arrives_in_order_per_object_at_once()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/outage";
        var endpoint = await (
            await client.PostJsonAsync(
                "/v1/webhook_endpoints",
                new { url = _receiver.Url(path), event_types = new[] { "*" } }
            )
        ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);
        _receiver.Expect(path, endpoint.Secret!);
        _receiver.FailNext(path, int.MaxValue);

        // Several objects, several events each, all raised while the endpoint is down.
        var parties = await client.CreatePartiesAsync();
        var orders = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            orders.Add((await client.CreateOrderAsync(parties, 1_000 + i)).Id);
        }

        await client.PayOrderByCardAsync(orders[0]);
        await client.ActAsync(orders[1], "cancel");
        var feed = (await client.GetJsonAsync<Page<EventResponse>>("/v1/events?limit=100")).Data;
        var objects = feed.Select(e => e.ObjectId).Distinct().ToList();
        Assert.True(feed.Count >= 8 && objects.Count >= 5, $"{feed.Count} events of {objects.Count} objects");
        await _receiver.WaitAsync(path, r => objects.All(o => r.Any(x => x.ObjectId == o)), "each first attempt");

        // The rolled secret's grace period covers the outage and the backlog.
        var rolled = await (
            await client.PostJsonAsync(
                $"/v1/webhook_endpoints/{endpoint.Id}/roll_secret",
                new { grace_period_seconds = 40 }
            )
        ).ReadAsync<WebhookEndpointResponse>();
        _receiver.Expect(path, rolled.Secret!);

        // Twice the schedule's length of retries: each object's first event is retried at the last interval, only
        // the first event of each object is ever tried, and none is given up.
        var schedule = FastWebhooksApiFactory.RetryScheduleSeconds;
        for (var round = 0; round < schedule.Length * 2; round++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(schedule[Math.Min(round, schedule.Length - 1)]));
            factory.WakeWebhooks();
            await _receiver.WaitAsync(
                path,
                r => objects.All(o => r.Count(x => x.ObjectId == o) == round + 2),
                $"retry round {round + 1}"
            );
        }

        var duringOutage = _receiver.ReceivedAt(path);
        Assert.All(duringOutage, r => Assert.Equal(500, r.AnsweredStatus));
        Assert.Equal(objects.Count, duringOutage.Select(r => r.EventId).Distinct().Count());
        var pending = await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
            $"/v1/webhook_endpoints/{endpoint.Id}/deliveries?limit=100"
        );
        Assert.All(pending.Data, d => Assert.Equal(WebhookDeliveryStatus.Pending, d.Status));
        Assert.Contains(pending.Data, d => d.Attempts > schedule.Length + 1);

        // Back up: one wake-up (the workers never poll here) drains the whole backlog.
        _receiver.FailNext(path, 0);
        factory.Clock.Advance(TimeSpan.FromSeconds(schedule[^1]));
        factory.WakeWebhooks();
        var all = await _receiver.WaitAsync(
            path,
            r => feed.All(e => r.Any(x => x.EventId == e.Id && x.AnsweredStatus == 200)),
            "every event after the outage"
        );

        var delivered = all.Where(r => r.AnsweredStatus == 200).ToList();
        Assert.Equal(feed.Count, delivered.Count);
        foreach (var perObject in delivered.GroupBy(r => r.ObjectId))
        {
            var sequences = perObject.Select(r => r.Sequence).ToList();
            Assert.True(
                sequences.SequenceEqual(sequences.Order()),
                $"{perObject.Key}'s events arrived out of order: {string.Join(", ", sequences)}"
            );
        }

        // Verified by the reference library, with the new secret and, in the grace period, with the old one too.
        Assert.All(delivered, r => Assert.True(r.SignatureValid, $"{r.EventId} did not verify"));
        Assert.All(delivered, r => Assert.True(r.VerifiesWith(endpoint.Secret!), "old secret refused in its grace"));
        var enabled = await client.GetJsonAsync<WebhookEndpointResponse>($"/v1/webhook_endpoints/{endpoint.Id}");
        Assert.Equal((WebhookEndpointStatus.Enabled, (DateTimeOffset?)null), (enabled.Status, enabled.FailingSince));

        factory.Clock.Advance(TimeSpan.FromSeconds(40));
        var later = await client.CreateOrderAsync(parties, 9_000);
        // order.created and order.status_changed (the buyer given at creation is identified: PENDING_PUBLISH).
        var last = (
            await _receiver.WaitAsync(
                path,
                r => r.Count(x => x.ObjectId == later.Id) == 2,
                "the events of an order created after the grace period"
            )
        ).Where(x => x.ObjectId == later.Id);
        Assert.All(last, r => Assert.True(r.SignatureValid));
        Assert.All(
            last,
            r => Assert.False(r.VerifiesWith(endpoint.Secret!), "the old secret still verifies after its grace period")
        );
    }

    [Fact]
    public void The_readme_verification_example_is_the_code_that_verifies_every_delivery_in_these_tests()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Truust.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Truust.sln not found");
        }

        var source = File.ReadAllLines(
            Path.Combine(root, "tests", "Truust.Api.Tests", "Integration", "WebhookReceiver.cs")
        );
        var start = Array.FindIndex(source, l => l.Trim() == "// begin-snippet: verify-webhook") + 1;
        var end = Array.FindIndex(source, l => l.Trim() == "// end-snippet");
        Assert.True(start > 0 && end > start, "the snippet markers are missing in WebhookReceiver.cs");
        var snippet = string.Join(
                "\n",
                source[start..end].Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l)
            )
            .Trim();

        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + snippet + "\n```", readme);
    }
}
