using System.Net;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Every payment attempt of an order, as the seed's FAILURE status promises: a declined card shows with its reason
/// next to the retry that paid, per order (<c>GET /v1/orders/{id}/payins</c>) and across orders with filters
/// (<c>GET /v1/payins</c>), in the list envelope with cursor paging.
/// </summary>
public sealed class PayinListTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task An_orders_payins_list_every_attempt_with_the_reason_each_failed_newest_first()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var order = await flow.CreateOrderAsync();
        var declined = await flow.CreatePayinAsync(order.Id, "ADDON");
        await flow.PayCardAsync(declined.Id, OrderFlow.DeclinedCard);
        var paid = await flow.CreatePayinAsync(order.Id, "ADDON");
        await flow.PayCardAsync(paid.Id, OrderFlow.SuccessCard);
        var unrelated = await flow.CreateOrderAsync();
        await flow.CreatePayinAsync(unrelated.Id, "BANKWIRE");

        var attempts = await flow.Client.GetJsonAsync<Page<PayinResponse>>($"/v1/orders/{order.Id}/payins");

        Assert.False(attempts.HasMore);
        Assert.Equal([paid.Id, declined.Id], attempts.Data.Select(p => p.Id));
        Assert.Equal(PayinStatus.Succeeded, attempts.Data[0].Status);
        var failure = attempts.Data[1];
        Assert.Equal((PayinStatus.Failed, "card_declined"), (failure.Status, failure.FailureCode));
        Assert.False(string.IsNullOrWhiteSpace(failure.FailureMessage));

        // The same attempts through GET /v1/payins, filtered and paged one at a time.
        var failed = await flow.Client.GetJsonAsync<Page<PayinResponse>>(
            $"/v1/payins?order_id={order.Id}&status=FAILED"
        );
        Assert.Equal([declined.Id], failed.Data.Select(p => p.Id));
        var first = await flow.Client.GetJsonAsync<Page<PayinResponse>>("/v1/payins?type=ADDON&limit=1");
        Assert.Equal((paid.Id, true), (first.Data.Single().Id, first.HasMore));
        var second = await flow.Client.GetJsonAsync<Page<PayinResponse>>(
            $"/v1/payins?type=ADDON&limit=1&starting_after={paid.Id}"
        );
        Assert.Equal((declined.Id, false), (second.Data.Single().Id, second.HasMore));
        var wires = await flow.Client.GetJsonAsync<Page<PayinResponse>>("/v1/payins?type=BANKWIRE");
        Assert.Equal([unrelated.Id], wires.Data.Select(p => p.OrderId));
        var future = Uri.EscapeDataString(factory.Clock.GetUtcNow().AddMinutes(1).ToString("O"));
        Assert.Empty((await flow.Client.GetJsonAsync<Page<PayinResponse>>($"/v1/payins?created_gte={future}")).Data);
        Assert.Equal(
            3,
            (await flow.Client.GetJsonAsync<Page<PayinResponse>>($"/v1/payins?created_lt={future}")).Data.Count
        );
        // Filters take the wire names responses carry, also those with an underscore.
        var paying = await flow.CreateOrderAsync();
        await flow.CreatePayinAsync(paying.Id, "ADDON");
        var pending = await flow.Client.GetJsonAsync<Page<OrderResponse>>("/v1/orders?status=PENDING_PUBLISH");
        Assert.Equal(new[] { unrelated.Id, paying.Id }.Order(), pending.Data.Select(o => o.Id).Order());
        var processing = await flow.Client.GetJsonAsync<Page<PayinResponse>>("/v1/payins?status=REQUIRES_ACTION");
        Assert.Empty(processing.Data);
    }

    [Fact]
    public async Task Another_platform_sees_neither_the_orders_payins_nor_them_in_its_list()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var order = await flow.CreateOrderAsync();
        await flow.CreatePayinAsync(order.Id, "ADDON");
        using var other = await factory.CreatePlatformAsync();

        await (await other.GetAsync($"/v1/orders/{order.Id}/payins")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        Assert.Empty((await other.GetJsonAsync<Page<PayinResponse>>($"/v1/payins?order_id={order.Id}")).Data);
    }

    [Theory]
    [InlineData("status=LOST")]
    [InlineData("type=CHEQUE")]
    [InlineData("created_gte=yesterday")]
    [InlineData("limit=0")]
    public async Task A_bad_filter_is_a_problem(string query)
    {
        using var client = await factory.CreatePlatformAsync();

        var response = await client.GetAsync($"/v1/payins?{query}");

        Assert.True(
            response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
            $"{query} answered {response.StatusCode}."
        );
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
