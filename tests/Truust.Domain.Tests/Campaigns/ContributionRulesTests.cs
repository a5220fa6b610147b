using Truust.Domain.Campaigns;

namespace Truust.Domain.Tests.Campaigns;

/// <summary>
/// <see cref="Campaign.ReserveContribution"/>: what a campaign refuses, at the exact boundaries, and that a refusal
/// reserves nothing (a refused contribution that still held room would shrink the hard cap for everyone else).
/// </summary>
public sealed class ContributionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Now.AddDays(30);

    [Fact]
    public void An_accepted_contribution_reserves_its_amount_until_it_is_confirmed_or_released()
    {
        var campaign = NewCampaign();

        campaign.ReserveContribution(2_500, Now);
        campaign.ReserveContribution(1_000, Now);
        Assert.Equal((0L, 3_500L), (campaign.RaisedMinor, campaign.PendingMinor));

        campaign.ConfirmContribution(2_500, Now);
        Assert.Equal((2_500L, 1_000L), (campaign.RaisedMinor, campaign.PendingMinor));

        campaign.ReleaseReservation(1_000, Now);
        Assert.Equal((2_500L, 0L), (campaign.RaisedMinor, campaign.PendingMinor));
        Assert.False(campaign.TargetReached);
        campaign.ReserveContribution(7_500, Now);
        campaign.ConfirmContribution(7_500, Now);
        Assert.True(campaign.TargetReached);
    }

    [Theory]
    [InlineData(CampaignStatus.Succeeded)]
    [InlineData(CampaignStatus.Failed)]
    [InlineData(CampaignStatus.Cancelled)]
    [InlineData(CampaignStatus.Repaying)]
    [InlineData(CampaignStatus.Repaid)]
    [InlineData(CampaignStatus.Defaulted)]
    public void A_closed_campaign_refuses_contributions_with_a_conflict(CampaignStatus status)
    {
        var campaign = CampaignTransitionsTests.CampaignIn(status);

        var error = Assert.Throws<ConflictException>(() => campaign.ReserveContribution(100, Now));

        Assert.Equal("campaign_closed", error.Code);
        Assert.Equal(0, campaign.PendingMinor);
    }

    [Fact]
    public void A_funded_campaign_still_accepts_contributions_before_its_deadline()
    {
        var campaign = CampaignTransitionsTests.CampaignIn(CampaignStatus.Funded);

        campaign.ReserveContribution(100, Now);

        Assert.Equal(100, campaign.PendingMinor);
    }

    [Fact]
    public void A_contribution_at_or_after_the_deadline_is_refused_and_one_tick_before_is_accepted()
    {
        var campaign = NewCampaign();

        foreach (var at in new[] { Deadline, Deadline.AddTicks(1), Deadline.AddDays(3) })
        {
            var error = Assert.Throws<BusinessRuleException>(() => campaign.ReserveContribution(100, at));
            Assert.Equal("deadline_passed", error.Code);
        }

        Assert.Equal(0, campaign.PendingMinor);
        campaign.ReserveContribution(100, Deadline.AddTicks(-1));
        Assert.Equal(100, campaign.PendingMinor);
    }

    [Fact]
    public void Contributions_below_the_minimum_or_above_the_maximum_are_refused_and_the_bounds_themselves_accepted()
    {
        var campaign = NewCampaign(min: 500, max: 2_000);

        var small = Assert.Throws<BusinessRuleException>(() => campaign.ReserveContribution(499, Now));
        var large = Assert.Throws<BusinessRuleException>(() => campaign.ReserveContribution(2_001, Now));
        Assert.Equal(("contribution_too_small", "amount"), (small.Code, small.Field));
        Assert.Equal(("contribution_too_large", "amount"), (large.Code, large.Field));
        Assert.Equal(0, campaign.PendingMinor);

        campaign.ReserveContribution(500, Now);
        campaign.ReserveContribution(2_000, Now);
        Assert.Equal(2_500, campaign.PendingMinor);
    }

    [Fact]
    public void The_hard_cap_counts_confirmed_and_pending_money_and_accepts_exactly_up_to_the_cap()
    {
        var campaign = NewCampaign(hardCap: 12_000);
        campaign.ReserveContribution(6_000, Now);
        campaign.ConfirmContribution(6_000, Now);
        campaign.ReserveContribution(5_000, Now);

        // 6,000 raised + 5,000 pending: 1,000 of room left.
        var error = Assert.Throws<BusinessRuleException>(() => campaign.ReserveContribution(1_001, Now));
        Assert.Equal(("hard_cap_reached", "amount"), (error.Code, error.Field));
        Assert.Contains(" 1000 more minor units", error.Message);
        Assert.Equal((6_000L, 5_000L), (campaign.RaisedMinor, campaign.PendingMinor));

        // A pending contribution that fails gives its room back.
        campaign.ReleaseReservation(5_000, Now);
        campaign.ReserveContribution(6_000, Now);
        Assert.Equal(12_000, campaign.RaisedMinor + campaign.PendingMinor);
        Assert.Throws<BusinessRuleException>(() => campaign.ReserveContribution(1, Now));
    }

    [Fact]
    public void Without_a_hard_cap_a_campaign_may_raise_past_its_target()
    {
        var campaign = NewCampaign();

        campaign.ReserveContribution(25_000, Now);
        campaign.ConfirmContribution(25_000, Now);

        Assert.Equal(25_000, campaign.RaisedMinor);
        Assert.True(campaign.TargetReached);
    }

    [Fact]
    public void Withdrawing_more_than_the_escrow_holds_throws_and_takes_nothing()
    {
        var campaign = NewCampaign();
        campaign.ReserveContribution(3_000, Now);
        campaign.ConfirmContribution(3_000, Now);

        Assert.Throws<InvalidOperationException>(() => campaign.Withdraw(3_001));
        Assert.Equal(3_000, campaign.RaisedMinor);
        campaign.Withdraw(3_000);
        Assert.Equal(0, campaign.RaisedMinor);
    }

    private static Campaign NewCampaign(long? min = null, long? max = null, long? hardCap = null) =>
        new(
            "plt_1",
            "Solar roofs",
            CampaignKind.Reward,
            CampaignMode.AllOrNothing,
            "cus_owner",
            new Money(10_000, Currency.Of("EUR")),
            Deadline,
            Now
        )
        {
            MinContributionMinor = min,
            MaxContributionMinor = max,
            HardCapMinor = hardCap,
        };
}
