using System.Net;
using System.Text.Json;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Integration;

/// <summary>Idempotency-Key: retries, even simultaneous ones, never take effect twice.</summary>
public sealed class IdempotencyTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const int Duplicates = 20;

    [Fact]
    public async Task Twenty_simultaneous_transfers_with_one_key_move_the_money_once_and_answer_alike()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(10_000);
        var to = await client.CreateFundedWalletAsync(0);
        var key = $"transfer-{Guid.NewGuid():N}";
        var body = new
        {
            from_wallet_id = from.Id,
            to_wallet_id = to.Id,
            amount = 1_000,
        };

        var responses = await SendSimultaneouslyAsync(client, "/v1/transfers", body, key);

        var completed = AssertOneEffectAnsweredAlike(responses);
        var transfer = JsonSerializer.Deserialize<TransferResponse>(completed, JsonDefaults.Options)!;
        Assert.Equal(1, await factory.CountAsync("wallet_transfers", $"from_wallet_id = '{from.Id}'"));
        Assert.Equal((9_000L, 1_000L), (await client.BalanceAsync(from.Id), await client.BalanceAsync(to.Id)));

        var replay = await PostAsync(client, "/v1/transfers", body, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader)));
        Assert.Equal(completed, await replay.Content.ReadAsStringAsync());
        Assert.Equal(transfer.Id, JsonSerializer.Deserialize<TransferResponse>(completed, JsonDefaults.Options)!.Id);
        Assert.Equal(9_000, await client.BalanceAsync(from.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Twenty_simultaneous_order_creations_with_one_key_create_one_order()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        var name = $"Bike {Guid.NewGuid():N}";
        var body = new
        {
            name,
            amount = 5_000,
            currency = "EUR",
            seller_id = parties.Seller.Id,
        };

        var responses = await SendSimultaneouslyAsync(client, "/v1/orders", body, "order-1");

        var completed = AssertOneEffectAnsweredAlike(responses);
        var order = JsonSerializer.Deserialize<OrderResponse>(completed, JsonDefaults.Options)!;
        Assert.Equal(1, await factory.CountAsync("orders", $"name = '{name}'"));
        Assert.Equal(1, await factory.CountAsync("events", $"type = 'order.created' AND object_id = '{order.Id}'"));
    }

    [Fact]
    public async Task Different_keys_make_different_effects_and_the_same_key_replays_the_first()
    {
        using var client = await factory.CreatePlatformAsync();
        var ada = new { name = "Ada", email = "ada@example.com" };
        var first = await PostAsync(client, "/v1/customers", ada, "customer-a");
        var second = await PostAsync(client, "/v1/customers", ada, "customer-b");
        var replayed = await PostAsync(client, "/v1/customers", ada, "customer-a");

        Assert.Equal(
            (HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created),
            (first.StatusCode, second.StatusCode, replayed.StatusCode)
        );
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.False(second.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.True(replayed.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        var ids = new List<string>();
        foreach (var response in new[] { first, second, replayed })
        {
            ids.Add((await response.ReadAsync<CustomerResponse>(HttpStatusCode.Created)).Id);
        }

        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_idempotency_key_reused_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(10_000);
        var to = await client.CreateFundedWalletAsync(0);
        await (
            await PostAsync(
                client,
                "/v1/transfers",
                new
                {
                    from_wallet_id = from.Id,
                    to_wallet_id = to.Id,
                    amount = 100,
                },
                "rent"
            )
        ).ReadAsync<TransferResponse>(HttpStatusCode.Created);

        await factory.AssertUnchangedAsync(async () =>
            await (
                await PostAsync(
                    client,
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = to.Id,
                        amount = 101,
                    },
                    "rent"
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await PostAsync(
                    client,
                    "/v1/transfers/batch",
                    new
                    {
                        legs = new[]
                        {
                            new
                            {
                                from_wallet_id = from.Id,
                                to_wallet_id = to.Id,
                                amount = 100,
                            },
                        },
                    },
                    "rent"
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused")
        );

        Assert.Equal(9_900, await client.BalanceAsync(from.Id));
    }

    [Fact]
    public async Task Keys_belong_to_one_platform_so_two_platforms_using_one_key_get_two_effects()
    {
        using var first = await factory.CreatePlatformAsync();
        using var second = await factory.CreatePlatformAsync();
        var body = new { name = "Same name", email = $"same+{Guid.NewGuid():N}@example.com" };

        var a = await (await PostAsync(first, "/v1/customers", body, "shared-key")).ReadAsync<CustomerResponse>(
            HttpStatusCode.Created
        );
        var bResponse = await PostAsync(second, "/v1/customers", body, "shared-key");
        var b = await bResponse.ReadAsync<CustomerResponse>(HttpStatusCode.Created);

        Assert.NotEqual(a.Id, b.Id);
        Assert.False(bResponse.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(2, await factory.CountAsync("customers", $"email = '{body.email}'"));
        await (await second.GetAsync($"/v1/customers/{a.Id}")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_400_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await PostAsync(
                    client,
                    "/v1/customers",
                    new { name = "Ada", email = "ada@example.com" },
                    new string('k', 256)
                )
            ).ReadProblemAsync(HttpStatusCode.BadRequest, "invalid_idempotency_key")
        );
    }

    /// <summary>
    /// Exactly one effect: every response is 201 with the same body, or 409 idempotency_request_in_flight; none
    /// is a 500. Returns the body of the completed ones.
    /// </summary>
    private static string AssertOneEffectAnsweredAlike(IReadOnlyList<(HttpStatusCode Status, string Body)> responses)
    {
        var unexpected = responses
            .Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            .ToList();
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected.Select(r => $"{(int)r.Status}: {r.Body}")));
        var completed = responses
            .Where(r => r.Status == HttpStatusCode.Created)
            .Select(r => r.Body)
            .Distinct()
            .ToList();
        var body = Assert.Single(completed);
        Assert.All(
            responses.Where(r => r.Status == HttpStatusCode.Conflict),
            r =>
            {
                using var problem = JsonDocument.Parse(r.Body);
                Assert.Equal("idempotency_request_in_flight", problem.RootElement.GetProperty("code").GetString());
            }
        );
        return body;
    }

    private static async Task<IReadOnlyList<(HttpStatusCode Status, string Body)>> SendSimultaneouslyAsync(
        HttpClient client,
        string path,
        object body,
        string key
    )
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable
            .Range(0, Duplicates)
            .Select(async _ =>
            {
                await start.WaitAsync();
                using var response = await PostAsync(client, path, body, key);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            })
            .ToList();
        start.Release(Duplicates);
        return await Task.WhenAll(requests);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = HttpJson.Content(body) };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return client.SendAsync(request);
    }
}
