using System.Net;
using Npgsql;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using Truust.Domain.Orders;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Wallets;

/// <summary>
/// A platform's fee wallet keeps no locked row on a release (ADR 0013): the fee goes to one of the wallet's credit
/// sub-accounts at the commit, its balance is row plus sub-accounts everywhere, and a debit folds them back. Real
/// parallel requests against PostgreSQL: each fee is credited once, no debit overdraws, nothing deadlocks.
/// </summary>
public sealed class FeeWalletShardTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const long StageMinor = 1_000;
    private const long FeePerStage = 100; // 10 % of each stage

    [Fact]
    public async Task Parallel_milestone_validates_credit_the_fee_once_each_and_leave_the_fee_wallet_row_untouched()
    {
        using var flow = await StartAsync(factory, feePercentBp: 1_000);
        var orders = await OrdersAwaitingValidationAsync(flow, 20);

        var responses = await Task.WhenAll(orders.Select(o => ValidateAsync(flow, o.Id, o.Milestones[0].Id)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var feeWallet = (await flow.Client.FeeWalletAsync())!;
        var fees = await LedgerSumAsync(feeWallet.Id);
        Assert.Equal((20 * FeePerStage, 20L), (fees.Balance, fees.FeeTransfers));
        Assert.Equal(fees.Balance, await flow.Client.BalanceAsync(feeWallet.Id));
        Assert.Equal(fees.Balance, feeWallet.Balance);
        // No release changed the wallet's row: every fee went to a sub-account.
        var (row, shards) = await RowAndShardsAsync(feeWallet.Id);
        Assert.Equal((0L, fees.Balance), (row, shards));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Releases_transfers_out_of_the_fee_wallet_and_refunds_with_the_fee_in_one_burst_apply_once_each()
    {
        using var flow = await StartAsync(factory, feePercentBp: 1_000);
        await TopUpReserveAsync(flow, 100_000);
        var orders = await OrdersAwaitingValidationAsync(flow, 14);
        // Ten orders get their first stage released (1,000 of fees), four are released whole (to refund afterwards).
        foreach (var order in orders.Take(10))
        {
            (await ValidateAsync(flow, order.Id, order.Milestones[0].Id)).EnsureSuccessStatusCode();
        }

        foreach (var order in orders.Skip(10))
        {
            (await ValidateAsync(flow, order.Id, order.Milestones[0].Id)).EnsureSuccessStatusCode();
            (await ValidateAsync(flow, order.Id, order.Milestones[1].Id)).EnsureSuccessStatusCode();
        }

        var feeWallet = (await flow.Client.FeeWalletAsync())!;
        Assert.Equal(18 * FeePerStage, await flow.Client.BalanceAsync(feeWallet.Id));
        var payee = await flow.Client.CreateWalletAsync((await flow.Client.CreateCustomerAsync("Payee")).Id);

        // One burst: 10 releases credit the fee wallet, 30 transfers of 100 and 4 refunds with their fee take from it.
        var releases = orders.Take(10).Select(o => ValidateAsync(flow, o.Id, o.Milestones[1].Id)).ToList();
        var transfers = Enumerable
            .Range(0, 30)
            .Select(_ =>
                flow.Client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = feeWallet.Id,
                        to_wallet_id = payee.Id,
                        amount = 100,
                    }
                )
            )
            .ToList();
        var refunds = orders
            .Skip(10)
            .Select(o =>
                flow.Client.PostJsonAsync(
                    $"/v1/orders/{o.Id}/refunds",
                    new { amount = 2 * StageMinor, refund_fee = true }
                )
            )
            .ToList();
        await Task.WhenAll(releases.Concat(transfers).Concat(refunds));

        Assert.All(releases, r => Assert.Equal(HttpStatusCode.OK, r.Result.StatusCode));
        Assert.All(refunds, r => Assert.Equal(HttpStatusCode.Created, r.Result.StatusCode));
        var accepted = 0;
        foreach (var transfer in transfers.Select(t => t.Result))
        {
            if (transfer.StatusCode == HttpStatusCode.Created)
            {
                accepted++;
                continue;
            }

            // The only refusal allowed: the fee wallet was empty at that moment. Never a 500, never a deadlock.
            await transfer.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        }

        var fees = await LedgerSumAsync(feeWallet.Id);
        Assert.Equal(28L, fees.FeeTransfers);
        Assert.Equal(accepted, await factory.CountAsync("wallet_transfers", $"from_wallet_id = '{feeWallet.Id}'"));
        Assert.Equal(100L * accepted, await flow.Client.BalanceAsync(payee.Id));
        // What the refunds clawed back from the fee wallet, each refund's fee part at most once.
        var clawed = await ScalarAsync(
            $"SELECT coalesce(sum(amount_minor), 0)::bigint FROM ledger_transfers "
                + $"WHERE debit_account = 'wallet:{feeWallet.Id}' AND kind = 'CLAWBACK'"
        );
        Assert.InRange(clawed, 0, 4 * 2 * FeePerStage);
        Assert.Equal(28 * FeePerStage - 100L * accepted - clawed, fees.Balance);
        Assert.Equal(fees.Balance, await flow.Client.BalanceAsync(feeWallet.Id));
        Assert.True(accepted > 0);
        var (row, shards) = await RowAndShardsAsync(feeWallet.Id);
        Assert.True(row >= 0 && shards >= 0 && row + shards == fees.Balance, $"row {row}, shards {shards}");
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_debit_beyond_row_and_sub_accounts_is_refused_unchanged_and_one_within_them_folds_them()
    {
        using var flow = await StartAsync(factory, feePercentBp: 1_000);
        var orders = await OrdersAwaitingValidationAsync(flow, 3);
        foreach (var order in orders)
        {
            (await ValidateAsync(flow, order.Id, order.Milestones[0].Id)).EnsureSuccessStatusCode();
        }

        var feeWallet = (await flow.Client.FeeWalletAsync())!;
        var payee = await flow.Client.CreateWalletAsync((await flow.Client.CreateCustomerAsync("Payee")).Id);
        Assert.Equal((0L, 300L), await RowAndShardsAsync(feeWallet.Id));

        var refused = await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = feeWallet.Id,
                        to_wallet_id = payee.Id,
                        amount = 301,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );
        Assert.Contains("holds 300 minor units; 301 were requested", refused.Detail);

        // 250 of the 300 held in sub-accounts (the row alone holds nothing): taken, the rest folded into the row.
        await flow.Client.TransferAsync(feeWallet.Id, payee.Id, 250);
        Assert.Equal((50L, 0L), await RowAndShardsAsync(feeWallet.Id));
        Assert.Equal(50L, await flow.Client.BalanceAsync(feeWallet.Id));
        (await ValidateAsync(flow, orders[0].Id, orders[0].Milestones[1].Id)).EnsureSuccessStatusCode();
        Assert.Equal((50L, 100L), await RowAndShardsAsync(feeWallet.Id));
        Assert.Equal(150L, await flow.Client.BalanceAsync(feeWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_replayed_release_with_an_idempotency_key_returns_the_stored_response_and_credits_the_fee_once()
    {
        using var flow = await StartAsync(factory, feePercentBp: 1_000);
        var order = (await OrdersAwaitingValidationAsync(flow, 1))[0];
        var key = Guid.NewGuid().ToString();

        var first = await ValidateAsync(flow, order.Id, order.Milestones[0].Id, key);
        var replay = await ValidateAsync(flow, order.Id, order.Milestones[0].Id, key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        var feeWallet = (await flow.Client.FeeWalletAsync())!;
        Assert.Equal((FeePerStage, 1L), await LedgerSumAsync(feeWallet.Id));
        Assert.Equal((0L, FeePerStage), await RowAndShardsAsync(feeWallet.Id));
        Assert.Equal(FeePerStage, await flow.Client.BalanceAsync(feeWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>Orders of two stages of 1,000, paid by card, accepted, with a wallet payout: each validate
    /// releases a stage in the request.</summary>
    private static async Task<IReadOnlyList<OrderResponse>> OrdersAwaitingValidationAsync(OrderFlow flow, int count)
    {
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var orders = new List<OrderResponse>();
        // Set up a few at a time: the point of the tests is the burst after this, not the set-up.
        foreach (var chunk in Enumerable.Range(0, count).Chunk(5))
        {
            orders.AddRange(await Task.WhenAll(chunk.Select(_ => OrderAwaitingValidationAsync(flow, sellerWallet.Id))));
        }

        return orders;
    }

    private static async Task<OrderResponse> OrderAwaitingValidationAsync(OrderFlow flow, string sellerWalletId)
    {
        var order = await (
            await flow.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Two stages",
                    amount = 2 * StageMinor,
                    currency = "EUR",
                    buyer_id = flow.Buyer.Id,
                    seller_id = flow.Seller.Id,
                    milestones = new[]
                    {
                        new { name = "One", amount = StageMinor },
                        new { name = "Two", amount = StageMinor },
                    },
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWalletId);
        return order;
    }

    private static Task<HttpResponseMessage> ValidateAsync(
        OrderFlow flow,
        string orderId,
        string milestoneId,
        string? idempotencyKey = null
    )
    {
        var request = new HttpRequestMessage(
            HttpMethod.Post,
            $"/v1/orders/{orderId}/milestones/{milestoneId}/validate"
        );
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return flow.Client.SendAsync(request);
    }

    private static async Task TopUpReserveAsync(OrderFlow flow, long amountMinor) =>
        (
            await flow.Client.PostJsonAsync(
                "/v1/platform/reserve/top_ups",
                new { amount = amountMinor, currency = "EUR" }
            )
        ).EnsureSuccessStatusCode();

    /// <summary>The wallet's balance by its ledger transfers, and how many fees were credited to it.</summary>
    private async Task<(long Balance, long FeeTransfers)> LedgerSumAsync(string walletId) =>
        (
            await ScalarAsync(
                $"""
                SELECT coalesce(sum(CASE WHEN credit_account = 'wallet:{walletId}' THEN amount_minor
                                         ELSE -amount_minor END), 0)::bigint
                FROM ledger_transfers WHERE 'wallet:{walletId}' IN (credit_account, debit_account)
                """
            ),
            await factory.CountAsync("ledger_transfers", $"credit_account = 'wallet:{walletId}' AND kind = 'FEE'")
        );

    /// <summary>The wallet's row balance and what its credit sub-accounts hold, straight from the tables.</summary>
    private async Task<(long Row, long Shards)> RowAndShardsAsync(string walletId) =>
        (
            await ScalarAsync($"SELECT balance_minor FROM wallets WHERE id = '{walletId}'"),
            await ScalarAsync(
                "SELECT coalesce(sum(amount_minor), 0)::bigint FROM wallet_credit_shards "
                    + $"WHERE wallet_id = '{walletId}'"
            )
        );

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
