using System.Net;
using Truust.Api.Payins;
using Truust.Api.Reconciliation;
using Truust.Api.Refunds;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using Truust.Api.Tests.Wallets;
using Truust.Domain.Banking;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// Every money flow, driven to its end, leaves the gateways' records and the ledger in agreement: nothing in
/// <c>mismatches</c>, nothing left <c>in_flight</c>, and per rail the same totals on both sides.
/// </summary>
public sealed class ReconciliationTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_card_payment_released_to_a_bank_account_and_settled_reconciles_on_both_rails()
    {
        using var flow = await StartAsync(factory);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Spain);
        var (order, payout) = await flow.AwaitingValidationAsync(10_000, bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        var inTransit = await Reconciliations.GetAsync(flow.Client);

        var settled = await (
            await flow.Client.PostAsync($"/v1/sandbox/payouts/{payout.Id}/settle", null)
        ).ReadAsync<PayoutResponse>();
        var report = await Reconciliations.GetAsync(flow.Client);

        Assert.Equal(PayoutStatus.Paid, settled.Status);
        foreach (var reconciliation in new[] { inTransit, report })
        {
            Reconciliations.AssertClean(reconciliation);
            Reconciliations.AssertTotal(reconciliation, "card", 10_000);
            Reconciliations.AssertTotal(reconciliation, "bank", 10_000);
        }

        Assert.Equal("reconciliation", report.Object);
        Assert.Equal(factory.Clock.GetUtcNow(), report.CheckedAt, TimeSpan.FromMilliseconds(1));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wire_payment_released_to_a_wallet_and_a_wire_payment_refunded_to_its_sender_reconcile()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var released = await flow.CreateOrderAsync(7_000);
        var releasedPayin = await flow.CreatePayinAsync(released.Id, "BANKWIRE");
        await flow.SendWireAsync(releasedPayin.Bankwire!.Reference, 7_000);
        await flow.ActAsync(released.Id, "accept");
        await flow.CreatePayoutAsync(released.Id, walletId: sellerWallet.Id);
        await flow.ActAsync(released.Id, "validate");
        await flow.WaitForStatusAsync(released.Id, OrderStatus.Released);
        var refunded = await flow.CreateOrderAsync(12_000);
        var refundedPayin = await flow.CreatePayinAsync(refunded.Id, "BANKWIRE");
        await flow.SendWireAsync(refundedPayin.Bankwire!.Reference, 12_000, TestIbans.Netherlands);

        var cancelled = await flow.ActAsync(refunded.Id, "cancel");
        var report = await Reconciliations.GetAsync(flow.Client);

        Assert.Equal(RefundStatus.Succeeded, Assert.Single(await flow.RefundsAsync(cancelled.Id)).Status);
        Reconciliations.AssertClean(report);
        Reconciliations.AssertTotal(report, "bank", 12_000);
        Assert.False(report.Totals["card"].ContainsKey("EUR"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_card_payment_refunded_in_part_then_in_full_reconciles_to_nothing_held_from_the_card()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(10_000);
        await flow.ActAsync(order.Id, "reject");

        var partial = await (
            await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 3_000 })
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        var afterPartial = await Reconciliations.GetAsync(flow.Client);
        var rest = await (
            await flow.Client.PostAsync($"/v1/orders/{order.Id}/refunds", null)
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        var afterAll = await Reconciliations.GetAsync(flow.Client);

        Assert.Equal((RefundStatus.Succeeded, RefundStatus.Succeeded), (partial.Status, rest.Status));
        Reconciliations.AssertClean(afterPartial);
        Reconciliations.AssertTotal(afterPartial, "card", 7_000);
        Reconciliations.AssertClean(afterAll);
        Reconciliations.AssertTotal(afterAll, "card", 0);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Payouts_the_bank_refuses_or_returns_reconcile_to_nothing_sent()
    {
        using var flow = await StartAsync(factory);
        var closed = Iban.FromBban("DE", "37040044" + "0000000666").Value;
        var frozen = Iban.FromBban("DE", "37040044" + "0000000777").Value;
        var refusedAccount = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, closed);
        var returnedAccount = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, frozen);
        var (blocked, _) = await flow.AwaitingValidationAsync(2_000, bankAccountId: refusedAccount.Id);
        var (returned, payout) = await flow.AwaitingValidationAsync(4_200, bankAccountId: returnedAccount.Id);
        await flow.ActAsync(blocked.Id, "validate");
        await flow.ActAsync(returned.Id, "validate");
        await flow.WaitForStatusAsync(blocked.Id, OrderStatus.BlockedRelease);
        await flow.WaitForStatusAsync(returned.Id, OrderStatus.Released);

        var failed = await (
            await flow.Client.PostJsonAsync($"/v1/sandbox/payouts/{payout.Id}/fail", new { reason = "frozen" })
        ).ReadAsync<PayoutResponse>();
        var report = await Reconciliations.GetAsync(flow.Client);

        Assert.Equal(PayoutStatus.Returned, failed.Status);
        Reconciliations.AssertClean(report);
        Reconciliations.AssertTotal(report, "bank", 0);
        Reconciliations.AssertTotal(report, "card", 6_200);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_withdrawal_settled_and_a_withdrawal_refused_reconcile_with_the_bank()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        await client.TopUpByCardAsync(wallet.Id, 10_000);
        var account = await client.CreateBankAccountAsync(owner.Id, TestIbans.France);
        var closed = await client.CreateBankAccountAsync(owner.Id, "DE31370400440000000666");

        var withdrawal = await Withdraw(client, wallet.Id, account.Id, 4_000);
        var inTransit = await Reconciliations.GetAsync(client);
        await (
            await client.PostJsonAsync($"/v1/sandbox/payouts/{withdrawal.Id}/settle", new { })
        ).ReadAsync<PayoutResponse>();
        var refused = await Withdraw(client, wallet.Id, closed.Id, 1_000);
        var report = await Reconciliations.GetAsync(client);

        Assert.Equal((PayoutStatus.InTransit, PayoutStatus.Refused), (withdrawal.Status, refused.Status));
        foreach (var reconciliation in new[] { inTransit, report })
        {
            Reconciliations.AssertClean(reconciliation);
            Reconciliations.AssertTotal(reconciliation, "card", 10_000);
            Reconciliations.AssertTotal(reconciliation, "bank", 4_000);
        }

        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_operator_sees_every_platforms_totals_and_may_narrow_them_to_one_platform()
    {
        var first = await factory.CreateTestPlatformAsync();
        using var second = await factory.CreatePlatformAsync();
        await first.Client.TopUpByCardAsync(
            (await first.Client.CreateWalletAsync((await first.Client.CreateCustomerAsync("Ada")).Id)).Id,
            1_500
        );
        using var operatorClient = factory.OperatorClient();

        var all = await Reconciliations.GetAsync(operatorClient);
        var narrowed = await Reconciliations.GetAsync(operatorClient, $"?platform_id={first.Id}");
        var stranger = await Reconciliations.GetAsync(second);

        Reconciliations.AssertClean(all);
        Reconciliations.AssertTotal(narrowed, "card", 1_500);
        Assert.True(all.Totals["card"]["EUR"].GatewayAmount >= 1_500);
        Assert.Empty(stranger.Totals["card"]);
        await (await second.GetAsync($"/v1/reconciliation?platform_id={first.Id}")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        first.Client.Dispose();
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<PayoutResponse> Withdraw(
        HttpClient client,
        string walletId,
        string account,
        long amount
    ) =>
        await (
            await client.PostJsonAsync($"/v1/wallets/{walletId}/withdrawals", new { bankaccount_id = account, amount })
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);
}

/// <summary>Reads <c>GET /v1/reconciliation</c> and states what a reconciled report looks like.</summary>
public static class Reconciliations
{
    public static Task<ReconciliationResponse> GetAsync(HttpClient client, string query = "") =>
        client.GetJsonAsync<ReconciliationResponse>("/v1/reconciliation" + query);

    public static void AssertClean(ReconciliationResponse report)
    {
        Assert.Empty(report.Mismatches);
        Assert.Empty(report.InFlight);
    }

    /// <summary>The rail moved <paramref name="amountMinor"/> EUR by the gateway's records and by the ledger.</summary>
    public static void AssertTotal(ReconciliationResponse report, string rail, long amountMinor) =>
        Assert.Equal(new ReconciliationTotal(amountMinor, amountMinor), report.Totals[rail]["EUR"]);

    /// <summary>The one finding about <paramref name="reference"/> in <paramref name="items"/>.</summary>
    public static ReconciliationItem About(IEnumerable<ReconciliationItem> items, string reference) =>
        Assert.Single(items, i => i.Reference == reference);
}
