using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Truust.Api.Customers;
using Truust.Api.Disputes;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Platforms;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain.Customers;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api;

/// <summary>
/// One realistic example per main response object of the OpenAPI document (and its list envelope): built from the
/// response records themselves and written with the API's own JSON options, so an example has exactly the wire's
/// members, names and casing. One story: a 125.00 EUR order paid by card, released to the seller's wallet, disputed.
/// </summary>
public static class OpenApiExamples
{
    private const string Order = "ord_06h3rg1cp5gsqe7k4vdnyh9kt8";
    private const string Buyer = "cus_06h3rg0zq4w1m2c9r5tk8x7bd0";
    private const string Seller = "cus_06h3rg10a7n3x5e2v9pq4jz6hc";
    private const string SellerWallet = "wal_06h3rg11f2k8s4d7m1xq9bn3ve";
    private const string BuyerWallet = "wal_06h3rg10w5c2r8j4n6tz1hk7ma";
    private const string Payin = "pay_06h3rg1fd3m7q9x2c5vb8kw4nt";
    private const string Base = "http://localhost:5080";
    private static readonly DateTimeOffset Created = new(2026, 12, 3, 10, 15, 0, TimeSpan.Zero);

    /// <summary>The example of each response type; <see cref="Page{T}"/> of one gets a page holding it.</summary>
    public static IReadOnlyDictionary<Type, object> ByType { get; } =
        new object[]
        {
            new OrderResponse(
                Order,
                "Vintage bicycle",
                12_500,
                "EUR",
                OrderStatus.Accepted,
                Buyer,
                Seller,
                12_500,
                0,
                625,
                [new SplitResponse(SellerWallet, 11_875, null)],
                Payin,
                null,
                null,
                null,
                $"{Base}/b/bl_4f9c2a7e1d",
                $"{Base}/s/sl_8b3e6d1f0a",
                "https://shop.example.com/orders/1042/paid",
                "https://shop.example.com/orders/1042/failed",
                null,
                null,
                ["validate", "deliver", "cancel"],
                new Dictionary<string, string> { ["shop_order"] = "1042" },
                Created,
                Created.AddMinutes(12),
                null,
                new ReleasePolicyResponse(72, true, 72, 72, SilenceWinner.Counterparty),
                null,
                null,
                null,
                null,
                []
            ),
            new PayinResponse(
                Payin,
                Order,
                null,
                null,
                PayinPurpose.Order,
                PayinType.Addon,
                PayinStatus.Succeeded,
                12_500,
                "EUR",
                $"{Base}/pay/pt_2d7a9c4e6b",
                null,
                new CardSummary("visa", "4242", "12/28"),
                null,
                null,
                null,
                Created.AddMinutes(2),
                Created.AddMinutes(3)
            ),
            new PayoutResponse(
                "po_06h3rg2ab4k6m8p1r3t5v7x9zc",
                Order,
                Seller,
                PayoutType.Wallet,
                PayoutStatus.Paid,
                11_875,
                "EUR",
                null,
                SellerWallet,
                null,
                null,
                null,
                Created.AddHours(2),
                Created.AddHours(2),
                Created.AddHours(2)
            ),
            new RefundResponse(
                "re_06h3rg2cd6n8q1s3u5w7y9b2df",
                Order,
                Payin,
                PayinType.Addon,
                RefundStatus.Succeeded,
                6_000,
                "EUR",
                "dispute settled: partial refund",
                null,
                Created.AddDays(1),
                Created.AddDays(1)
            ),
            new WalletResponse(SellerWallet, Seller, "EUR", 11_875, WalletKind.Customer, Created.AddMinutes(-5)),
            new TransferResponse(
                "tr_06h3rg2ef8p1r3t5v7x9z2c4fg",
                SellerWallet,
                BuyerWallet,
                2_500,
                "EUR",
                "Shared shipping costs",
                null,
                Created.AddHours(3)
            ),
            new CustomerResponse(
                Seller,
                "Ada Lovelace",
                "ada@example.com",
                CustomerType.Person,
                new Dictionary<string, string> { ["shop_user"] = "u_77" },
                Created.AddMinutes(-6),
                Created.AddMinutes(-6)
            ),
            new DisputeResponse(
                "dsp_06h3rg2gh1r3t5v7x9z2c4e6hj",
                Order,
                null,
                DisputeStatus.AwaitingBuyer,
                "damaged",
                "buyer",
                Created.AddDays(4),
                SellerAnswer.PartialRefund,
                6_000,
                null,
                "EUR",
                null,
                [
                    new DisputeEntryResponse(
                        "buyer",
                        "open",
                        "The frame is cracked.",
                        ["https://example.com/photo.jpg"],
                        null,
                        Created.AddDays(1)
                    ),
                    new DisputeEntryResponse(
                        "seller",
                        "offer_partial_refund",
                        "A scratch; 60.00 back.",
                        [],
                        6_000,
                        Created.AddDays(1).AddHours(5)
                    ),
                ],
                ["accept", "reject", "resolve"],
                Created.AddDays(1),
                Created.AddDays(1).AddHours(5),
                null
            ),
            new EventResponse(
                "evt_06h3rg2jk3t5v7x9z2c4e6g8km",
                "order.status_changed",
                Order,
                42,
                JsonSerializer.SerializeToElement(
                    new OrderEventData(
                        Order,
                        OrderStatus.Accepted,
                        OrderStatus.Published,
                        12_500,
                        "EUR",
                        12_500,
                        Buyer,
                        Seller,
                        new Dictionary<string, string> { ["shop_order"] = "1042" }
                    ),
                    JsonDefaults.Options
                ),
                Created.AddMinutes(12)
            ),
        }.ToDictionary(example => example.GetType());

    /// <summary>The example of <paramref name="type"/> as JSON, or null when it has none.</summary>
    public static JsonNode? For(Type type)
    {
        if (ByType.TryGetValue(type, out var example))
        {
            return JsonSerializer.SerializeToNode(example, type, JsonDefaults.Options);
        }

        if (
            type.IsGenericType
            && type.GetGenericTypeDefinition() == typeof(Page<>)
            && ByType.TryGetValue(type.GetGenericArguments()[0], out var item)
        )
        {
            var list = Array.CreateInstance(item.GetType(), 1);
            list.SetValue(item, 0);
            var page = Activator.CreateInstance(type, list, true)!;
            return JsonSerializer.SerializeToNode(page, type, JsonDefaults.Options);
        }

        return null;
    }
}

/// <summary>Puts <see cref="OpenApiExamples"/> on the schemas of the document.</summary>
public sealed class OpenApiExampleFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema target && OpenApiExamples.For(context.Type) is { } example)
        {
            target.Examples = [example];
        }
    }
}
