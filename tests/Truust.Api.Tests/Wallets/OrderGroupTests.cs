using System.Net;
using Npgsql;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Wallets;

/// <summary>One-to-many escrow: a cart spanning several sellers, paid once, each order going its own way.</summary>
public sealed class OrderGroupTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task One_payin_funds_every_order_of_a_cart_and_each_order_is_released_or_refunded_on_its_own()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 500);
        var buyer = await client.CreateCustomerAsync("Buyer");
        var sellers = new List<(CustomerResponse Customer, WalletResponse Wallet)>();
        foreach (var name in new[] { "Bikes", "Books", "Lamps" })
        {
            var seller = await client.CreateCustomerAsync(name);
            sellers.Add((seller, await client.CreateWalletAsync(seller.Id)));
        }

        var group = await (
            await client.PostJsonAsync(
                "/v1/order_groups",
                new
                {
                    buyer_id = buyer.Id,
                    currency = "EUR",
                    orders = new[]
                    {
                        new
                        {
                            seller_id = sellers[0].Customer.Id,
                            name = "Bike",
                            amount = 3_000,
                        },
                        new
                        {
                            seller_id = sellers[1].Customer.Id,
                            name = "Books",
                            amount = 4_500,
                        },
                        new
                        {
                            seller_id = sellers[2].Customer.Id,
                            name = "Lamp",
                            amount = 2_550,
                        },
                    },
                }
            )
        ).ReadAsync<OrderGroupResponse>(HttpStatusCode.Created);
        Assert.Equal(10_050, group.Amount);
        Assert.All(
            group.Orders,
            o => Assert.Equal((OrderStatus.PendingPublish, group.Id, buyer.Id), (o.Status, o.OrderGroupId, o.BuyerId))
        );
        var bike = group.Orders.Single(o => o.Amount == 3_000);
        var books = group.Orders.Single(o => o.Amount == 4_500);
        var lamp = group.Orders.Single(o => o.Amount == 2_550);

        var payin = await (
            await client.PostJsonAsync("/v1/payins", new { order_group_id = group.Id, type = "ADDON" })
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);
        Assert.Equal((10_050L, group.Id, (string?)null), (payin.Amount, payin.OrderGroupId, payin.OrderId));
        await client.PayByCardAsync(payin.Id);

        var paid = await client.GetJsonAsync<OrderGroupResponse>($"/v1/order_groups/{group.Id}");
        Assert.All(
            paid.Orders,
            o => Assert.Equal((OrderStatus.Published, o.Amount, payin.Id), (o.Status, o.Held, o.PayinId))
        );
        Assert.Equal(1, await factory.CountAsync("payins", $"order_group_id = '{group.Id}'"));
        await LedgerInvariants.AssertAsync(factory);

        var released = await client.ReleaseToWalletAsync(bike.Id, sellers[0].Wallet.Id);
        var cancelled = await client.ActAsync(books.Id, "cancel");

        Assert.Equal(0, released.Held);
        Assert.Equal(2_850, await client.BalanceAsync(sellers[0].Wallet.Id));
        Assert.Equal(150, await client.FeeBalanceAsync());
        Assert.Equal((OrderStatus.Cancelled, 0L, 4_500L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        var refund = Assert.Single(
            (await client.GetJsonAsync<Page<RefundResponse>>($"/v1/orders/{books.Id}/refunds")).Data
        );
        Assert.Equal(
            (PayinType.Addon, RefundStatus.Succeeded, 4_500L, payin.Id),
            (refund.Rail, refund.Status, refund.Amount, refund.PayinId)
        );
        Assert.Equal(4_500, await CardRefundedAsync(payin.Id));
        var untouched = await client.GetJsonAsync<OrderResponse>($"/v1/orders/{lamp.Id}");
        Assert.Equal((OrderStatus.Published, 2_550L, 0L), (untouched.Status, untouched.Held, untouched.Refunded));
        Assert.Equal(0, await client.BalanceAsync(sellers[1].Wallet.Id));
        Assert.Equal(0, await client.BalanceAsync(sellers[2].Wallet.Id));
        await LedgerInvariants.AssertAsync(factory);

        var lampCancelled = await client.ActAsync(lamp.Id, "cancel");
        Assert.Equal(2_550, lampCancelled.Refunded);
        Assert.Equal(4_500 + 2_550, await CardRefundedAsync(payin.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_cart_order_whose_fee_amount_exceeds_its_amount_is_refused_and_nothing_is_created()
    {
        using var client = await factory.CreatePlatformAsync();
        var buyer = await client.CreateCustomerAsync("Buyer");
        var seller = await client.CreateCustomerAsync("Seller");

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/order_groups",
                    new
                    {
                        buyer_id = buyer.Id,
                        currency = "EUR",
                        orders = new object[]
                        {
                            new
                            {
                                seller_id = seller.Id,
                                name = "Fine",
                                amount = 1_000,
                            },
                            new
                            {
                                seller_id = seller.Id,
                                name = "Too dear",
                                amount = 1_000,
                                fee_amount = 1_001,
                            },
                        },
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "fee_exceeds_amount")
        );
    }

    [Fact]
    public async Task A_cart_whose_buyer_is_also_one_of_its_sellers_is_refused_and_nothing_is_created()
    {
        using var client = await factory.CreatePlatformAsync();
        var buyer = await client.CreateCustomerAsync("Buyer");
        var seller = await client.CreateCustomerAsync("Seller");

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/order_groups",
                    new
                    {
                        buyer_id = buyer.Id,
                        currency = "EUR",
                        orders = new[]
                        {
                            new
                            {
                                seller_id = seller.Id,
                                name = "Fine",
                                amount = 1_000,
                            },
                            new
                            {
                                seller_id = buyer.Id,
                                name = "Own goods",
                                amount = 1_000,
                            },
                        },
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "buyer_is_seller")
        );
    }

    private async Task<long> CardRefundedAsync(string payinId)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(amount_minor), 0)::bigint FROM simulator.card_refunds WHERE charge_reference = @payin",
            connection
        );
        command.Parameters.AddWithValue("payin", payinId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
