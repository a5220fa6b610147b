using System.Net;
using System.Net.Http.Json;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Platforms;
using Truust.Api.Reports;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using Truust.Api.Tests.Wallets;
using Truust.Api.Wallets;
using Truust.Domain.Banking;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Refunds;

/// <summary>
/// Refunds after release (ADR 0012): the seller's wallet, the splits pro rata, the fee when asked, the platform's
/// reserve for the shortfall, the seller's debt and its recovery, and the rolling reserve.
/// </summary>
public sealed class RefundAfterReleaseTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_refund_after_release_takes_the_wallet_then_the_reserve_and_the_next_release_repays_the_debt()
    {
        using var flow = await StartAsync(factory);
        await TopUpReserveAsync(flow, 20_000);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Spain);
        var order = await ReleasedToWalletAsync(flow, 15_000, sellerWallet.Id);
        await WithdrawAsync(flow, sellerWallet.Id, account.Id, 10_000);

        var refund = await RefundAsync(flow, order.Id, new { amount = 15_000, reason = "item returned" });

        Assert.Equal((RefundStatus.Succeeded, 15_000L, PayinType.Addon), (refund.Status, refund.Amount, refund.Rail));
        var debt = Assert.Single(await DebtsAsync(flow));
        Assert.Equal(
            (SellerDebtStatus.Open, 10_000L, 0L, 10_000L, order.Id, refund.Id),
            (debt.Status, debt.Amount, debt.Recovered, debt.Outstanding, debt.OrderId, debt.RefundId)
        );
        var reserve = await ReserveAsync(flow);
        Assert.Equal(
            [
                $"PAYIN world:card -> escrow:{order.Id} 15000",
                $"RELEASE escrow:{order.Id} -> wallet:{sellerWallet.Id} 15000",
                $"CLAWBACK wallet:{sellerWallet.Id} -> escrow:{order.Id} 5000",
                $"RESERVE_COVER wallet:{reserve.WalletId} -> escrow:{order.Id} 10000",
                $"REFUND escrow:{order.Id} -> world:card 15000",
            ],
            Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal((0L, 10_000L), (await flow.Client.BalanceAsync(sellerWallet.Id), reserve.Available));
        var refunded = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L, 15_000L), (refunded.Status, refunded.Held, refunded.Refunded));
        Assert.Empty(refunded.AllowedActions);
        await LedgerInvariants.AssertAsync(factory);

        var next = await ReleasedToWalletAsync(flow, 30_000, sellerWallet.Id);

        var payout = await flow.GetPayoutAsync(next.PayoutId!);
        Assert.Equal((PayoutStatus.Paid, 20_000L), (payout.Status, payout.Amount));
        Assert.Equal(20_000L, await flow.Client.BalanceAsync(sellerWallet.Id));
        var settled = Assert.Single(await DebtsAsync(flow));
        Assert.Equal((SellerDebtStatus.Settled, 10_000L, 0L), (settled.Status, settled.Recovered, settled.Outstanding));
        Assert.NotNull(settled.SettledAt);
        Assert.Equal(20_000L, (await ReserveAsync(flow)).Available);
        Assert.Contains(
            $"DEBT_REPAYMENT escrow:{next.Id} -> wallet:{reserve.WalletId} 10000",
            Trail(await flow.LedgerAsync(next.Id))
        );
        Assert.Equal(["seller_debt.created", "seller_debt.recovered"], await EventTypesOfAsync(flow, debt.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Splits_give_back_pro_rata_and_the_fee_wallet_pays_only_when_refund_fee_is_asked()
    {
        using var flow = await StartAsync(factory, feePercentBp: 1_000);
        await TopUpReserveAsync(flow, 10_000);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var splitA = await flow.Client.CreateWalletAsync((await flow.Client.CreateCustomerAsync("Ana")).Id);
        var splitB = await flow.Client.CreateWalletAsync((await flow.Client.CreateCustomerAsync("Ben")).Id);
        var order = await ReleasedToWalletAsync(
            flow,
            10_000,
            sellerWallet.Id,
            [new { wallet_id = splitA.Id, amount = 2_000 }, new { wallet_id = splitB.Id, amount = 1_000 }]
        );
        var feeWallet = await FeeWalletAsync(flow);
        Assert.Equal(
            (6_000L, 2_000L, 1_000L, 1_000L),
            (await Balance(sellerWallet.Id), await Balance(splitA.Id), await Balance(splitB.Id), feeWallet.Balance)
        );

        await RefundAsync(flow, order.Id, new { amount = 7_000 });
        Assert.Equal(
            (0L, 1_333L, 667L, 1_000L, 10_000L),
            (
                await Balance(sellerWallet.Id),
                await Balance(splitA.Id),
                await Balance(splitB.Id),
                await Balance(feeWallet.Id),
                (await ReserveAsync(flow)).Available
            )
        );

        await RefundAsync(flow, order.Id, new { amount = 2_500, refund_fee = false });
        Assert.Equal(
            (0L, 0L, 1_000L, 9_500L),
            (
                await Balance(splitA.Id),
                await Balance(splitB.Id),
                await Balance(feeWallet.Id),
                (await ReserveAsync(flow)).Available
            )
        );

        await RefundAsync(flow, order.Id, new { amount = 500, refund_fee = true });
        Assert.Equal((500L, 9_500L), (await Balance(feeWallet.Id), (await ReserveAsync(flow)).Available));
        Assert.Empty(await DebtsAsync(flow));
        Assert.Equal(10_000L, (await flow.GetOrderAsync(order.Id)).Refunded);

        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 1 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_paid")
        );
        await LedgerInvariants.AssertAsync(factory);

        Task<long> Balance(string walletId) => flow.Client.BalanceAsync(walletId);
    }

    [Fact]
    public async Task The_rolling_reserve_holds_a_share_of_a_release_and_frees_it_once_the_sandbox_clock_passes()
    {
        using var flow = await StartAsync(factory);
        var updated = await (
            await flow.Client.PatchJsonAsync(
                "/v1/platform",
                new { rolling_reserve = new { share_bp = 1_000, days = 30 } }
            )
        ).ReadAsync<PlatformResponse>();
        Assert.Equal((1_000, 30), (updated.RollingReserve.ShareBp, updated.RollingReserve.Days));
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);

        var order = await ReleasedToWalletAsync(flow, 10_000, sellerWallet.Id);

        Assert.Equal(9_000L, (await flow.GetPayoutAsync(order.PayoutId!)).Amount);
        Assert.Equal(9_000L, await flow.Client.BalanceAsync(sellerWallet.Id));
        // The payout's sources name the hold, and still sum to the payout.
        var sources = await flow.Client.GetJsonAsync<PayoutSourcesResponse>($"/v1/payouts/{order.PayoutId}/sources");
        Assert.Equal(
            [(PayoutSourceKind.Payin, 10_000L), (PayoutSourceKind.ReserveHold, -1_000L)],
            sources.Sources.Select(s => (s.Kind, s.Amount))
        );
        var held = Assert.Single((await ReserveAsync(flow, full: true)).Balances);
        Assert.Equal((1_000L, 0L), (held.Held, held.Available));
        await LedgerInvariants.AssertAsync(factory);

        await AdvanceAsync(flow, days: 29);
        Assert.Equal(0, await flow.RunJobAsync<RollingReserveJob>());
        Assert.Equal(9_000L, await flow.Client.BalanceAsync(sellerWallet.Id));

        await AdvanceAsync(flow, days: 2);
        // The advance wakes the job: the hold is freed without anyone running it by hand.
        await WaitForBalanceAsync(flow, sellerWallet.Id, 10_000);

        Assert.Equal(0L, (await ReserveAsync(flow, full: true)).Balances.Sum(b => b.Held));
        Assert.Contains(
            $"RESERVE_FREE reserve_held:{updated.Id} -> wallet:{sellerWallet.Id} 1000",
            Trail(await flow.LedgerAsync(order.Id))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_withdrawal_repays_the_sellers_debt_first_and_is_refused_unchanged_when_too_little_is_left()
    {
        using var flow = await StartAsync(factory);
        await TopUpReserveAsync(flow, 10_000);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Germany);
        var order = await ReleasedToWalletAsync(flow, 10_000, sellerWallet.Id);
        await WithdrawAsync(flow, sellerWallet.Id, account.Id, 10_000);
        await RefundAsync(flow, order.Id, new { amount = 6_000 });
        Assert.Equal(6_000L, Assert.Single(await DebtsAsync(flow)).Outstanding);
        var buyerWallet = await flow.FundedBuyerWalletAsync(20_000);
        await (
            await flow.Client.PostJsonAsync(
                "/v1/transfers",
                new
                {
                    from_wallet_id = buyerWallet.Id,
                    to_wallet_id = sellerWallet.Id,
                    amount = 20_000,
                }
            )
        ).ReadAsync<TransferResponse>(HttpStatusCode.Created);

        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync(
                    $"/v1/wallets/{sellerWallet.Id}/withdrawals",
                    new { bankaccount_id = account.Id, amount = 15_000 }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );

        // Four at once: the debt is repaid exactly once, and two withdrawals fit in the 14000 left.
        var withdrawals = await Task.WhenAll(
            Enumerable
                .Range(0, 4)
                .Select(_ =>
                    flow.Client.PostJsonAsync(
                        $"/v1/wallets/{sellerWallet.Id}/withdrawals",
                        new { bankaccount_id = account.Id, amount = 5_000 }
                    )
                )
        );

        Assert.Equal(
            [
                HttpStatusCode.Created,
                HttpStatusCode.Created,
                HttpStatusCode.UnprocessableEntity,
                HttpStatusCode.UnprocessableEntity,
            ],
            withdrawals.Select(r => r.StatusCode).Order()
        );
        Assert.Equal(4_000L, await flow.Client.BalanceAsync(sellerWallet.Id));
        var settled = Assert.Single(await DebtsAsync(flow));
        Assert.Equal((SellerDebtStatus.Settled, 6_000L), (settled.Status, settled.Recovered));
        Assert.Equal(10_000L, (await ReserveAsync(flow)).Available);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Bad_refunds_after_release_are_clear_problems_that_change_nothing_and_a_replayed_key_refunds_once()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await ReleasedToWalletAsync(flow, 10_000, sellerWallet.Id);
        using var other = await StartAsync(factory);

        await factory.AssertUnchangedAsync(async () =>
        {
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 10_001 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_paid");
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = -5 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
            await (
                await flow.Client.PostJsonAsync("/v1/orders/ord_unknown/refunds", new { amount = 5 })
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing");
            await (
                await other.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 5 })
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing");
            await (await other.Client.GetAsync($"/v1/customers/{flow.Seller.Id}/debts")).ReadProblemAsync(
                HttpStatusCode.NotFound,
                "resource_missing"
            );
            return true;
        });

        // The seller keeps 1000 of the 10000 in the wallet, and the reserve is empty: a shortfall it cannot cover is
        // refused.
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.France);
        await WithdrawAsync(flow, sellerWallet.Id, account.Id, 9_000);
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 2_000 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "reserve_insufficient")
        );

        var key = $"refund-{Guid.NewGuid():N}";
        var first = await PostWithKeyAsync(flow, order.Id, key, 1_000);
        var replay = await PostWithKeyAsync(flow, order.Id, key, 1_000);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, replay.StatusCode));
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader)));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal(1_000L, (await flow.GetOrderAsync(order.Id)).Refunded);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Simultaneous_refunds_after_release_never_give_back_more_than_was_paid()
    {
        using var flow = await StartAsync(factory);
        await TopUpReserveAsync(flow, 50_000);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await ReleasedToWalletAsync(flow, 10_000, sellerWallet.Id);

        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(_ => flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 3_000 }))
        );

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(
            responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode)
        );
        Assert.Equal(9_000L, (await flow.GetOrderAsync(order.Id)).Refunded);
        Assert.Equal(1_000L, await flow.Client.BalanceAsync(sellerWallet.Id));
        Assert.Empty(await DebtsAsync(flow));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_bank_release_repays_the_debt_it_reserved_at_the_intent_and_two_at_once_repay_it_once()
    {
        using var flow = await StartAsync(factory);
        var (sellerWallet, account) = await SellerOwingAsync(flow, 10_000);
        var first = await flow.AwaitingValidationAsync(30_000, bankAccountId: account.Id);
        var second = await flow.AwaitingValidationAsync(30_000, bankAccountId: account.Id);

        // Both validated at once: only one of the two bank releases may count the 100.00 owed.
        await Task.WhenAll(flow.ActAsync(first.Order.Id, "validate"), flow.ActAsync(second.Order.Id, "validate"));
        await flow.WaitForStatusAsync(first.Order.Id, OrderStatus.Released);
        await flow.WaitForStatusAsync(second.Order.Id, OrderStatus.Released);

        var payouts = new[] { await flow.GetPayoutAsync(first.Payout.Id), await flow.GetPayoutAsync(second.Payout.Id) };
        Assert.Equal([20_000L, 30_000L], payouts.Select(p => p.Amount).Order());
        Assert.All(payouts, p => Assert.Equal(PayoutStatus.InTransit, p.Status));
        var repaying = payouts.Single(p => p.Amount == 20_000);
        var settled = Assert.Single(await DebtsAsync(flow));
        Assert.Equal(
            (SellerDebtStatus.Settled, 10_000L, 0L, 0L),
            (settled.Status, settled.Recovered, settled.Outstanding, settled.Reserved)
        );
        var reserve = await ReserveAsync(flow);
        Assert.Equal(10_000L, reserve.Available);
        Assert.Contains(
            $"DEBT_REPAYMENT escrow:{repaying.OrderId} -> wallet:{reserve.WalletId} 10000",
            Trail(await flow.LedgerAsync(repaying.OrderId!))
        );
        // The payout's sources name the repayment and still sum to what the bank was sent.
        var sources = await flow.Client.GetJsonAsync<PayoutSourcesResponse>($"/v1/payouts/{repaying.Id}/sources");
        Assert.Equal(
            [(PayoutSourceKind.Payin, 30_000L), (PayoutSourceKind.DebtRepayment, -10_000L)],
            sources.Sources.Select(s => (s.Kind, s.Amount))
        );
        Assert.Equal(20_000L, sources.Sources.Sum(s => s.Amount));
        Assert.Equal(0L, await flow.Client.BalanceAsync(sellerWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_bank_release_the_bank_refuses_gives_its_reserved_debt_back_to_the_next_release()
    {
        using var flow = await StartAsync(factory);
        var (sellerWallet, _) = await SellerOwingAsync(flow, 10_000);
        var closed = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, "DE31370400440000000666");
        var (order, payout) = await flow.AwaitingValidationAsync(30_000, bankAccountId: closed.Id);

        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.BlockedRelease);

        var refused = await flow.GetPayoutAsync(payout.Id);
        Assert.Equal((PayoutStatus.Refused, 20_000L), (refused.Status, refused.Amount));
        var open = Assert.Single(await DebtsAsync(flow));
        Assert.Equal(
            (SellerDebtStatus.Open, 0L, 10_000L, 0L),
            (open.Status, open.Recovered, open.Outstanding, open.Reserved)
        );
        Assert.Equal([$"PAYIN world:card -> escrow:{order.Id} 30000"], Trail(await flow.LedgerAsync(order.Id)));
        await LedgerInvariants.AssertAsync(factory);

        // No longer reserved: the next release (to the wallet) recovers it.
        await ReleasedToWalletAsync(flow, 15_000, sellerWallet.Id);

        Assert.Equal(5_000L, await flow.Client.BalanceAsync(sellerWallet.Id));
        Assert.Equal(SellerDebtStatus.Settled, Assert.Single(await DebtsAsync(flow)).Status);
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// A seller who owes <paramref name="debtMinor"/> to the reserve: released to their wallet, withdrawn, refunded
    /// after release (the reserve, topped up with exactly that, pays). Returns the empty wallet and the bank account.
    /// </summary>
    private static async Task<(WalletResponse Wallet, BankAccountResponse Account)> SellerOwingAsync(
        OrderFlow flow,
        long debtMinor
    )
    {
        await TopUpReserveAsync(flow, debtMinor);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Spain);
        var order = await ReleasedToWalletAsync(flow, debtMinor, sellerWallet.Id);
        await WithdrawAsync(flow, sellerWallet.Id, account.Id, debtMinor);
        await RefundAsync(flow, order.Id, new { amount = debtMinor });
        Assert.Equal(debtMinor, Assert.Single(await DebtsAsync(flow)).Outstanding);
        Assert.Equal(0L, (await ReserveAsync(flow)).Available);
        return (sellerWallet, account);
    }

    private static async Task<OrderResponse> ReleasedToWalletAsync(
        OrderFlow flow,
        long amountMinor,
        string walletId,
        object[]? splits = null
    )
    {
        OrderResponse order;
        if (splits is null)
        {
            order = await flow.PaidOrderAsync(amountMinor);
        }
        else
        {
            order = await (
                await flow.Client.PostJsonAsync(
                    "/v1/orders",
                    new
                    {
                        name = "Split order",
                        amount = amountMinor,
                        currency = "EUR",
                        buyer_id = flow.Buyer.Id,
                        seller_id = flow.Seller.Id,
                        splits,
                    }
                )
            ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
            var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
            await flow.PayCardAsync(payin.Id, SuccessCard);
        }

        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: walletId);
        await flow.ActAsync(order.Id, "validate");
        return await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
    }

    private static async Task<RefundResponse> RefundAsync(OrderFlow flow, string orderId, object body) =>
        await (await flow.Client.PostJsonAsync($"/v1/orders/{orderId}/refunds", body)).ReadAsync<RefundResponse>(
            HttpStatusCode.Created
        );

    private static async Task<HttpResponseMessage> PostWithKeyAsync(
        OrderFlow flow,
        string orderId,
        string key,
        long amountMinor
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{orderId}/refunds")
        {
            Content = HttpJson.Content(new { amount = amountMinor }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await flow.Client.SendAsync(request);
    }

    private static async Task WithdrawAsync(OrderFlow flow, string walletId, string accountId, long amountMinor) =>
        await (
            await flow.Client.PostJsonAsync(
                $"/v1/wallets/{walletId}/withdrawals",
                new { bankaccount_id = accountId, amount = amountMinor }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);

    private static async Task TopUpReserveAsync(OrderFlow flow, long amountMinor) =>
        await (
            await flow.Client.PostJsonAsync(
                "/v1/platform/reserve/top_ups",
                new { amount = amountMinor, currency = "EUR" }
            )
        ).ReadAsync<PlatformReserveResponse>();

    private static async Task<PlatformReserveBalance> ReserveAsync(OrderFlow flow) =>
        Assert.Single((await ReserveAsync(flow, full: true)).Balances);

    private static Task<PlatformReserveResponse> ReserveAsync(OrderFlow flow, bool full) =>
        flow.Client.GetJsonAsync<PlatformReserveResponse>("/v1/platform/reserve");

    private static async Task<IReadOnlyList<SellerDebtResponse>> DebtsAsync(OrderFlow flow) =>
        (await flow.Client.GetJsonAsync<Page<SellerDebtResponse>>($"/v1/customers/{flow.Seller.Id}/debts")).Data;

    private static async Task<WalletResponse> FeeWalletAsync(OrderFlow flow) =>
        (await flow.Client.GetJsonAsync<Page<WalletResponse>>("/v1/wallets")).Data.Single(w =>
            w.Kind == Truust.Domain.Wallets.WalletKind.PlatformFees
        );

    private static async Task AdvanceAsync(OrderFlow flow, int days) =>
        await (await flow.Client.PostJsonAsync("/v1/sandbox/clock/advance", new { days })).ReadAsync<object>();

    private static async Task WaitForBalanceAsync(OrderFlow flow, string walletId, long expectedMinor)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await flow.Client.BalanceAsync(walletId) == expectedMinor)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"Wallet {walletId} never reached {expectedMinor}.");
    }

    private static async Task<List<string>> EventTypesOfAsync(OrderFlow flow, string objectId)
    {
        var events = await flow.Client.GetJsonAsync<Page<Truust.Api.Webhooks.EventResponse>>("/v1/events?limit=100");
        return events.Data.Where(e => e.ObjectId == objectId).Select(e => e.Type).Reverse().ToList();
    }
}
