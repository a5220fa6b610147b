using System.Net;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Real parallel requests against one order or one wallet: exactly one winner, the losers get a clean 409 or
/// 422, money moves once, and no request ends in a 500.
/// </summary>
public sealed class ConcurrencyTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task Twenty_simultaneous_validations_of_one_order_let_exactly_one_through_and_release_the_money_once()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(10_000, walletId: sellerWallet.Id);

        var responses = await AllAtOnceAsync(20, _ => flow.PostActionAsync(order.Id, "validate"));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await loser.ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        }

        var released = await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        Assert.Equal(0L, released.Held);
        Assert.Equal(10_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        var ledger = await flow.LedgerAsync(order.Id);
        Assert.Single(ledger, t => t.Kind == Domain.Ledger.TransferKind.Release);
        Assert.Equal(2, ledger.Count);
        Assert.Single(await flow.HistoryAsync(order.Id), c => c.Action == "validate");
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Twenty_simultaneous_cancellations_of_a_paid_order_refund_the_buyer_once()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(10_000);

        var responses = await AllAtOnceAsync(20, _ => flow.PostActionAsync(order.Id, "cancel"));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await loser.ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        }

        var cancelled = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, 0L, 10_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal((RefundStatus.Succeeded, 10_000L), (refund.Status, refund.Amount));
        Assert.Equal(1, await factory.CountAsync("simulator.card_refunds", $"charge_reference = '{order.PayinId}'"));
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 10000", $"REFUND escrow:{order.Id} -> world:card 10000"],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Single(await flow.HistoryAsync(order.Id), c => c.Action == "cancel");
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Fifty_simultaneous_wallet_payins_against_a_wallet_that_funds_ten_let_exactly_ten_through()
    {
        const long price = 1_000;
        using var flow = await StartAsync(factory);
        var wallet = await flow.FundedBuyerWalletAsync(10 * price);
        var orders = new List<OrderResponse>();
        for (var i = 0; i < 50; i++)
        {
            orders.Add(await flow.CreateOrderAsync(price));
        }

        // Watch the balance from outside while the payins race: it must never be seen below zero.
        using var stop = new CancellationTokenSource();
        var lowest = long.MaxValue;
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var connection = await factory.OpenConnectionAsync();
                await using var command = new Npgsql.NpgsqlCommand(
                    $"SELECT balance_minor FROM wallets WHERE id = '{wallet.Id}'",
                    connection
                );
                lowest = Math.Min(lowest, (long)(await command.ExecuteScalarAsync())!);
            }
        });
        var responses = await AllAtOnceAsync(50, i => flow.PostPayinAsync(orders[i].Id, "WALLET", wallet.Id));
        await stop.CancelAsync();
        await watcher;

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(10, statuses.Count(s => s == 201));
        Assert.Equal(40, statuses.Count(s => s == 422));
        for (var i = 0; i < 50; i++)
        {
            if (responses[i].StatusCode == HttpStatusCode.Created)
            {
                var payin = await responses[i].ReadAsync<PayinResponse>(HttpStatusCode.Created);
                Assert.Equal((PayinStatus.Succeeded, orders[i].Id), (payin.Status, payin.OrderId));
            }
            else
            {
                await responses[i].ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds");
            }
        }

        Assert.InRange(lowest, 0, 10 * price);
        Assert.Equal(0, (await flow.GetWalletAsync(wallet.Id)).Balance);
        var all = await Task.WhenAll(orders.Select(o => flow.GetOrderAsync(o.Id)));
        var paid = all.Where((_, i) => responses[i].StatusCode == HttpStatusCode.Created).ToList();
        var unpaid = all.Where((_, i) => responses[i].StatusCode != HttpStatusCode.Created).ToList();
        Assert.All(paid, o => Assert.Equal((OrderStatus.Published, price), (o.Status, o.Held)));
        // The losers are untouched: still PENDING_PUBLISH as created (buyer identified), no payin, and no history but
        // the identification.
        Assert.All(
            unpaid,
            o => Assert.Equal((OrderStatus.PendingPublish, 0L, (string?)null), (o.Status, o.Held, o.PayinId))
        );
        var unpaidIds = string.Join(",", unpaid.Select(o => $"'{o.Id}'"));
        Assert.Equal(unpaid.Count, await factory.CountAsync("order_status_changes", $"order_id IN ({unpaidIds})"));
        Assert.Equal(10, await factory.CountAsync("payins", $"source_wallet_id = '{wallet.Id}'"));
        Assert.Equal(10, await factory.CountAsync("ledger_transfers", $"debit_account = 'wallet:{wallet.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// Starts <paramref name="count"/> requests together (each on its own thread-pool task, released by one gate)
    /// and asserts that none of them failed with a 5xx.
    /// </summary>
    private static async Task<HttpResponseMessage[]> AllAtOnceAsync(
        int count,
        Func<int, Task<HttpResponseMessage>> request
    )
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable
            .Range(0, count)
            .Select(i =>
                Task.Run(async () =>
                {
                    await gate.Task;
                    return await request(i);
                })
            )
            .ToList();
        gate.SetResult();
        var responses = await Task.WhenAll(tasks);
        foreach (var response in responses.Where(r => (int)r.StatusCode >= 500))
        {
            Assert.Fail(
                $"A parallel request failed with {(int)response.StatusCode}: "
                    + await response.Content.ReadAsStringAsync()
            );
        }

        return responses;
    }
}
