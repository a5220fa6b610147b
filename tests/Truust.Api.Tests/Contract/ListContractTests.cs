using System.Net;
using System.Text.Json;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;

namespace Truust.Api.Tests.Contract;

/// <summary>Every list is one envelope with cursor paging; a query parameter an endpoint does not take is a 400.</summary>
public sealed class ListContractTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task An_orders_history_pages_with_next_cursor_like_every_other_list()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var order = await flow.PaidOrderAsync();

        var all = await flow.Client.GetJsonAsync<JsonElement>($"/v1/orders/{order.Id}/history");
        Assert.Equal("list", all.GetProperty("object").GetString());
        Assert.False(all.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next_cursor").ValueKind);
        var steps = all.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, steps.Count);

        var first = await flow.Client.GetJsonAsync<Page<OrderStatusChangeResponse>>(
            $"/v1/orders/{order.Id}/history?limit=1"
        );
        Assert.Equal((true, steps[0]), (first.HasMore, first.NextCursor));
        var second = await flow.Client.GetJsonAsync<Page<OrderStatusChangeResponse>>(
            $"/v1/orders/{order.Id}/history?limit=1&starting_after={first.NextCursor}"
        );
        Assert.Equal([steps[1]], second.Data.Select(s => s.Id));
        Assert.Equal((false, (string?)null), (second.HasMore, second.NextCursor));

        await flow.CreateOrderAsync();
        var orders = await flow.Client.GetJsonAsync<Page<OrderResponse>>("/v1/orders?limit=1");
        Assert.Equal((true, orders.Data[0].Id), (orders.HasMore, orders.NextCursor));
    }

    [Theory]
    [InlineData("/v1/orders?expand=data.payin", "expand")]
    [InlineData("/v1/orders?ending_before=ord_x", "ending_before")]
    [InlineData("/v1/customers?limit=2&stauts=PAID", "stauts")]
    [InlineData("/v1/orders/ord_x/history?expand=x", "expand")]
    public async Task A_query_parameter_the_endpoint_does_not_take_is_a_400_naming_it(string path, string name)
    {
        using var client = await factory.CreatePlatformAsync();
        var problem = await (await client.GetAsync(path)).ReadProblemAsync(
            HttpStatusCode.BadRequest,
            "unknown_parameter"
        );
        Assert.Contains($"'{name}'", problem.Detail);
        Assert.True(problem.Errors.ContainsKey(name));
    }
}
