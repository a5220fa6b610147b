using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;

namespace Truust.Domain.Tests.Orders;

/// <summary>
/// Milestones: the allocation of an order's amount, fee and splits among them (largest remainder, no cent lost or
/// created), and their own small transition table.
/// </summary>
public sealed class MilestoneTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Basis_points_33_33_33_33_33_34_of_100_01_lose_no_cent()
    {
        var amounts = MilestonePlan.Amounts(10_001, [(null, 3_333), (null, 3_333), (null, 3_334)]);

        // 3333.3333, 3333.3333, 3334.3334: the floors sum to 10,000; the spare cent goes to the largest remainder.
        Assert.Equal([3_333L, 3_333L, 3_335L], amounts);
        Assert.Equal(10_001, amounts.Sum());
    }

    [Fact]
    public void Amounts_are_taken_as_given_when_they_sum_to_the_whole()
    {
        Assert.Equal(
            [30_000L, 30_000L, 40_000L],
            MilestonePlan.Amounts(100_000, [(30_000, null), (30_000, null), (40_000, null)])
        );
    }

    [Theory]
    [InlineData(new long[] { 30_000, 30_000 }, null, "milestones")] // amounts not summing to the whole
    [InlineData(null, new long[] { 5_000, 4_000 }, "milestones")] // basis points not summing to 10,000
    [InlineData(new long[] { 100_000 }, new long[] { 10_000 }, "milestones")] // both on one milestone
    public void Milestones_that_do_not_make_the_whole_are_refused_with_the_field(
        long[]? amounts,
        long[]? basisPoints,
        string field
    )
    {
        var count = Math.Max(amounts?.Length ?? 0, basisPoints?.Length ?? 0);
        var parts = Enumerable
            .Range(0, count)
            .Select(i =>
                (amounts is null ? null : (long?)amounts[i], basisPoints is null ? null : (long?)basisPoints[i])
            )
            .ToList();

        var refused = Assert.Throws<BusinessRuleException>(() => MilestonePlan.Amounts(100_000, parts));

        Assert.Equal(("invalid_milestones", field), (refused.Code, refused.Field));
    }

    [Fact]
    public void A_share_that_would_round_a_milestone_to_nothing_and_an_empty_list_are_refused()
    {
        var tiny = Assert.Throws<BusinessRuleException>(() => MilestonePlan.Amounts(3, [(null, 9_998), (null, 2)]));
        Assert.Equal("milestones[1].basis_points", tiny.Field);
        Assert.Equal("milestones", Assert.Throws<BusinessRuleException>(() => MilestonePlan.Amounts(3, [])).Field);
    }

    [Fact]
    public void Each_milestone_release_pays_its_part_of_the_fee_and_splits_and_the_parts_add_up_exactly()
    {
        long[] amounts = [3_333, 3_333, 3_335];
        const long fee = 500;
        long[] splits = [1_001];

        var releases = Enumerable
            .Range(0, 3)
            .Select(i => MilestonePlan.ReleaseOf(i, amounts, amounts[i], fee, splits))
            .ToList();

        Assert.Equal(fee, releases.Sum(r => r.FeeMinor));
        Assert.Equal(1_001, releases.Sum(r => r.SplitsMinor[0]));
        Assert.Equal(amounts, releases.Select(r => r.TotalMinor));
        // A milestone partly refunded pays its fee and splits shrunk pro rata, still to the cent.
        var shrunk = MilestonePlan.ReleaseOf(1, amounts, 2_000, fee, splits);
        Assert.Equal(2_000, shrunk.TotalMinor);
        Assert.True(shrunk.FeeMinor < releases[1].FeeMinor);
    }

    [Fact]
    public void A_milestone_is_delivered_refunded_in_part_then_released_and_then_allows_nothing()
    {
        var milestone = NewMilestone(inspectionHours: 48);

        milestone.Deliver(OrderActor.Seller, Now);
        milestone.Refund(1_000, OrderActor.Platform, Now);
        var released = milestone.Release(OrderActor.System, "po_1", Now.AddHours(48));

        Assert.Equal(Now.AddHours(48), milestone.InspectionEndsAt);
        Assert.Equal(
            (MilestoneStatus.Released, 2_000L, 1_000L, 2_000L),
            (milestone.Status, released, milestone.RefundedMinor, milestone.ReleasedMinor)
        );
        Assert.Empty(milestone.AllowedTriggers(OrderActor.Platform));
        var again = Assert.Throws<InvalidTransitionException>(() => milestone.Refund(1, OrderActor.Platform, Now));
        Assert.Equal("invalid_transition", again.Code);
    }

    [Fact]
    public void A_refund_of_all_a_milestone_holds_ends_it_refunded_and_more_than_that_is_refused()
    {
        var milestone = NewMilestone();

        var tooMuch = Assert.Throws<BusinessRuleException>(() => milestone.Refund(3_001, OrderActor.Platform, Now));
        Assert.Equal(MilestoneStatus.Pending, milestone.Status);
        milestone.Refund(3_000, OrderActor.Platform, Now);

        Assert.Equal("refund_exceeds_held", tooMuch.Code);
        Assert.Equal((MilestoneStatus.Refunded, 0L), (milestone.Status, milestone.RemainingMinor));
        Assert.Throws<InvalidTransitionException>(() => milestone.Deliver(OrderActor.Seller, Now));
    }

    [Fact]
    public void Only_the_system_validates_at_the_window_end_only_the_seller_side_delivers_and_the_buyer_does_nothing()
    {
        var milestone = NewMilestone();

        Assert.Equal(
            [MilestoneTrigger.Deliver, MilestoneTrigger.Validate, MilestoneTrigger.Refund],
            milestone.AllowedTriggers(OrderActor.Platform)
        );
        Assert.Equal([MilestoneTrigger.Deliver], milestone.AllowedTriggers(OrderActor.Seller));
        Assert.Empty(milestone.AllowedTriggers(OrderActor.Buyer));
        Assert.Throws<InvalidTransitionException>(() => milestone.Release(OrderActor.Buyer, "po_1", Now));
        Assert.Throws<InvalidTransitionException>(() => milestone.Release(OrderActor.Seller, "po_1", Now));
        milestone.Deliver(OrderActor.Seller, Now);
        Assert.Null(milestone.InspectionEndsAt);
        Assert.Equal(3_000, milestone.Release(OrderActor.System, "po_1", Now));
    }

    [Fact]
    public void A_dispute_holds_the_milestone_until_it_ends_and_only_one_that_still_holds_money_is_disputed()
    {
        var milestone = NewMilestone();
        milestone.HoldForDispute("dsp_1", Now);

        foreach (
            var action in new Action[]
            {
                () => milestone.Release(OrderActor.Platform, "po_1", Now),
                () => milestone.Refund(1_000, OrderActor.Platform, Now),
                () => milestone.Refund(3_000, OrderActor.System, Now, cancelling: true),
                () => milestone.HoldForDispute("dsp_2", Now),
            }
        )
        {
            Assert.Equal("dispute_open", Assert.ThrowsAny<ConflictException>(action).Code);
        }

        Assert.Equal(
            (MilestoneStatus.Pending, 0L, "dsp_1"),
            (milestone.Status, milestone.RefundedMinor, milestone.OpenDisputeId)
        );
        Assert.Equal([MilestoneTrigger.Deliver], milestone.AllowedTriggers(OrderActor.Platform));
        Assert.Throws<InvalidOperationException>(() => milestone.EndDispute("dsp_2"));

        // The settlement (actor system): the dispute ends, part goes back, the rest is released, delivered or not.
        milestone.EndDispute("dsp_1");
        milestone.Refund(1_000, OrderActor.System, Now);
        Assert.Equal(2_000, milestone.Release(OrderActor.System, "po_1", Now));
        var released = Assert.Throws<BusinessRuleException>(() => milestone.HoldForDispute("dsp_3", Now));
        Assert.Equal(("milestone_not_disputable", "milestone_id"), (released.Code, released.Field));
        Assert.Null(milestone.OpenDisputeId);
    }

    private static Milestone NewMilestone(int? inspectionHours = null)
    {
        var order = new Order("plt_1", "Website", new Money(10_000, Currency.Of("EUR")), "cus_b", "cus_s", Now);
        order.UseMilestones();
        return new Milestone(order, 1, "Design", 3_000, null, inspectionHours, Now);
    }
}
