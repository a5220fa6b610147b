using System.Net;
using Npgsql;
using Truust.Api.Payins;
using Truust.Api.Reconciliation;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// The reconciliation finds what it claims to find: each test corrupts the gateways' records (or Truust's) the
/// way a crash or a bug would, and the report names the right kind and reference, to the right platform only.
/// These tests corrupt their class's own database on purpose, so they never end with the invariants (which
/// include an empty reconciliation).
/// </summary>
public sealed class ReconciliationMismatchTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task An_approved_charge_with_no_payin_is_a_charge_not_in_ledger_that_only_the_operator_sees()
    {
        using var client = await factory.CreatePlatformAsync();
        using var operatorClient = factory.OperatorClient();
        var reference = "pay_crashed" + Guid.NewGuid().ToString("N")[..12];

        await InsertChargeAsync(reference, 2_500, factory.Clock.GetUtcNow());
        var seen = await Reconciliations.GetAsync(operatorClient);
        var platformView = await Reconciliations.GetAsync(client);

        var mismatch = Reconciliations.About(seen.Mismatches, reference);
        Assert.Equal(
            (ReconciliationKinds.ChargeNotInLedger, "card", 2_500L, (long?)null, "EUR", (string?)null),
            (
                mismatch.Kind,
                mismatch.Rail,
                mismatch.GatewayAmount,
                mismatch.LedgerAmount,
                mismatch.Currency,
                mismatch.PlatformId
            )
        );
        Assert.Contains("no such payin", mismatch.Detail);
        Assert.Empty(platformView.Mismatches);
    }

    [Fact]
    public async Task A_charge_whose_outcome_was_never_recorded_is_in_flight_for_a_few_minutes_then_a_mismatch()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var flow = new Orders.OrderFlow(
            factory,
            platform.Client,
            await platform.Client.CreateCustomerAsync("Bea"),
            await platform.Client.CreateCustomerAsync("Sam")
        );
        var order = await flow.CreateOrderAsync(3_000);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

        // The processor approved the charge and the process died before the outcome was recorded.
        await InsertChargeAsync(payin.Id, 3_000, factory.Clock.GetUtcNow());
        var justNow = await Reconciliations.GetAsync(flow.Client);
        factory.Clock.Advance(ReconciliationRules.ChargeRecordingGrace + TimeSpan.FromSeconds(1));
        var later = await Reconciliations.GetAsync(flow.Client);

        Assert.Empty(justNow.Mismatches);
        Assert.Equal(ReconciliationKinds.ChargeNotYetRecorded, Reconciliations.About(justNow.InFlight, payin.Id).Kind);
        var mismatch = Reconciliations.About(later.Mismatches, payin.Id);
        Assert.Equal(
            (ReconciliationKinds.ChargeNotInLedger, 3_000L, platform.Id),
            (mismatch.Kind, mismatch.GatewayAmount, mismatch.PlatformId)
        );
        Assert.Contains("PENDING", mismatch.Detail);
        Assert.Empty(later.InFlight);
    }

    [Fact]
    public async Task A_processor_refund_with_no_ledger_entry_is_reported_to_its_platform_and_the_operator_only()
    {
        var owner = await factory.CreateTestPlatformAsync();
        var other = await factory.CreateTestPlatformAsync();
        using var flow = await PlatformFlowAsync(owner);
        var order = await flow.PaidOrderAsync(5_000);
        var reference = "re_ghost" + Guid.NewGuid().ToString("N")[..12];
        using var operatorClient = factory.OperatorClient();

        await ExecuteAsync(
            $"""
            INSERT INTO simulator.card_refunds (reference, charge_reference, amount_minor, created_at)
            VALUES ('{reference}', '{order.PayinId}', 1000, now())
            """
        );
        var ownerView = await Reconciliations.GetAsync(owner.Client);
        var otherView = await Reconciliations.GetAsync(other.Client);
        var operatorView = await Reconciliations.GetAsync(operatorClient);
        var operatorNarrowed = await Reconciliations.GetAsync(operatorClient, $"?platform_id={other.Id}");

        var mismatch = Reconciliations.About(ownerView.Mismatches, reference);
        Assert.Equal(
            (ReconciliationKinds.RefundNotInLedger, "card", 1_000L, (long?)null, owner.Id),
            (mismatch.Kind, mismatch.Rail, mismatch.GatewayAmount, mismatch.LedgerAmount, mismatch.PlatformId)
        );
        Assert.Equal(new ReconciliationTotal(4_000, 5_000), ownerView.Totals["card"]["EUR"]);
        Assert.Empty(otherView.Mismatches);
        Assert.Equal(mismatch, Reconciliations.About(operatorView.Mismatches, reference));
        Assert.DoesNotContain(operatorNarrowed.Mismatches, m => m.Reference == reference);
        await (await other.Client.GetAsync($"/v1/reconciliation?platform_id={owner.Id}")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
    }

    [Fact]
    public async Task A_ledger_card_refund_the_processor_never_made_is_in_flight_while_pending_and_a_mismatch_after()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(6_000);
        await flow.ActAsync(order.Id, "cancel");
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));

        await ExecuteAsync($"DELETE FROM simulator.card_refunds WHERE reference = '{refund.Id}'");
        var succeeded = await Reconciliations.GetAsync(flow.Client);
        await ExecuteAsync($"UPDATE refunds SET status = 'PENDING' WHERE id = '{refund.Id}'");
        var pending = await Reconciliations.GetAsync(flow.Client);
        await ExecuteAsync($"UPDATE refunds SET status = 'SUCCEEDED' WHERE id = '{refund.Id}'");

        var mismatch = Reconciliations.About(succeeded.Mismatches, refund.Id);
        Assert.Equal(
            (ReconciliationKinds.RefundNotAtGateway, (long?)null, 6_000L),
            (mismatch.Kind, mismatch.GatewayAmount, mismatch.LedgerAmount)
        );
        Assert.Empty(pending.Mismatches);
        Assert.Equal(ReconciliationKinds.RefundPending, Reconciliations.About(pending.InFlight, refund.Id).Kind);
    }

    [Fact]
    public async Task Voiding_the_charge_that_funded_an_escrow_is_reported_as_a_voided_charge_the_ledger_holds()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(4_000);

        // What a duplicate card submission does today when it finds the payin already succeeded.
        await ExecuteAsync(
            $"""
            INSERT INTO simulator.card_refunds (reference, charge_reference, amount_minor, created_at)
            VALUES ('{order.PayinId}-void', '{order.PayinId}', 4000, now())
            """
        );
        var report = await Reconciliations.GetAsync(flow.Client);

        var mismatch = Reconciliations.About(report.Mismatches, order.PayinId!);
        Assert.Equal(
            (ReconciliationKinds.VoidedChargeInLedger, 0L, 4_000L),
            (mismatch.Kind, mismatch.GatewayAmount, mismatch.LedgerAmount)
        );
    }

    [Fact]
    public async Task Bank_transfers_missing_refused_or_unknown_to_the_ledger_are_reported()
    {
        using var client = await factory.CreatePlatformAsync();
        using var operatorClient = factory.OperatorClient();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        await client.TopUpByCardAsync(wallet.Id, 10_000);
        var account = await client.CreateBankAccountAsync(owner.Id, TestIbans.France);
        var lost = await WithdrawAsync(client, wallet.Id, account.Id, 1_000);
        var refused = await WithdrawAsync(client, wallet.Id, account.Id, 2_000);
        var ghost = "po_ghost" + Guid.NewGuid().ToString("N")[..12];

        await ExecuteAsync($"DELETE FROM simulator.bank_transfers WHERE reference LIKE '{lost.Id}-%'");
        await ExecuteAsync(
            $"UPDATE simulator.bank_transfers SET status = 'REFUSED' WHERE reference LIKE '{refused.Id}-%'"
        );
        await ExecuteAsync(
            $"""
            INSERT INTO simulator.bank_transfers
                (reference, iban, amount_minor, currency, status, settles_at, created_at)
            VALUES ('{ghost}-1', '{TestIbans.France}', 700, 'EUR', 'SETTLED', now(), now())
            """
        );
        var report = await Reconciliations.GetAsync(client);
        var operatorView = await Reconciliations.GetAsync(operatorClient);

        Assert.Equal(
            new (string, string, long?, long?)[]
            {
                (lost.Id, ReconciliationKinds.TransferNotAtBank, null, 1_000),
                (refused.Id, ReconciliationKinds.RefusedTransferInLedger, 0, 2_000),
            },
            report
                .Mismatches.OrderBy(m => m.Reference == refused.Id)
                .Select(m => (m.Reference, m.Kind, m.GatewayAmount, m.LedgerAmount))
        );
        var unknown = Reconciliations.About(operatorView.Mismatches, ghost);
        Assert.Equal(
            (ReconciliationKinds.TransferNotInLedger, "bank", 700L, (long?)null, (string?)null),
            (unknown.Kind, unknown.Rail, unknown.GatewayAmount, unknown.LedgerAmount, unknown.PlatformId)
        );
    }

    private async Task<Orders.OrderFlow> PlatformFlowAsync(TestPlatform platform) =>
        new(
            factory,
            platform.Client,
            await platform.Client.CreateCustomerAsync("Bea"),
            await platform.Client.CreateCustomerAsync("Sam")
        );

    private static async Task<PayoutResponse> WithdrawAsync(
        HttpClient client,
        string walletId,
        string accountId,
        long amountMinor
    ) =>
        await (
            await client.PostJsonAsync(
                $"/v1/wallets/{walletId}/withdrawals",
                new { bankaccount_id = accountId, amount = amountMinor }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);

    /// <summary>An approved charge at the processor, as if its payin's request had charged the card.</summary>
    private Task InsertChargeAsync(string reference, long amountMinor, DateTimeOffset at) =>
        ExecuteAsync(
            $"""
            INSERT INTO simulator.card_charges
                (reference, amount_minor, currency, brand, last4, outcome, refunded_minor, created_at)
            VALUES ('{reference}', {amountMinor}, 'EUR', 'visa', '4242', 'APPROVED', 0,
                    '{at:O}'::timestamptz)
            """
        );

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
