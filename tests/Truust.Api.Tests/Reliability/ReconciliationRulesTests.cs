using Truust.Api.Reconciliation;
using static Truust.Api.Reconciliation.ReconciliationKinds;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// The rules on lines no API flow produces today (a crash at each step, a wrong amount), without a database: each
/// line names the finding it must give, or none.
/// </summary>
public sealed class ReconciliationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Card_payins_are_judged_by_charge_less_voids_against_what_the_ledger_took_in()
    {
        Assert.Null(Judge(Charge(charged: 1_000, ledger: 1_000)));
        Assert.Null(Judge(Charge(charged: 1_000, voided: 1_000, ledger: null, status: "CANCELLED")));
        Assert.Null(Judge(Charge(outcome: "DECLINED", charged: 1_000, ledger: null, status: "FAILED")));
        Assert.Equal((ChargeAmountDiffers, false), Judge(Charge(charged: 1_000, ledger: 900)));
        Assert.Equal((ChargeAmountDiffers, false), Judge(Charge(charged: 1_000, ledger: 1_000, ledgerCurrency: "USD")));
        Assert.Equal((VoidedChargeInLedger, false), Judge(Charge(charged: 1_000, voided: 400, ledger: 1_000)));
        Assert.Equal((PayinNotAtGateway, false), Judge(Charge(outcome: "DECLINED", charged: 1_000, ledger: 1_000)));
        Assert.Equal((PayinNotAtGateway, false), Judge(Charge(outcome: null, charged: 0, ledger: 1_000)));
        Assert.Equal((PayinProcessing, true), Judge(Charge(charged: 1_000, ledger: null, status: "PROCESSING")));
        Assert.Equal(
            (PayinProcessing, true),
            Judge(Charge(outcome: null, charged: 0, ledger: null, status: "PROCESSING"))
        );
    }

    [Fact]
    public void An_unrecorded_charge_is_in_flight_only_within_the_grace_and_only_for_a_payin_truust_knows()
    {
        var fresh = Now - ReconciliationRules.ChargeRecordingGrace + TimeSpan.FromSeconds(1);
        var stale = Now - ReconciliationRules.ChargeRecordingGrace;

        Assert.Equal((ChargeNotYetRecorded, true), Judge(Charge(charged: 1_000, ledger: null, at: fresh)));
        Assert.Equal((ChargeNotInLedger, false), Judge(Charge(charged: 1_000, ledger: null, at: stale)));
        Assert.Equal((ChargeNotInLedger, false), Judge(Charge(charged: 1_000, ledger: null, at: fresh, status: null)));
    }

    [Fact]
    public void Card_refunds_are_in_flight_while_pending_and_must_agree_with_the_processor_once_finished()
    {
        Assert.Null(Judge(Refund(gateway: 500, ledger: 500, status: "SUCCEEDED")));
        Assert.Equal((RefundPending, true), Judge(Refund(gateway: null, ledger: 500, status: "PENDING")));
        Assert.Equal((RefundPending, true), Judge(Refund(gateway: 500, ledger: 500, status: "PENDING")));
        Assert.Equal((RefundAmountDiffers, false), Judge(Refund(gateway: 400, ledger: 500, status: "PENDING")));
        Assert.Equal((RefundNotAtGateway, false), Judge(Refund(gateway: null, ledger: 500, status: "SUCCEEDED")));
        Assert.Equal((RefundNotInLedger, false), Judge(Refund(gateway: 500, ledger: null, status: null)));
    }

    [Fact]
    public void Bank_lines_compare_what_the_bank_kept_sent_with_the_ledgers_net_outflow()
    {
        Assert.Null(Judge(Bank(payout: "IN_TRANSIT", sent: 800, ledgerOut: 800)));
        Assert.Null(Judge(Bank(payout: "REFUSED", sent: 0, ledgerOut: 0, latest: "REFUSED")));
        Assert.Null(Judge(Bank(payout: "REFUSED", sent: 0, ledgerOut: 800, ledgerBack: 800, latest: "REFUSED")));
        Assert.Null(Judge(Bank(payout: "RETURNED", sent: 800, returned: 800, ledgerOut: 800, ledgerBack: 800)));
        Assert.Equal((PayoutSubmitting, true), Judge(Bank(payout: "SUBMITTING", transfers: 0, ledgerOut: 800)));
        Assert.Equal((RefundPending, true), Judge(Bank(refund: "PENDING", transfers: 0, ledgerOut: 800)));
        Assert.Equal(
            (ReturnNotYetRecorded, true),
            Judge(Bank(payout: "IN_TRANSIT", sent: 800, returned: 800, ledgerOut: 800, latest: "RETURNED"))
        );
        Assert.Equal(
            (ReturnNotInLedger, false),
            Judge(Bank(payout: "PAID", sent: 800, returned: 800, ledgerOut: 800, latest: "RETURNED"))
        );
        Assert.Equal((TransferAmountDiffers, false), Judge(Bank(payout: "PAID", sent: 800, ledgerOut: 700)));
        Assert.Equal((TransferNotAtBank, false), Judge(Bank(payout: "IN_TRANSIT", transfers: 0, ledgerOut: 800)));
    }

    private static (string Kind, bool InFlight)? Judge(ChargeLine line) =>
        Kind(ReconciliationRules.Classify(line, Now));

    private static (string Kind, bool InFlight)? Judge(CardRefundLine line) => Kind(ReconciliationRules.Classify(line));

    private static (string Kind, bool InFlight)? Judge(BankLine line) => Kind(ReconciliationRules.Classify(line));

    private static (string, bool)? Kind(Finding? finding) =>
        finding is null ? null : (finding.Item.Kind, finding.InFlight);

    private static ChargeLine Charge(
        long charged,
        long? ledger,
        string? outcome = "APPROVED",
        long voided = 0,
        string? status = "SUCCEEDED",
        DateTimeOffset? at = null,
        string ledgerCurrency = "EUR"
    ) =>
        new(
            "pay_1",
            "plt_1",
            status,
            outcome,
            charged,
            voided,
            outcome is null ? null : "EUR",
            at ?? Now.AddHours(-1),
            ledger,
            ledger is null ? null : ledgerCurrency
        );

    private static CardRefundLine Refund(long? gateway, long? ledger, string? status) =>
        new(
            "re_1",
            "pay_1",
            "plt_1",
            status,
            null,
            gateway,
            gateway is null ? null : "EUR",
            ledger,
            ledger is null ? null : "EUR"
        );

    private static BankLine Bank(
        string? payout = null,
        string? refund = null,
        int transfers = 1,
        long sent = 0,
        long returned = 0,
        string latest = "ACCEPTED",
        long ledgerOut = 0,
        long ledgerBack = 0
    ) =>
        new(
            "po_1",
            "plt_1",
            payout,
            refund,
            transfers,
            sent,
            returned,
            transfers == 0 ? null : latest,
            transfers == 0 ? null : "EUR",
            ledgerOut,
            ledgerBack,
            ledgerOut == 0 ? null : "EUR"
        );
}
