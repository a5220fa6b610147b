using System.Net;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Wallets;

/// <summary>Many-to-one and many-to-many: batches of legs applied all together or not at all.</summary>
public sealed class TransferBatchTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task Many_to_one_moves_every_leg_in_one_batch()
    {
        using var client = await factory.CreatePlatformAsync();
        var a = await client.CreateFundedWalletAsync(1_000);
        var b = await client.CreateFundedWalletAsync(2_000);
        var c = await client.CreateFundedWalletAsync(3_000);
        var pot = await client.CreateFundedWalletAsync(0);

        var batch = await (
            await client.PostJsonAsync(
                "/v1/transfers/batch",
                new
                {
                    description = "team gift",
                    legs = new[]
                    {
                        new
                        {
                            from_wallet_id = a.Id,
                            to_wallet_id = pot.Id,
                            amount = 1_000,
                        },
                        new
                        {
                            from_wallet_id = b.Id,
                            to_wallet_id = pot.Id,
                            amount = 1_500,
                        },
                        new
                        {
                            from_wallet_id = c.Id,
                            to_wallet_id = pot.Id,
                            amount = 500,
                        },
                    },
                }
            )
        ).ReadAsync<TransferBatchResponse>(HttpStatusCode.Created);

        Assert.StartsWith("trb_", batch.Id);
        Assert.Equal(3, batch.LegCount);
        Assert.All(
            batch.Transfers,
            t => Assert.Equal((batch.Id, pot.Id, "team gift"), (t.BatchId, t.ToWalletId, t.Description))
        );
        Assert.Equal([1_000L, 1_500L, 500L], batch.Transfers.Select(t => t.Amount));
        Assert.Equal(
            (0L, 500L, 2_500L, 3_000L),
            (
                await client.BalanceAsync(a.Id),
                await client.BalanceAsync(b.Id),
                await client.BalanceAsync(c.Id),
                await client.BalanceAsync(pot.Id)
            )
        );
        Assert.Equal(3, await factory.CountAsync("wallet_transfers", $"batch_id = '{batch.Id}'"));
        Assert.Equal(
            3,
            await factory.CountAsync(
                "events",
                $"type = 'transfer.created' AND object_id IN ('{string.Join("','", batch.Transfers.Select(t => t.Id))}')"
            )
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Many_to_many_legs_are_netted_per_wallet_so_money_can_pass_through_an_empty_wallet()
    {
        using var client = await factory.CreatePlatformAsync();
        var a = await client.CreateFundedWalletAsync(5_000);
        var b = await client.CreateFundedWalletAsync(4_000);
        var hub = await client.CreateFundedWalletAsync(0);
        var c = await client.CreateFundedWalletAsync(0);
        var d = await client.CreateFundedWalletAsync(100);

        await (
            await client.PostJsonAsync(
                "/v1/transfers/batch",
                new
                {
                    legs = new[]
                    {
                        new
                        {
                            from_wallet_id = hub.Id,
                            to_wallet_id = c.Id,
                            amount = 2_500,
                        },
                        new
                        {
                            from_wallet_id = a.Id,
                            to_wallet_id = hub.Id,
                            amount = 3_000,
                        },
                        new
                        {
                            from_wallet_id = b.Id,
                            to_wallet_id = d.Id,
                            amount = 1_200,
                        },
                        new
                        {
                            from_wallet_id = a.Id,
                            to_wallet_id = d.Id,
                            amount = 700,
                        },
                        new
                        {
                            from_wallet_id = b.Id,
                            to_wallet_id = c.Id,
                            amount = 800,
                        },
                    },
                }
            )
        ).ReadAsync<TransferBatchResponse>(HttpStatusCode.Created);

        var balances = await Task.WhenAll(new[] { a, b, hub, c, d }.Select(w => client.BalanceAsync(w.Id)));
        Assert.Equal([1_300L, 2_000L, 500L, 3_300L, 2_000L], balances);
        var hubHistory = await client.HistoryAsync(hub.Id);
        Assert.Equal(
            [("DEBIT", 2_500L, 500L), ("CREDIT", 3_000L, 3_000L)],
            hubHistory.Data.Select(t => (t.Direction, t.Amount, t.BalanceAfter))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_batch_with_one_impossible_leg_applies_no_leg_at_all()
    {
        using var client = await factory.CreatePlatformAsync();
        var rich = await client.CreateFundedWalletAsync(10_000);
        var poor = await client.CreateFundedWalletAsync(300);
        var target = await client.CreateFundedWalletAsync(0);

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers/batch",
                    new
                    {
                        legs = new[]
                        {
                            new
                            {
                                from_wallet_id = rich.Id,
                                to_wallet_id = target.Id,
                                amount = 4_000,
                            },
                            new
                            {
                                from_wallet_id = poor.Id,
                                to_wallet_id = target.Id,
                                amount = 200,
                            },
                            new
                            {
                                from_wallet_id = poor.Id,
                                to_wallet_id = target.Id,
                                amount = 101,
                            },
                            new
                            {
                                from_wallet_id = rich.Id,
                                to_wallet_id = target.Id,
                                amount = 50,
                            },
                        },
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );

        Assert.Contains(poor.Id, problem.Detail);
        Assert.Equal(
            (10_000L, 300L, 0L),
            (
                await client.BalanceAsync(rich.Id),
                await client.BalanceAsync(poor.Id),
                await client.BalanceAsync(target.Id)
            )
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_batch_naming_an_unknown_wallet_or_mixing_currencies_applies_no_leg_at_all()
    {
        using var client = await factory.CreatePlatformAsync();
        var a = await client.CreateFundedWalletAsync(1_000);
        var b = await client.CreateFundedWalletAsync(0);
        var dollars = await client.CreateWalletAsync(b.CustomerId!, "USD");
        using var other = await factory.CreatePlatformAsync();
        var foreign = await other.CreateFundedWalletAsync(0);

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers/batch",
                    new
                    {
                        legs = new[]
                        {
                            new
                            {
                                from_wallet_id = a.Id,
                                to_wallet_id = b.Id,
                                amount = 100,
                            },
                            new
                            {
                                from_wallet_id = a.Id,
                                to_wallet_id = foreign.Id,
                                amount = 100,
                            },
                        },
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        var mismatch = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers/batch",
                    new
                    {
                        legs = new[]
                        {
                            new
                            {
                                from_wallet_id = a.Id,
                                to_wallet_id = b.Id,
                                amount = 100,
                            },
                            new
                            {
                                from_wallet_id = a.Id,
                                to_wallet_id = dollars.Id,
                                amount = 100,
                            },
                        },
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "currency_mismatch")
        );

        Assert.True(mismatch.Errors.ContainsKey("legs[1].to_wallet_id"), string.Join(", ", mismatch.Errors.Keys));
        Assert.Equal((1_000L, 0L), (await client.BalanceAsync(a.Id), await client.BalanceAsync(b.Id)));
    }

    [Fact]
    public async Task A_batch_of_more_than_a_thousand_legs_or_none_is_refused()
    {
        using var client = await factory.CreatePlatformAsync();
        var a = await client.CreateFundedWalletAsync(5_000);
        var b = await client.CreateFundedWalletAsync(0);
        var leg = new
        {
            from_wallet_id = a.Id,
            to_wallet_id = b.Id,
            amount = 1,
        };

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers/batch",
                    new { legs = Enumerable.Repeat(leg, 1_001).ToArray() }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync("/v1/transfers/batch", new { legs = Array.Empty<object>() })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );
        var full = await (
            await client.PostJsonAsync("/v1/transfers/batch", new { legs = Enumerable.Repeat(leg, 1_000).ToArray() })
        ).ReadAsync<TransferBatchResponse>(HttpStatusCode.Created);

        Assert.Equal(1_000, full.LegCount);
        Assert.Equal((4_000L, 1_000L), (await client.BalanceAsync(a.Id), await client.BalanceAsync(b.Id)));
        await LedgerInvariants.AssertAsync(factory);
    }
}
