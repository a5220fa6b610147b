using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Wallets;

/// <summary>The default split (the platform fee) and multiple splits, taken at release and never before.</summary>
public sealed class FeeAndSplitTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Theory]
    [InlineData(10_000, 300)] // 2.5 % is 250, below the fixed 300.
    [InlineData(20_000, 500)] // 2.5 % is 500, above the fixed 300.
    [InlineData(200, 200)] // The fixed fee would exceed the amount: never more than the amount.
    public async Task The_default_fee_is_the_higher_of_percent_and_fixed_on_orders_and_in_the_quote(
        long amount,
        long fee
    )
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250, feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();

        var order = await client.CreateOrderAsync(parties, amount);
        var quote = await client.GetJsonAsync<FeeQuoteResponse>($"/v1/fees?amount={amount}&currency=EUR");

        Assert.Equal(fee, order.FeeAmount);
        Assert.Equal(
            (amount, "EUR", fee, amount - fee, 250L, 300L),
            (quote.Amount, quote.Currency, quote.Fee, quote.Net, quote.FeePercentBp, quote.FeeFixed)
        );
    }

    [Fact]
    public async Task A_fee_quote_needs_a_positive_amount_and_a_known_currency()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250);

        await (await client.GetAsync("/v1/fees?amount=0&currency=EUR")).ReadProblemAsync(
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        await (await client.GetAsync("/v1/fees?amount=100&currency=XXX")).ReadProblemAsync(
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        var quote = await client.GetJsonAsync<FeeQuoteResponse>("/v1/fees?amount=1&currency=JPY");
        Assert.Equal((0L, 1L), (quote.Fee, quote.Net));
    }

    [Fact]
    public async Task The_fee_is_taken_into_the_platform_fee_wallet_at_release_and_never_before()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250, feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 20_000);

        await client.PayOrderByCardAsync(order.Id);
        await client.ActAsync(order.Id, "accept");
        await (
            await client.PostJsonAsync(
                "/v1/payouts",
                new
                {
                    order_id = order.Id,
                    type = "WALLET",
                    wallet_id = parties.SellerWallet.Id,
                }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);
        var pending = await client.GetJsonAsync<OrderResponse>($"/v1/orders/{order.Id}");
        Assert.Equal((OrderStatus.PendingValidate, 20_000L), (pending.Status, pending.Held));
        Assert.Null(await client.FeeWalletAsync());

        await client.ActAsync(order.Id, "validate");
        await client.WaitForOrderAsync(order.Id, OrderStatus.Released);

        Assert.Equal(500, await client.FeeBalanceAsync());
        Assert.Equal(19_500, await client.BalanceAsync(parties.SellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Parallel_releases_of_one_platforms_orders_credit_each_fee_to_its_fee_wallet_exactly_once()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250, feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var orders = new List<OrderResponse>();
        var payouts = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var order = await client.CreateOrderAsync(parties, 10_000 + i * 1_111);
            await client.PayOrderByCardAsync(order.Id);
            await client.ActAsync(order.Id, "accept");
            var payout = await (
                await client.PostJsonAsync(
                    "/v1/payouts",
                    new
                    {
                        order_id = order.Id,
                        type = "WALLET",
                        wallet_id = parties.SellerWallet.Id,
                    }
                )
            ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);
            orders.Add(order);
            payouts.Add(payout.Id);
        }

        // All validated at once, then every release executed again from parallel scopes while the worker runs them:
        // real concurrent release transactions of one platform, all crediting one fee wallet (created by the first).
        await Task.WhenAll(orders.Select(o => client.ActAsync(o.Id, "validate")));
        await Task.WhenAll(
            payouts.Select(async id =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                await scope
                    .ServiceProvider.GetRequiredService<PayoutService>()
                    .ReleaseAsync(id, CancellationToken.None);
            })
        );
        foreach (var order in orders)
        {
            await client.WaitForOrderAsync(order.Id, OrderStatus.Released);
        }

        var fees = orders.Sum(o => o.FeeAmount!.Value);
        Assert.All(orders, o => Assert.True(o.FeeAmount >= 300));
        Assert.Equal(fees, await client.FeeBalanceAsync());
        Assert.Equal(orders.Sum(o => o.Amount) - fees, await client.BalanceAsync(parties.SellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_234)]
    [InlineData(10_000)]
    public async Task A_per_order_fee_amount_overrides_the_default_and_zero_disables_it(long feeAmount)
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 1_000, feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 10_000, feeAmount: feeAmount);
        Assert.Equal(feeAmount, order.FeeAmount);

        await client.PayOrderByCardAsync(order.Id);
        await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        Assert.Equal(10_000 - feeAmount, await client.BalanceAsync(parties.SellerWallet.Id));
        Assert.Equal(feeAmount, await client.FeeBalanceAsync());
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_fee_amount_above_the_order_amount_is_refused_and_nothing_is_created()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    new
                    {
                        name = "Bike",
                        amount = 1_000,
                        currency = "EUR",
                        buyer_id = parties.Buyer.Id,
                        seller_id = parties.Seller.Id,
                        fee_amount = 1_001,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "fee_exceeds_amount")
        );
    }

    [Fact]
    public async Task A_cancelled_paid_order_refunds_the_buyer_in_full_and_the_platform_takes_no_fee()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250, feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 20_000);
        var payin = await client.PayOrderByCardAsync(order.Id);
        await client.ActAsync(order.Id, "accept");

        var cancelled = await client.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 20_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        var refund = Assert.Single(
            (await client.GetJsonAsync<Page<RefundResponse>>($"/v1/orders/{order.Id}/refunds")).Data
        );
        Assert.Equal(
            (20_000L, PayinType.Addon, RefundStatus.Succeeded, payin.Id),
            (refund.Amount, refund.Rail, refund.Status, refund.PayinId)
        );
        Assert.Null(await client.FeeWalletAsync());
        Assert.Equal(0, await client.BalanceAsync(parties.SellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Multiple_splits_by_amount_and_percent_are_paid_at_release_beside_the_fee_and_the_sellers_rest()
    {
        using var client = await factory.CreatePlatformAsync(feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var agent = await client.CreateFundedWalletAsync(0, "Agent");
        var partner = await client.CreateFundedWalletAsync(0, "Partner");
        var order = await client.CreateOrderAsync(
            parties,
            10_000,
            splits: [new { wallet_id = agent.Id, amount = 1_000 }, new { wallet_id = partner.Id, percent_bp = 1_250 }]
        );
        Assert.Equal(
            [(agent.Id, 1_000L, (long?)null), (partner.Id, 1_250L, 1_250L)],
            order.Splits.Select(s => (s.WalletId, s.Amount, s.PercentBp))
        );

        await client.PayOrderByCardAsync(order.Id);
        Assert.Equal((0L, 0L), (await client.BalanceAsync(agent.Id), await client.BalanceAsync(partner.Id)));
        var released = await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        Assert.Equal(
            (1_000L, 1_250L, 300L, 7_450L),
            (
                await client.BalanceAsync(agent.Id),
                await client.BalanceAsync(partner.Id),
                await client.FeeBalanceAsync(),
                await client.BalanceAsync(parties.SellerWallet.Id)
            )
        );
        var payout = await client.GetJsonAsync<PayoutResponse>($"/v1/payouts/{released.PayoutId}");
        Assert.Equal(7_450, payout.Amount);
        var trail = (await client.GetJsonAsync<Page<LedgerTransferResponse>>($"/v1/orders/{order.Id}/ledger")).Data;
        Assert.Equal(
            [(LedgerAccounts.Wallet(agent.Id), 1_000L), (LedgerAccounts.Wallet(partner.Id), 1_250L)],
            trail
                .Where(t => t.Kind == TransferKind.Split)
                .OrderBy(t => t.Amount)
                .Select(t => (t.CreditAccount, t.Amount))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Percent_splits_are_rounded_by_largest_remainder_so_no_cent_is_lost_or_created()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        var thirds = new[]
        {
            await client.CreateFundedWalletAsync(0, "One"),
            await client.CreateFundedWalletAsync(0, "Two"),
            await client.CreateFundedWalletAsync(0, "Three"),
        };
        var order = await client.CreateOrderAsync(
            parties,
            10_001,
            splits: thirds.Select(w => (object)new { wallet_id = w.Id, percent_bp = 3_333 }).ToArray()
        );

        Assert.Equal([3_334L, 3_333L, 3_333L], order.Splits.Select(s => s.Amount));
        await client.PayOrderByCardAsync(order.Id);
        await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        var paid = await Task.WhenAll(thirds.Select(w => client.BalanceAsync(w.Id)));
        Assert.Equal([3_334L, 3_333L, 3_333L], paid);
        Assert.Equal(1, await client.BalanceAsync(parties.SellerWallet.Id));
        Assert.Equal(10_001, paid.Sum() + await client.BalanceAsync(parties.SellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Splits_up_to_the_amount_less_the_fee_are_accepted_and_one_cent_more_is_refused()
    {
        using var client = await factory.CreatePlatformAsync(feeFixedMinor: 300);
        var parties = await client.CreatePartiesAsync();
        var agent = await client.CreateFundedWalletAsync(0, "Agent");

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(parties, new { wallet_id = agent.Id, amount = 9_701 })
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "splits_exceed_amount")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(
                        parties,
                        new { wallet_id = agent.Id, amount = 5_000 },
                        new { wallet_id = agent.Id, percent_bp = 4_701 }
                    )
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "splits_exceed_amount")
        );
        var exact = await (
            await client.PostJsonAsync(
                "/v1/orders",
                OrderWithSplits(parties, new { wallet_id = agent.Id, amount = 9_700 })
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);

        await client.PayOrderByCardAsync(exact.Id);
        await client.ReleaseToWalletAsync(exact.Id, parties.SellerWallet.Id);
        Assert.Equal(
            (9_700L, 300L, 0L),
            (
                await client.BalanceAsync(agent.Id),
                await client.FeeBalanceAsync(),
                await client.BalanceAsync(parties.SellerWallet.Id)
            )
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_split_to_another_platforms_wallet_or_in_another_currency_or_half_specified_is_refused()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        using var other = await factory.CreatePlatformAsync();
        var foreign = await other.CreateFundedWalletAsync(0);
        var dollars = await client.CreateWalletAsync(parties.Seller.Id, "USD");

        var unknown = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(parties, new { wallet_id = foreign.Id, amount = 100 })
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown_wallet")
        );
        Assert.True(unknown.Errors.ContainsKey("splits[0].wallet_id"));
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(parties, new { wallet_id = dollars.Id, amount = 100 })
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "currency_mismatch")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(
                        parties,
                        new
                        {
                            wallet_id = parties.SellerWallet.Id,
                            amount = 100,
                            percent_bp = 100,
                        }
                    )
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/orders",
                    OrderWithSplits(parties, new { wallet_id = parties.SellerWallet.Id, percent_bp = 10_001 })
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );
    }

    private static object OrderWithSplits(Parties parties, params object[] splits) =>
        new
        {
            name = "Bike",
            amount = 10_000,
            currency = "EUR",
            buyer_id = parties.Buyer.Id,
            seller_id = parties.Seller.Id,
            splits,
        };
}
