using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Campaigns;
using Truust.Api.Tests.Campaigns;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// The API with no background work (nothing may change the database between two snapshots but the requests) and
/// rate limits out of the way (a 429 would hide what the endpoint itself answers).
/// </summary>
public sealed class HostileInputApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:Enabled", "false");
        foreach (
            var limit in new[]
            {
                "PermitsPerSecond",
                "Burst",
                "UnauthenticatedPermitsPerSecond",
                "UnauthenticatedBurst",
            }
        )
        {
            builder.UseSetting($"RateLimits:{limit}", "1000000");
        }
    }

    private Task<HostileWorld>? _world;
    private Task<IReadOnlyList<OperationShape>>? _operations;

    /// <summary>The objects hostile requests aim at, created once for all the tests of a class.</summary>
    public Task<HostileWorld> WorldAsync() => _world ??= HostileWorld.CreateAsync(this);

    /// <summary>Every operation of the API's own OpenAPI document.</summary>
    public Task<IReadOnlyList<OperationShape>> OperationsAsync() => _operations ??= ReadOperationsAsync();

    private async Task<IReadOnlyList<OperationShape>> ReadOperationsAsync()
    {
        using var client = AnonymousClient();
        var document = await client.GetJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        return OpenApiOperations.Read(document);
    }
}

/// <summary>
/// Two platforms with real objects of every kind the API has ids for: the caller's own (a hostile request may name
/// them) and another platform's (which the caller must never reach). Ids are listed by the collection that names
/// them in a path (<c>orders</c>, <c>wallets</c>, ...).
/// </summary>
public sealed class HostileWorld
{
    private HostileWorld(TestPlatform platform, TestPlatform other, DateTimeOffset now)
    {
        Platform = platform;
        Other = other;
        Now = now;
    }

    public TestPlatform Platform { get; }

    public TestPlatform Other { get; }

    public DateTimeOffset Now { get; }

    /// <summary>The caller's own ids by collection.</summary>
    public Dictionary<string, List<string>> Own { get; } = [];

    /// <summary>The other platform's ids by collection.</summary>
    public Dictionary<string, List<string>> Foreign { get; } = [];

    public static async Task<HostileWorld> CreateAsync(TruustApiFactory factory)
    {
        var world = new HostileWorld(
            await factory.CreateTestPlatformAsync("Hostile input platform"),
            await factory.CreateTestPlatformAsync("Another platform"),
            factory.Clock.GetUtcNow()
        );
        await PopulateAsync(world.Platform, world.Own, world.Now, everything: true);
        await PopulateAsync(world.Other, world.Foreign, world.Now, everything: false);
        return world;
    }

    /// <summary>An id from <paramref name="collection"/>, own or foreign, or null when there is none.</summary>
    public string? Pick(string collection, bool foreign, int index)
    {
        var ids = (foreign ? Foreign : Own).GetValueOrDefault(collection);
        return ids is null || ids.Count == 0 ? null : ids[index % ids.Count];
    }

    private static async Task PopulateAsync(
        TestPlatform platform,
        Dictionary<string, List<string>> ids,
        DateTimeOffset now,
        bool everything
    )
    {
        void Add(string collection, string id) =>
            (ids.TryGetValue(collection, out var list) ? list : ids[collection] = []).Add(id);

        var client = platform.Client;
        Add("platforms", platform.Id);
        Add("api_keys", platform.ApiKeyId);
        var parties = await client.CreatePartiesAsync();
        Add("customers", parties.Buyer.Id);
        Add("customers", parties.Seller.Id);
        Add("wallets", parties.BuyerWallet.Id);
        Add("wallets", parties.SellerWallet.Id);
        Add("bank_accounts", (await client.CreateBankAccountAsync(parties.Seller.Id)).Id);
        Add("payins", (await MoneyFlows.TopUpByCardAsync(client, parties.BuyerWallet.Id, 50_000)).Id);

        var draft = await client.CreateOrderAsync(parties, 1_000);
        Add("orders", draft.Id);
        var paid = await client.CreateOrderAsync(parties, 2_000);
        Add("payins", (await client.PayOrderByCardAsync(paid.Id)).Id);
        Add("orders", paid.Id);
        Add(
            "webhook_endpoints",
            await IdOfAsync(
                await client.PostJsonAsync(
                    "/v1/webhook_endpoints",
                    new { url = "https://hooks.example.com/truust", event_types = new[] { "*" } }
                )
            )
        );
        var events = await client.GetJsonAsync<JsonElement>("/v1/events?limit=2");
        foreach (var e in events.GetProperty("data").EnumerateArray())
        {
            Add("events", e.GetProperty("id").GetString()!);
        }

        if (!everything)
        {
            return;
        }

        var awaiting = await client.CreateOrderAsync(parties, 3_000);
        await client.PayOrderByCardAsync(awaiting.Id);
        await client.ActAsync(awaiting.Id, "accept");
        Add(
            "payouts",
            await IdOfAsync(
                await client.PostJsonAsync(
                    "/v1/payouts",
                    new
                    {
                        order_id = awaiting.Id,
                        type = "WALLET",
                        wallet_id = parties.SellerWallet.Id,
                    }
                )
            )
        );
        Add("orders", awaiting.Id);
        Add(
            "order_groups",
            await IdOfAsync(
                await client.PostJsonAsync(
                    "/v1/order_groups",
                    new
                    {
                        buyer_id = parties.Buyer.Id,
                        currency = "EUR",
                        orders = new[]
                        {
                            new
                            {
                                seller_id = parties.Seller.Id,
                                name = "Bike",
                                amount = 3_000,
                            },
                        },
                    }
                )
            )
        );
        CampaignResponse campaign = await client.CreateCampaignAsync(parties.Seller.Id, 100_000, now.AddDays(30));
        Add("campaigns", campaign.Id);
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
