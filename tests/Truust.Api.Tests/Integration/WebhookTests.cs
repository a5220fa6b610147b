using System.Diagnostics;
using System.Net;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain.Webhooks;

namespace Truust.Api.Tests.Integration;

/// <summary>
/// Signed webhooks to a real HTTP receiver on loopback: every event arrives, signed, in sequence order per object;
/// failures are retried on the configured schedule, every attempt is visible, events can be resent, secrets rolled.
/// </summary>
public sealed class WebhookTests(FastWebhooksApiFactory factory) : IClassFixture<FastWebhooksApiFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Every_event_of_an_order_reaches_the_receiver_signed_and_in_sequence_order_per_object()
    {
        using var client = await factory.CreatePlatformAsync();
        await RegisterAsync(client, "/lifecycle/all", "*");
        await RegisterAsync(client, "/lifecycle/payins", "payin.confirmed");
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 5_000);
        var payin = await client.PayOrderByCardAsync(order.Id);
        var released = await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        var feed = (await client.GetJsonAsync<Page<EventResponse>>($"/v1/events?object_id={order.Id}&limit=100"))
            .Data.OrderBy(e => e.Sequence)
            .ToList();
        Assert.Equal(["order.created", .. Enumerable.Repeat("order.status_changed", 6)], feed.Select(e => e.Type));
        Assert.Equal(
            new (string?, string?)[]
            {
                (null, "DRAFT"),
                ("DRAFT", "PENDING_PUBLISH"),
                ("PENDING_PUBLISH", "PUBLISHED"),
                ("PUBLISHED", "ACCEPTED"),
                ("ACCEPTED", "PENDING_VALIDATE"),
                ("PENDING_VALIDATE", "PENDING_RELEASE"),
                ("PENDING_RELEASE", "RELEASED"),
            },
            feed.Select(e =>
                (e.Data.GetProperty("previous_status").GetString(), e.Data.GetProperty("status").GetString())
            )
        );

        var received = await _receiver.WaitAsync(
            "/lifecycle/all",
            r =>
                feed.All(e => r.Any(x => x.EventId == e.Id))
                && r.Any(x => x.Type == "payin.confirmed" && x.ObjectId == payin.Id)
                && r.Any(x => x.Type == "payout.paid" && x.ObjectId == released.PayoutId),
            "every event of the order, its payin and its payout"
        );

        Assert.All(received, r => Assert.True(r.SignatureValid, $"Bad signature on {r.Type} {r.EventId}"));
        Assert.All(received, r => Assert.Equal(r.EventId, r.Id));
        Assert.All(received, r => Assert.Equal(200, r.AnsweredStatus));
        Assert.Equal(feed.Select(e => e.Id), received.Where(r => r.ObjectId == order.Id).Select(r => r.EventId));
        foreach (var perObject in received.GroupBy(r => r.ObjectId))
        {
            var sequences = perObject.Select(r => r.Sequence).ToList();
            Assert.True(
                sequences.SequenceEqual(sequences.Order()) && sequences.Distinct().Count() == sequences.Count,
                $"{perObject.Key}'s events arrived out of order: {string.Join(", ", sequences)}"
            );
        }

        var payins = await _receiver.WaitAsync("/lifecycle/payins", r => r.Count >= 1, "payin.confirmed");
        var only = Assert.Single(payins);
        Assert.Equal(("payin.confirmed", payin.Id, true), (only.Type, only.ObjectId, only.SignatureValid));
        Assert.Equal("SUCCEEDED", only.Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_receiver_that_fails_first_gets_the_event_on_the_scheduled_retry_and_every_attempt_is_visible()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/retry/flaky";
        var endpoint = await RegisterAsync(client, path, "order.created");
        _receiver.FailNext(path, 1);
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 5_000);

        var first = Assert.Single(await _receiver.WaitAsync(path, r => r.Count >= 1, "the first attempt"));
        Assert.Equal((500, true, order.Id), (first.AnsweredStatus, first.SignatureValid, first.ObjectId));
        var failed = await WaitForDeliveryAsync(client, endpoint.Id, d => d.Attempts == 1);
        Assert.Equal(
            (WebhookDeliveryStatus.Pending, 500, first.EventId),
            (failed.Status, failed.LastStatusCode, failed.EventId)
        );
        var attempt = Assert.Single(failed.AttemptLog);
        Assert.Equal(attempt.At.AddSeconds(FastWebhooksApiFactory.RetryScheduleSeconds[0]), failed.NextAttemptAt);
        Assert.Equal(attempt.At.ToUnixTimeSeconds(), first.Timestamp);
        await Task.Delay(300);
        Assert.Single(_receiver.ReceivedAt(path));

        factory.Clock.Advance(TimeSpan.FromSeconds(FastWebhooksApiFactory.RetryScheduleSeconds[0]));

        var both = await _receiver.WaitAsync(path, r => r.Count >= 2, "the retry");
        Assert.Equal((200, first.Id, true), (both[1].AnsweredStatus, both[1].Id, both[1].SignatureValid));
        Assert.Equal(first.Timestamp + FastWebhooksApiFactory.RetryScheduleSeconds[0], both[1].Timestamp);
        var delivered = await WaitForDeliveryAsync(
            client,
            endpoint.Id,
            d => d.Status == WebhookDeliveryStatus.Succeeded
        );
        Assert.Equal(
            new (int, int?)[] { (1, 500), (2, 200) },
            delivered.AttemptLog.Select(a => (a.Number, a.StatusCode))
        );
        Assert.Equal((2, 200), (delivered.Attempts, delivered.LastStatusCode));
        Assert.NotNull(delivered.DeliveredAt);
    }

    [Fact]
    public async Task An_endpoint_failing_for_the_whole_retry_window_is_disabled_and_gets_its_kept_events_once_enabled()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/retry/down";
        var endpoint = await RegisterAsync(client, path, "order.created");
        _receiver.FailNext(path, int.MaxValue);
        var parties = await client.CreatePartiesAsync();
        var first = await client.CreateOrderAsync(parties, 5_000);

        // Past the schedule's end the event is retried at its last interval: the endpoint is down, not the event.
        await WaitForDeliveryAsync(client, endpoint.Id, d => d.Attempts == 1);
        var elapsed = 0;
        for (var attempt = 2; elapsed < FastWebhooksApiFactory.DisableAfterSeconds; attempt++)
        {
            var wait = FastWebhooksApiFactory.RetryScheduleSeconds[
                Math.Min(attempt - 2, FastWebhooksApiFactory.RetryScheduleSeconds.Length - 1)
            ];
            factory.Clock.Advance(TimeSpan.FromSeconds(wait));
            elapsed += wait;
            var delivery = await WaitForDeliveryAsync(client, endpoint.Id, d => d.Attempts == attempt);
            Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        }

        var disabled = await client.GetJsonAsync<WebhookEndpointResponse>($"/v1/webhook_endpoints/{endpoint.Id}");
        Assert.Equal(WebhookEndpointStatus.Disabled, disabled.Status);
        Assert.Contains("Every delivery failed from", disabled.DisabledReason);
        Assert.NotNull(disabled.FailingSince);
        var kept = await WaitForDeliveryAsync(client, endpoint.Id, d => true);
        Assert.Equal(WebhookDeliveryStatus.Pending, kept.Status);
        var sentWhileUp = _receiver.ReceivedAt(path).Count;
        Assert.True(sentWhileUp > FastWebhooksApiFactory.RetryScheduleSeconds.Length + 1);

        // Events raised while it is disabled are queued, and nothing is sent to it.
        var second = await client.CreateOrderAsync(parties, 6_000);
        Assert.Equal(2, await factory.CountAsync("webhook_deliveries", $"endpoint_id = '{endpoint.Id}'"));
        factory.Clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        Assert.Equal(sentWhileUp, _receiver.ReceivedAt(path).Count);

        _receiver.FailNext(path, 0);
        var enabled = await (
            await client.PostJsonAsync($"/v1/webhook_endpoints/{endpoint.Id}/enable", new { })
        ).ReadAsync<WebhookEndpointResponse>();
        Assert.Equal(
            (WebhookEndpointStatus.Enabled, (string?)null, (DateTimeOffset?)null),
            (enabled.Status, enabled.DisabledReason, enabled.FailingSince)
        );
        var delivered = await _receiver.WaitAsync(
            path,
            r => r.Count(x => x.AnsweredStatus == 200) == 2,
            "both kept events after enabling"
        );
        Assert.Equal(
            new[] { first.Id, second.Id }.Order(StringComparer.Ordinal),
            delivered.Where(x => x.AnsweredStatus == 200).Select(x => x.ObjectId).Order(StringComparer.Ordinal)
        );
        Assert.All(delivered, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task One_event_the_receiver_always_refuses_is_given_up_while_the_endpoint_keeps_receiving_the_others()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/poison";
        var endpoint = await RegisterAsync(client, path, "*");
        var parties = await client.CreatePartiesAsync();
        const long poisonAmount = 5_123;
        _receiver.Answer(
            path,
            r => new ReceiverAnswer(
                r.Type == "order.created" && r.Data.GetProperty("amount").GetInt64() == poisonAmount ? 500 : 200
            )
        );
        var poisoned = await client.CreateOrderAsync(parties, poisonAmount);
        await client.ActAsync(poisoned.Id, "cancel");
        await _receiver.WaitAsync(path, r => r.Any(x => x.ObjectId == poisoned.Id), "the first refusal");

        // The endpoint answers other events between the refused event's retries.
        var healthy = await client.CreateOrderAsync(parties, 6_000);
        await _receiver.WaitAsync(path, r => r.Any(x => x.ObjectId == healthy.Id && x.AnsweredStatus == 200), "ok");
        for (var i = 0; i < FastWebhooksApiFactory.RetryScheduleSeconds.Length; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(FastWebhooksApiFactory.RetryScheduleSeconds[i]));
            var other = await client.CreateOrderAsync(parties, 7_000 + i);
            await _receiver.WaitAsync(
                path,
                r =>
                    // Attempts of the refused event itself: once it is given up (after the last retry), the
                    // object's later events follow at once, so they are not counted here.
                    r.Count(x => x.ObjectId == poisoned.Id && x.Type == "order.created")
                        == i + 2
                    && r.Any(x => x.ObjectId == other.Id && x.AnsweredStatus == 200),
                $"retry {i + 1} of the refused event and another event"
            );
        }

        var given = await WaitAsync(
            () => DeliveriesAsync(client, endpoint.Id),
            all => all.Any(d => d.Status == WebhookDeliveryStatus.Failed),
            "the refused event given up"
        );
        var failed = Assert.Single(given, d => d.Status == WebhookDeliveryStatus.Failed);
        Assert.Equal(
            ("order.created", FastWebhooksApiFactory.RetryScheduleSeconds.Length + 1),
            (failed.EventType, failed.Attempts)
        );
        var stillEnabled = await client.GetJsonAsync<WebhookEndpointResponse>($"/v1/webhook_endpoints/{endpoint.Id}");
        Assert.Equal(WebhookEndpointStatus.Enabled, stillEnabled.Status);

        // The object's next event is no longer held behind the one given up.
        await _receiver.WaitAsync(
            path,
            r => r.Any(x => x.ObjectId == poisoned.Id && x.Type == "order.status_changed" && x.AnsweredStatus == 200),
            "the refused object's next event"
        );

        // Once the receiver is fixed, the bulk resend delivers what was given up.
        _receiver.Answer(path, null);
        var retried = await (
            await client.PostJsonAsync($"/v1/webhook_endpoints/{endpoint.Id}/retry_failed", new { })
        ).ReadJsonAsync();
        Assert.Equal(1, retried.GetProperty("deliveries").GetInt32());
        await _receiver.WaitAsync(
            path,
            r => r.Any(x => x.EventId == failed.EventId && x.AnsweredStatus == 200),
            "the given-up event resent"
        );
    }

    [Fact]
    public async Task An_endpoint_answering_410_Gone_is_disabled_at_once_and_its_event_waits_for_it()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/gone";
        var endpoint = await RegisterAsync(client, path, "order.created");
        _receiver.Answer(path, _ => new ReceiverAnswer(410));
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 5_000);

        var attempt = await WaitForDeliveryAsync(client, endpoint.Id, d => d.Attempts == 1);
        var gone = await WaitAsync(
            () => client.GetJsonAsync<WebhookEndpointResponse>($"/v1/webhook_endpoints/{endpoint.Id}"),
            e => e.Status == WebhookEndpointStatus.Disabled,
            "the endpoint disabled"
        );
        Assert.Contains("410 Gone", gone.DisabledReason);
        Assert.Equal((WebhookDeliveryStatus.Pending, 410), (attempt.Status, attempt.LastStatusCode));
        factory.Clock.Advance(TimeSpan.FromSeconds(FastWebhooksApiFactory.RetryScheduleSeconds[^1] * 2));
        await Task.Delay(300);
        Assert.Single(_receiver.ReceivedAt(path));

        _receiver.Answer(path, null);
        await client.PostJsonAsync($"/v1/webhook_endpoints/{endpoint.Id}/enable", new { });
        await _receiver.WaitAsync(
            path,
            r => r.Any(x => x.ObjectId == order.Id && x.AnsweredStatus == 200),
            "the event after enabling"
        );
    }

    [Fact]
    public async Task A_429_with_Retry_After_holds_every_delivery_to_the_endpoint_until_then()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/throttled";
        var endpoint = await RegisterAsync(client, path, "order.created");
        var answered = 0;
        _receiver.Answer(
            path,
            _ =>
                Interlocked.Increment(ref answered) == 1
                    ? new ReceiverAnswer(429, RetryAfterSeconds: 20)
                    : ReceiverAnswer.Ok
        );
        var parties = await client.CreatePartiesAsync();
        var first = await client.CreateOrderAsync(parties, 5_000);

        var throttled = await WaitForDeliveryAsync(client, endpoint.Id, d => d.Attempts == 1);
        Assert.Equal(429, throttled.LastStatusCode);
        Assert.Equal(throttled.AttemptLog[0].At.AddSeconds(20), throttled.NextAttemptAt);

        // Another object's event is held too: the endpoint asked to be left alone for 20 s.
        var second = await client.CreateOrderAsync(parties, 6_000);
        factory.Clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(300);
        Assert.Single(_receiver.ReceivedAt(path));

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var both = await _receiver.WaitAsync(
            path,
            r => r.Count(x => x.AnsweredStatus == 200) == 2,
            "both events once the Retry-After has passed"
        );
        Assert.Equal(
            new[] { first.Id, second.Id }.Order(StringComparer.Ordinal),
            both.Where(x => x.AnsweredStatus == 200).Select(x => x.ObjectId).Order(StringComparer.Ordinal)
        );
        Assert.Equal(2, _receiver.ReceivedAt(path).Count(x => x.ObjectId == first.Id));
    }

    [Fact]
    public async Task An_event_is_resent_on_demand_with_the_same_id()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/resend";
        var endpoint = await RegisterAsync(client, path, "order.created");
        var parties = await client.CreatePartiesAsync();
        await client.CreateOrderAsync(parties, 5_000);
        var original = Assert.Single(await _receiver.WaitAsync(path, r => r.Count >= 1, "the event"));

        var resent = await (
            await client.PostJsonAsync($"/v1/events/{original.EventId}/resend", new { })
        ).ReadJsonAsync();

        Assert.Equal(1, resent.GetProperty("deliveries").GetInt32());
        var both = await _receiver.WaitAsync(path, r => r.Count >= 2, "the resent event");
        Assert.Equal((original.Id, original.Body, true), (both[1].Id, both[1].Body, both[1].SignatureValid));
        var deliveries = await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
            $"/v1/webhook_endpoints/{endpoint.Id}/deliveries"
        );
        Assert.Equal(2, deliveries.Data.Count(d => d.EventId == original.EventId));

        using var other = await factory.CreatePlatformAsync();
        await (await other.PostJsonAsync($"/v1/events/{original.EventId}/resend", new { })).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await (
            await client.PostJsonAsync(
                $"/v1/events/{original.EventId}/resend?endpoint_id=we_00000000000000000000000000",
                new { }
            )
        ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing");
    }

    [Fact]
    public async Task A_secret_rolled_without_grace_signs_the_next_deliveries_alone()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/roll";
        var endpoint = await RegisterAsync(client, path, "order.created");
        var parties = await client.CreatePartiesAsync();
        await client.CreateOrderAsync(parties, 5_000);
        await _receiver.WaitAsync(
            path,
            r => r.Count >= 1 && r[0].SignatureValid,
            "an event signed with the first secret"
        );

        await (
            await client.PostJsonAsync(
                $"/v1/webhook_endpoints/{endpoint.Id}/roll_secret",
                new { grace_period_seconds = 604_801 }
            )
        ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        var rolled = await (
            await client.PostJsonAsync(
                $"/v1/webhook_endpoints/{endpoint.Id}/roll_secret",
                new { grace_period_seconds = 0 }
            )
        ).ReadAsync<WebhookEndpointResponse>();
        _receiver.Expect(path, rolled.Secret!);
        var second = await client.CreateOrderAsync(parties, 6_000);

        Assert.StartsWith("whsec_", rolled.Secret);
        Assert.NotEqual(endpoint.Secret, rolled.Secret);
        var after = (
            await _receiver.WaitAsync(path, r => r.Any(x => x.ObjectId == second.Id), "an event after the roll")
        ).Single(x => x.ObjectId == second.Id);
        Assert.True(after.SignatureValid);
        Assert.Null(rolled.PreviousSecretExpiresAt);
        Assert.False(after.VerifiesWith(endpoint.Secret!));
        Assert.Single(after.Signature.Split(' '));
        var fetched = await client.GetJsonAsync<WebhookEndpointResponse>($"/v1/webhook_endpoints/{endpoint.Id}");
        Assert.Null(fetched.Secret);
        var listed = await client.GetJsonAsync<Page<WebhookEndpointResponse>>("/v1/webhook_endpoints");
        Assert.All(listed.Data, e => Assert.Null(e.Secret));
    }

    [Fact]
    public async Task A_rolled_secret_signs_next_to_the_old_one_for_the_grace_period_and_alone_after_it()
    {
        using var client = await factory.CreatePlatformAsync();
        const string path = "/roll/grace";
        var endpoint = await RegisterAsync(client, path, "order.created");
        var parties = await client.CreatePartiesAsync();

        var rolled = await (
            await client.PostJsonAsync(
                $"/v1/webhook_endpoints/{endpoint.Id}/roll_secret",
                new { grace_period_seconds = 30 }
            )
        ).ReadAsync<WebhookEndpointResponse>();
        Assert.Equal(factory.Clock.GetUtcNow().AddSeconds(30), rolled.PreviousSecretExpiresAt);
        var during = await client.CreateOrderAsync(parties, 5_000);
        var inGrace = (await _receiver.WaitAsync(path, r => r.Any(x => x.ObjectId == during.Id), "an event")).Single();
        Assert.Equal(2, inGrace.Signature.Split(' ').Length);
        Assert.True(inGrace.VerifiesWith(endpoint.Secret!), "the old secret is refused in its grace period");
        Assert.True(inGrace.VerifiesWith(rolled.Secret!), "the new secret is refused");

        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var after = await client.CreateOrderAsync(parties, 6_000);
        var late = (await _receiver.WaitAsync(path, r => r.Any(x => x.ObjectId == after.Id), "an event")).Last();
        Assert.Single(late.Signature.Split(' '));
        Assert.False(late.VerifiesWith(endpoint.Secret!), "the old secret still verifies after its grace period");
        Assert.True(late.VerifiesWith(rolled.Secret!));
    }

    [Fact]
    public async Task The_event_feed_filters_by_type_pages_by_cursor_and_shows_only_the_platforms_own_events()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        var orders = new List<OrderResponse>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add(await client.CreateOrderAsync(parties, 1_000 + i));
        }

        await client.PayOrderByCardAsync(orders[0].Id);

        var first = await client.GetJsonAsync<Page<EventResponse>>("/v1/events?type=order.created&limit=2");
        var second = await client.GetJsonAsync<Page<EventResponse>>(
            $"/v1/events?type=order.created&limit=2&starting_after={first.Data[^1].Id}"
        );

        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        var created = first.Data.Concat(second.Data).ToList();
        Assert.Equal(orders.Select(o => o.Id).Reverse(), created.Select(e => e.ObjectId));
        Assert.All(created, e => Assert.Equal("order.created", e.Type));
        var confirmed = Assert.Single(
            (await client.GetJsonAsync<Page<EventResponse>>("/v1/events?type=payin.confirmed")).Data
        );
        Assert.Equal(orders[0].Id, confirmed.Data.GetProperty("order_id").GetString());

        var one = await client.GetJsonAsync<EventResponse>($"/v1/events/{created[0].Id}");
        Assert.Equal(
            (created[0].Type, created[0].Sequence, orders[2].Id, "DRAFT", 1_002L),
            (
                one.Type,
                one.Sequence,
                one.Data.GetProperty("id").GetString(),
                one.Data.GetProperty("status").GetString(),
                one.Data.GetProperty("amount").GetInt64()
            )
        );

        using var other = await factory.CreatePlatformAsync();
        await (await other.GetAsync($"/v1/events/{one.Id}")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        Assert.Empty((await other.GetJsonAsync<Page<EventResponse>>("/v1/events")).Data);
    }

    private async Task<WebhookEndpointResponse> RegisterAsync(HttpClient client, string path, params string[] types)
    {
        var endpoint = await (
            await client.PostJsonAsync("/v1/webhook_endpoints", new { url = _receiver.Url(path), event_types = types })
        ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);
        _receiver.Expect(path, endpoint.Secret!);
        return endpoint;
    }

    private static async Task<IReadOnlyList<WebhookDeliveryResponse>> DeliveriesAsync(
        HttpClient client,
        string endpointId
    ) =>
        (
            await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
                $"/v1/webhook_endpoints/{endpointId}/deliveries?limit=100"
            )
        ).Data;

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"Timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Polls the endpoint's only delivery until <paramref name="done"/> holds (an attempt is saved after the receiver
    /// has answered, so the receiver can see a request before the API shows it).
    /// </summary>
    private static async Task<WebhookDeliveryResponse> WaitForDeliveryAsync(
        HttpClient client,
        string endpointId,
        Func<WebhookDeliveryResponse, bool> done
    )
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var deliveries = await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
                $"/v1/webhook_endpoints/{endpointId}/deliveries"
            );
            var delivery = Assert.Single(deliveries.Data);
            if (done(delivery))
            {
                return delivery;
            }

            Assert.True(
                watch.Elapsed < TimeSpan.FromSeconds(15),
                $"Delivery {delivery.Id} stayed {delivery.Status} after {delivery.Attempts} attempts"
            );
            await Task.Delay(20);
        }
    }
}
