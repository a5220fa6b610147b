using System.Net;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Platforms;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Wallets;
using Truust.Domain.Orders;

namespace Truust.Api.Tests.Performance;

/// <summary>
/// A factory whose read caches never expire on their own and whose workers, once idle, poll only every ten minutes:
/// whatever these tests see happen promptly was made to happen by a notification or a wake-up, not by time.
/// </summary>
public sealed class SlowPollLongCacheApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Truust:ReadCacheSeconds", "3600");
        builder.UseSetting("Workers:PollMilliseconds", "600000");
    }
}

/// <summary>
/// What the speed work changed on the hot path keeps every guarantee (bench/README.md measures the speed).
/// </summary>
public sealed class HotPathCorrectnessTests(SlowPollLongCacheApiFactory factory)
    : IClassFixture<SlowPollLongCacheApiFactory>
{
    [Fact]
    public async Task A_cached_key_revoked_through_the_api_is_refused_by_the_very_next_request()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var operatorClient = factory.OperatorClient();
        var key = await (
            await operatorClient.PostJsonAsync($"/v1/platforms/{platform.Id}/api_keys", new { label = "cached" })
        ).ReadAsync<ApiKeyResponse>(HttpStatusCode.Created);
        using var client = factory.ClientWithKey(key.Secret!);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(platform.Id, (await client.GetJsonAsync<PlatformResponse>("/v1/platform")).Id);
        }

        await (
            await operatorClient.DeleteAsync($"/v1/platforms/{platform.Id}/api_keys/{key.Id}")
        ).ReadAsync<ApiKeyResponse>();

        await (await client.GetAsync("/v1/platform")).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_cached_key_revoked_in_the_database_by_another_writer_is_refused_without_waiting_for_expiry()
    {
        var platform = await factory.CreateTestPlatformAsync();
        Assert.Equal(platform.Id, (await platform.Client.GetJsonAsync<PlatformResponse>("/v1/platform")).Id);

        // Another process (an operator's psql, another instance) revokes it: only the database's notification can
        // reach this process, and the cache would otherwise keep the key for an hour.
        await using (var connection = await factory.OpenConnectionAsync())
        {
            await using var revoke = new Npgsql.NpgsqlCommand(
                $"UPDATE api_keys SET revoked_at = now() WHERE id = '{platform.ApiKeyId}'",
                connection
            );
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        var refused = false;
        for (var attempt = 0; attempt < 200 && !refused; attempt++)
        {
            refused = (await platform.Client.GetAsync("/v1/platform")).StatusCode == HttpStatusCode.Unauthorized;
            if (!refused)
            {
                await Task.Delay(25);
            }
        }

        Assert.True(refused, "The key revoked in the database was still accepted (no notification reached the cache).");
    }

    [Fact]
    public async Task A_webhook_endpoint_created_after_the_platform_endpoints_were_cached_gets_the_next_event()
    {
        var platform = await factory.CreateTestPlatformAsync();
        var client = platform.Client;
        var parties = await client.CreatePartiesAsync();
        var before = await client.CreateOrderAsync(parties, 1_000); // caches "no endpoints" for this platform
        var created = await client.PostJsonAsync(
            "/v1/webhook_endpoints",
            new { url = "https://hooks.example.com/truust", event_types = new[] { "*" } }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var after = await client.CreateOrderAsync(parties, 1_000);
        Assert.Equal(0, await DeliveriesForAsync(before.Id));
        var deliveries = await DeliveriesForAsync(after.Id);
        // order.created and order.status_changed (its buyer is identified at creation: PENDING_PUBLISH).
        Assert.Equal(2, deliveries);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Validating_wakes_the_release_worker_even_when_its_poll_is_ten_minutes()
    {
        using var client = (await factory.CreateTestPlatformAsync()).Client;
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 2_500);
        await client.PayOrderByCardAsync(order.Id);

        var released = await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        Assert.Equal(OrderStatus.Released, released.Status);
        Assert.Equal(2_500, await client.BalanceAsync(parties.SellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_transfer_with_or_without_a_key_writes_in_one_transaction_and_a_refusal_changes_nothing()
    {
        using var client = (await factory.CreateTestPlatformAsync()).Client;
        var from = await client.CreateFundedWalletAsync(10_000);
        var to = await client.CreateFundedWalletAsync(0);

        foreach (var key in new[] { null, "one-transaction" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers")
            {
                Content = JsonContent(
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = to.Id,
                        amount = 100,
                    }
                ),
            };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            var response = await client.SendAsync(request);
            var transfer = await response.ReadAsync<TransferResponse>(HttpStatusCode.Created);
            // Every row the transfer wrote (both wallets, the transfer, its ledger transfer, its event and the key's
            // record with the stored response) carries the id of one and the same transaction: one commit.
            var keyRows = key is null ? "" : $"UNION ALL SELECT xmin FROM idempotency_records WHERE key = '{key}'";
            Assert.Equal(
                1,
                await ScalarAsync(
                    $"""
                    SELECT count(DISTINCT xmin::text) FROM (
                        SELECT xmin FROM wallets WHERE id IN ('{from.Id}', '{to.Id}')
                        UNION ALL SELECT xmin FROM wallet_transfers WHERE id = '{transfer.Id}'
                        UNION ALL SELECT xmin FROM ledger_transfers WHERE reference = '{transfer.Id}'
                        UNION ALL SELECT xmin FROM events WHERE object_id = '{transfer.Id}'
                        {keyRows}) rows
                    """
                )
            );
            Assert.Equal(
                key is null ? 5 : 6,
                await ScalarAsync(
                    $"""
                    SELECT (SELECT count(*) FROM wallets WHERE id IN ('{from.Id}', '{to.Id}'))
                        + (SELECT count(*) FROM wallet_transfers WHERE id = '{transfer.Id}')
                        + (SELECT count(*) FROM ledger_transfers WHERE reference = '{transfer.Id}')
                        + (SELECT count(*) FROM events WHERE object_id = '{transfer.Id}')
                        + (SELECT count(*) FROM idempotency_records WHERE key = '{key}' AND status = 'DONE')
                    """
                )
            );
        }

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = "wal_00000000000000000000000000",
                        amount = 1,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        Assert.Equal(9_800, await client.BalanceAsync(from.Id));
        Assert.Equal(200, await client.BalanceAsync(to.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    private Task<long> DeliveriesForAsync(string objectId) =>
        factory.CountAsync("webhook_deliveries", $"event_id IN (SELECT id FROM events WHERE object_id = '{objectId}')");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
