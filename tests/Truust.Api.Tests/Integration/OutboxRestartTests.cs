using System.Net;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain.Webhooks;

namespace Truust.Api.Tests.Integration;

/// <summary>
/// No lost event: an event is an outbox row committed with its change, so an instance that stops after the commit
/// and before delivering it loses nothing; the next instance on the same database delivers it.
/// </summary>
public sealed class OutboxRestartTests
{
    private const string Path = "/restart";

    [Fact]
    public async Task An_event_committed_while_no_worker_ran_is_delivered_by_the_instance_that_starts_next()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var instances = new Instances();
        var (platform, order) = await instances.CommitAnOrderAsync(receiver);

        await Task.Delay(300);
        Assert.Empty(receiver.ReceivedAt(Path));
        Assert.Equal(1, await CountAsync(instances.Database, "webhook_deliveries", "status = 'PENDING'"));

        var second = await instances.RestartAsync();

        var received = Assert.Single(await receiver.WaitAsync(Path, r => r.Count >= 1, "the event after the restart"));
        Assert.Equal(
            ("order.created", order.Id, true, 200),
            (received.Type, received.ObjectId, received.SignatureValid, received.AnsweredStatus)
        );
        await AssertDeliveredAsync(second, platform);
        await LedgerInvariants.AssertAsync(instances.Database);
    }

    [Fact]
    public async Task A_delivery_claimed_by_an_instance_that_died_is_delivered_once_its_lease_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var instances = new Instances();
        var (platform, order) = await instances.CommitAnOrderAsync(receiver);
        // What the delivery job's claim does before it calls the endpoint: lease the row for a minute.
        var leasedUntil = instances.First.Clock.GetUtcNow().AddSeconds(60);
        Assert.Equal(
            1,
            await ExecuteAsync(
                instances.Database,
                "UPDATE webhook_deliveries SET next_attempt_at = @until WHERE status = 'PENDING'",
                leasedUntil
            )
        );

        var second = await instances.RestartAsync();
        await Task.Delay(300);
        Assert.Empty(receiver.ReceivedAt(Path));

        second.Clock.SetUtcNow(leasedUntil.AddSeconds(1));

        var received = Assert.Single(await receiver.WaitAsync(Path, r => r.Count >= 1, "the event after the lease"));
        Assert.Equal((order.Id, true), (received.ObjectId, received.SignatureValid));
        await AssertDeliveredAsync(second, platform);
    }

    private static async Task AssertDeliveredAsync(TruustApiFactory instance, TestPlatform platform)
    {
        using var client = instance.ClientWithKey(platform.Secret);
        var endpoints = await client.GetJsonAsync<Page<WebhookEndpointResponse>>("/v1/webhook_endpoints");
        var deliveries = await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
            $"/v1/webhook_endpoints/{Assert.Single(endpoints.Data).Id}/deliveries"
        );
        var delivery = Assert.Single(deliveries.Data);
        for (var i = 0; i < 100 && delivery.Status != WebhookDeliveryStatus.Succeeded; i++)
        {
            await Task.Delay(20);
            delivery = Assert.Single(
                (
                    await client.GetJsonAsync<Page<WebhookDeliveryResponse>>(
                        $"/v1/webhook_endpoints/{delivery.EndpointId}/deliveries"
                    )
                ).Data
            );
        }

        Assert.Equal((WebhookDeliveryStatus.Succeeded, 1), (delivery.Status, delivery.Attempts));
    }

    private static async Task<long> CountAsync(string database, string table, string where)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(string database, string sql, DateTimeOffset until)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("until", until);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A first instance without workers, and the instance that replaces it on the same database.</summary>
    private sealed class Instances : IAsyncDisposable
    {
        private SameDatabaseApiFactory? _second;

        public NoWorkersApiFactory First { get; } = new();

        public string Database => First.ConnectionString;

        public async Task<(TestPlatform Platform, OrderResponse Order)> CommitAnOrderAsync(WebhookReceiver receiver)
        {
            await ((IAsyncLifetime)First).InitializeAsync();
            var platform = await First.CreateTestPlatformAsync();
            var endpoint = await (
                await platform.Client.PostJsonAsync(
                    "/v1/webhook_endpoints",
                    new { url = receiver.Url(Path), event_types = new[] { "order.created" } }
                )
            ).ReadAsync<WebhookEndpointResponse>(HttpStatusCode.Created);
            receiver.Expect(Path, endpoint.Secret!);
            var order = await platform.Client.CreateOrderAsync(await platform.Client.CreatePartiesAsync(), 5_000);
            return (platform, order);
        }

        /// <summary>Stops the first instance (its database stays) and starts the second, with workers.</summary>
        public async Task<TruustApiFactory> RestartAsync()
        {
            await First.DisposeAsync();
            _second = new SameDatabaseApiFactory(Database);
            await ((IAsyncLifetime)_second).InitializeAsync();
            return _second;
        }

        public async ValueTask DisposeAsync()
        {
            if (_second is not null)
            {
                await ((IAsyncLifetime)_second).DisposeAsync();
            }

            await ((IAsyncLifetime)First).DisposeAsync();
        }
    }
}
