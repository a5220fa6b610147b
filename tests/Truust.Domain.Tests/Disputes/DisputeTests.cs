using Truust.Domain.Disputes;
using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;

namespace Truust.Domain.Tests.Disputes;

public sealed class ReleaseSharesTests
{
    [Fact]
    public void With_nothing_refunded_the_shares_are_exactly_the_agreed_ones()
    {
        var shares = ReleaseShares.Of(20_000, 20_000, 1_000, [500, 250]);
        Assert.Equal((1_000L, 18_250L), (shares.FeeMinor, shares.SellerMinor));
        Assert.Equal([500L, 250L], shares.SplitsMinor);
    }

    [Fact]
    public void After_a_partial_refund_fee_splits_and_seller_shrink_pro_rata()
    {
        // 200.00 paid, 60.00 refunded: 140/200 of each share.
        var shares = ReleaseShares.Of(20_000, 14_000, 1_000, [2_000]);
        Assert.Equal((700L, 1_400L, 11_900L), (shares.FeeMinor, shares.SplitsMinor[0], shares.SellerMinor));
        Assert.Equal(14_000, shares.TotalMinor);
    }

    [Theory]
    [InlineData(10_001, 3_333, 333, 1)]
    [InlineData(999, 1, 7, 3)]
    [InlineData(1_000_000_007, 999_999_999, 12_345, 5)]
    [InlineData(3, 2, 1, 1)]
    public void No_cent_is_lost_or_created_whatever_the_rounding(long paid, long held, long fee, int splitCount)
    {
        var splits = Enumerable.Range(1, splitCount).Select(i => (long)i).ToList();
        var shares = ReleaseShares.Of(paid, held, fee, splits);
        Assert.Equal(held, shares.TotalMinor);
        Assert.True(shares.FeeMinor <= fee && shares.SplitsMinor.Select((s, i) => s <= splits[i]).All(x => x));
    }

    [Fact]
    public void Nothing_held_pays_nothing_and_impossible_inputs_throw()
    {
        Assert.Equal(0, ReleaseShares.Of(100, 0, 10, [5]).TotalMinor);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReleaseShares.Of(100, 101, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReleaseShares.Of(100, 50, 90, [20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReleaseShares.Of(100, 50, -1, []));
    }
}

public sealed class DisputeLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_table_walks_open_offer_reject_contest_accept_with_deadlines_per_party()
    {
        var dispute = Opened(sellerHours: 48, buyerHours: 24);
        Assert.Equal((DisputeStatus.AwaitingSeller, Now.AddHours(48)), (dispute.Status, dispute.DeadlineAt));

        Assert.Null(Move(dispute, DisputeTrigger.OfferPartialRefund, DisputeActor.Seller, 6_000));
        Assert.Equal((DisputeStatus.AwaitingBuyer, 6_000L), (dispute.Status, dispute.OfferedMinor));
        Assert.Equal(Now.AddHours(24), dispute.DeadlineAt);

        Assert.Null(Move(dispute, DisputeTrigger.Reject, DisputeActor.Buyer));
        Assert.Equal((DisputeStatus.AwaitingSeller, (long?)null), (dispute.Status, dispute.OfferedMinor));

        Assert.Null(Move(dispute, DisputeTrigger.Contest, DisputeActor.Seller));
        Assert.Equal(0, Move(dispute, DisputeTrigger.Accept, DisputeActor.Buyer));
        Assert.Equal(
            (DisputeStatus.Resolved, (DateTimeOffset?)null, "accept"),
            (dispute.Status, dispute.DeadlineAt, dispute.Outcome)
        );
        Assert.Equal(
            ["open", "offer_partial_refund", "reject", "contest", "accept"],
            dispute.Entries.Select(e => e.Action)
        );
        Assert.Empty(dispute.AllowedTriggers(DisputeActor.Platform | DisputeActor.Operator));
    }

    [Fact]
    public void The_wrong_party_is_refused_with_what_it_may_do_and_nothing_changes()
    {
        var dispute = Opened();
        var refused = Assert.Throws<InvalidTransitionException>(() =>
            Move(dispute, DisputeTrigger.Accept, DisputeActor.Buyer)
        );
        Assert.Equal(DisputeStatus.AwaitingSeller, dispute.Status);
        Assert.Empty(refused.Allowed);
        Assert.Throws<InvalidTransitionException>(() => Move(dispute, DisputeTrigger.Resolve, DisputeActor.Seller, 0));
        Assert.Throws<InvalidTransitionException>(() => Move(dispute, DisputeTrigger.Expire, DisputeActor.Platform));
        Assert.Single(dispute.Entries);
    }

    [Fact]
    public void Offers_and_decisions_stay_between_nothing_and_what_is_held()
    {
        var dispute = Opened();
        Assert.Throws<BusinessRuleException>(() =>
            Move(dispute, DisputeTrigger.OfferPartialRefund, DisputeActor.Seller, 0)
        );
        Assert.Throws<BusinessRuleException>(() =>
            Move(dispute, DisputeTrigger.OfferPartialRefund, DisputeActor.Seller, 20_000)
        );
        Assert.Throws<BusinessRuleException>(() =>
            Move(dispute, DisputeTrigger.Resolve, DisputeActor.Platform, 20_001)
        );
        Assert.Throws<BusinessRuleException>(() => Move(dispute, DisputeTrigger.Resolve, DisputeActor.Platform, -1));
        Assert.Equal(DisputeStatus.AwaitingSeller, dispute.Status);
        Assert.Equal(5_000, Move(dispute, DisputeTrigger.Resolve, DisputeActor.Operator, 5_000));
    }

    [Theory]
    [InlineData(DisputeStatus.AwaitingSeller, SilenceWinner.Counterparty, 20_000)]
    [InlineData(DisputeStatus.AwaitingBuyer, SilenceWinner.Counterparty, 6_000)]
    [InlineData(DisputeStatus.AwaitingSeller, SilenceWinner.Seller, 0)]
    [InlineData(DisputeStatus.AwaitingBuyer, SilenceWinner.Seller, 6_000)]
    [InlineData(DisputeStatus.AwaitingBuyer, SilenceWinner.Buyer, 20_000)]
    public void Silence_is_decided_by_the_policy(DisputeStatus waitingFor, SilenceWinner policy, long refund) =>
        Assert.Equal(refund, Dispute.OnSilence(waitingFor, policy, 20_000, 6_000));

    private static Dispute Opened(int sellerHours = 72, int buyerHours = 72)
    {
        var order = new Order("plt_x", "Bike", new Money(20_000, Currency.Of("EUR")), "cus_b", "cus_s", Now);
        order.SetPolicy(new ReleasePolicy(72, true, sellerHours, buyerHours, SilenceWinner.Counterparty));
        var dispute = new Dispute(order, "damaged", Now);
        dispute.Apply(DisputeTrigger.Open, DisputeActor.Buyer, "buyer", "cracked", [], null, 20_000, Now);
        return dispute;
    }

    private static long? Move(Dispute d, DisputeTrigger trigger, DisputeActor actor, long? amount = null) =>
        d.Apply(trigger, actor, "x", null, [], amount, 20_000, Now);
}
