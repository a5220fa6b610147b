using System.Text.Json.Nodes;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain.Events;

namespace Truust.Api.Tests.Contract;

/// <summary>
/// Each event type's payload is described in the document: one family schema per row of
/// <see cref="EventPayloads.Families"/> (<c>OrderEvent</c>, <c>PayinEvent</c>, ...), and the events Truust really
/// raises validate against the family of their type.
/// </summary>
public sealed class EventContractTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private static readonly OpenApiContractDocument Document = new(
        File.ReadAllText(RepositoryFiles.Path("docs/openapi.json"))
    );

    [Fact]
    public void Every_event_type_is_described_by_exactly_one_family_schema_of_the_document()
    {
        var schemas = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("docs/openapi.json")))!["components"]![
            "schemas"
        ]!;
        var described = EventPayloads
            .Families.SelectMany(f =>
                schemas[f.Schema]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => (Type: t!.ToString(), f))
            )
            .ToList();
        Assert.Equal(EventTypes.All.Order(), described.Select(d => d.Type).Order());
        Assert.All(
            EventPayloads.Families,
            f =>
                Assert.Equal(
                    $"#/components/schemas/{f.Data.Name}",
                    schemas[f.Schema]!["properties"]!["data"]!["$ref"]!.ToString()
                )
        );
    }

    [Fact]
    public async Task The_events_of_an_order_paid_released_and_transferred_on_validate_against_their_family()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 12_500);
        await client.PayOrderByCardAsync(order.Id);
        await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);
        await client.TransferAsync(parties.SellerWallet.Id, parties.BuyerWallet.Id, 2_500);

        var seen = await AssertEventsMatchTheirFamiliesAsync(client);
        Assert.Superset(
            new HashSet<string> { "order.created", "order.status_changed", "payin.confirmed", "transfer.created" },
            seen
        );
        Assert.Contains(seen, t => t.StartsWith("payout.", StringComparison.Ordinal));
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// Reads every event of the client's platform from GET /v1/events and checks each against the family schema of
    /// its type; returns the types seen. Other tests call it after a lifecycle (disputes, campaigns).
    /// </summary>
    public static async Task<HashSet<string>> AssertEventsMatchTheirFamiliesAsync(HttpClient client)
    {
        var family = EventPayloads.Families.SelectMany(f => f.Types.Select(t => (t, f.Schema))).ToDictionary();
        var seen = new HashSet<string>();
        string? after = null;
        do
        {
            var page = JsonNode.Parse(
                await client.GetStringAsync("/v1/events?limit=100" + (after is null ? "" : $"&starting_after={after}"))
            )!;
            foreach (var e in page["data"]!.AsArray())
            {
                var type = e!["type"]!.ToString();
                Assert.True(family.ContainsKey(type), $"{type} is in no family of EventPayloads");
                var errors = Document.Validate(family[type], e);
                Assert.True(errors is null, $"{type} does not match {family[type]}: {errors}\n{e.ToJsonString()}");
                seen.Add(type);
            }

            after = page["next_cursor"]?.ToString();
        } while (after is not null);

        Assert.NotEmpty(seen);
        return seen;
    }
}
