using Truust.Api.Reconciliation;
using static Truust.Api.Reconciliation.ReconciliationKinds;

namespace Truust.Api.Tests.Refunds;

/// <summary>The reserve's reconciliation rule on lines no API flow produces (a tampered debt or hold).</summary>
public sealed class ReserveReconciliationRulesTests
{
    [Fact]
    public void Debts_and_holds_agree_with_the_ledger_to_the_cent_or_are_a_mismatch_never_in_flight()
    {
        Assert.Null(ReconciliationRules.Classify(Line(ReserveLine.DebtAmount, 10_000, 10_000)));
        Assert.Null(ReconciliationRules.Classify(Line(ReserveLine.HeldBalance, 0, 0)));

        var debt = ReconciliationRules.Classify(Line(ReserveLine.DebtAmount, 10_000, 9_999))!;
        var recovered = ReconciliationRules.Classify(Line(ReserveLine.DebtRecovered, 500, 0))!;
        var held = ReconciliationRules.Classify(Line(ReserveLine.HeldBalance, 1_000, 1_200))!;

        Assert.Equal(
            [(DebtDiffers, false), (DebtDiffers, false), (ReserveHeldDiffers, false)],
            new[] { debt, recovered, held }.Select(f => (f.Item.Kind, f.InFlight))
        );
        Assert.Equal(
            (ReserveRail, 10_000L, (long?)9_999L),
            (debt.Item.Rail, debt.Item.GatewayAmount!.Value, debt.Item.LedgerAmount)
        );
        Assert.Contains("covered 9999", debt.Item.Detail);
    }

    private static ReserveLine Line(string what, long record, long ledger) =>
        new("debt_x", "plt_x", "EUR", what, record, ledger);
}
