using Truust.Domain.Campaigns;
using static Truust.Domain.Campaigns.CampaignMoneyEffect;
using static Truust.Domain.Campaigns.CampaignStatus;
using static Truust.Domain.Campaigns.CampaignTrigger;

namespace Truust.Domain.Tests.Campaigns;

/// <summary>
/// Every (status, trigger) pair of the campaign table, against a copy of the lifecycle written out by hand here: a
/// change to the table that nobody meant shows up as a failing pair, not as money released or refunded wrongly.
/// </summary>
public sealed class CampaignTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The campaign lifecycle as the issue describes it, written independently of the domain's table.
    /// </summary>
    private static readonly Dictionary<
        (CampaignStatus, CampaignTrigger),
        (CampaignStatus To, CampaignMoneyEffect Effect)
    > Expected = new()
    {
        [(Open, ReachTarget)] = (Funded, None),
        [(Open, Expire)] = (Failed, RefundAll),
        // KEEP_IT_ALL below its target closes from OPEN at the deadline.
        [(Open, Close)] = (Succeeded, ReleaseToOwner),
        [(Open, Cancel)] = (Cancelled, RefundAll),
        [(Funded, Close)] = (Succeeded, ReleaseToOwner),
        [(Funded, Cancel)] = (Cancelled, RefundAll),
        [(Succeeded, Disburse)] = (Repaying, None),
        [(Repaying, CompleteRepayment)] = (Repaid, None),
        [(Repaying, CampaignTrigger.Default)] = (Defaulted, None),
    };

    public static TheoryData<CampaignStatus, CampaignTrigger> AllPairs()
    {
        var data = new TheoryData<CampaignStatus, CampaignTrigger>();
        foreach (var status in Enum.GetValues<CampaignStatus>())
        {
            foreach (var trigger in Enum.GetValues<CampaignTrigger>())
            {
                data.Add(status, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_status_and_trigger_pair_lands_where_the_lifecycle_says_or_throws_leaving_the_status_unchanged(
        CampaignStatus from,
        CampaignTrigger trigger
    )
    {
        var campaign = CampaignIn(from);
        var updatedBefore = campaign.UpdatedAt;
        var closedBefore = campaign.ClosedAt;
        var later = Now.AddMinutes(5);

        if (Expected.TryGetValue((from, trigger), out var expected))
        {
            var transition = campaign.Apply(trigger, later);

            Assert.Equal(
                (from, trigger, expected.To, expected.Effect),
                (transition.From, transition.Trigger, transition.To, transition.Effect)
            );
            Assert.Equal(expected.To, campaign.Status);
            Assert.Equal(later, campaign.UpdatedAt);
            // Only a move that releases or refunds the pool closes the campaign.
            Assert.Equal(expected.Effect == None ? closedBefore : later, campaign.ClosedAt);
        }
        else
        {
            var error = Assert.Throws<InvalidCampaignTransitionException>(() => campaign.Apply(trigger, later));

            Assert.Equal(from, campaign.Status);
            Assert.Equal(updatedBefore, campaign.UpdatedAt);
            Assert.Equal(closedBefore, campaign.ClosedAt);
            Assert.Equal("invalid_transition", error.Code);
            Assert.Equal((from, trigger), (error.Status, error.Trigger));
            Assert.Equal(ExpectedAllowed(from), error.Allowed.OrderBy(t => t));
        }
    }

    [Fact]
    public void The_table_holds_exactly_the_lifecycle_and_nothing_more()
    {
        var table = CampaignTransitions.Table.ToDictionary(t => (t.From, t.Trigger), t => (t.To, t.Effect));

        Assert.Equal(CampaignTransitions.Table.Count, table.Count);
        Assert.Equal(Expected.OrderBy(e => e.Key), table.OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData(Open, new[] { ReachTarget, Expire, Close, Cancel })]
    [InlineData(Funded, new[] { Close, Cancel })]
    [InlineData(Succeeded, new[] { Disburse })]
    [InlineData(Repaying, new[] { CompleteRepayment, CampaignTrigger.Default })]
    [InlineData(Failed, new CampaignTrigger[0])]
    [InlineData(Cancelled, new CampaignTrigger[0])]
    [InlineData(Repaid, new CampaignTrigger[0])]
    [InlineData(Defaulted, new CampaignTrigger[0])]
    public void The_triggers_allowed_from_a_status_are_those_of_its_rows(
        CampaignStatus status,
        CampaignTrigger[] allowed
    )
    {
        Assert.Equal(allowed.OrderBy(t => t), CampaignTransitions.AllowedFrom(status).OrderBy(t => t));
    }

    [Theory]
    [InlineData(Open, true)]
    [InlineData(Funded, true)]
    [InlineData(Succeeded, false)]
    [InlineData(Failed, false)]
    [InlineData(Cancelled, false)]
    [InlineData(Repaying, false)]
    [InlineData(Repaid, false)]
    [InlineData(Defaulted, false)]
    public void Only_an_open_or_funded_campaign_accepts_contributions(CampaignStatus status, bool accepts)
    {
        Assert.Equal(accepts, CampaignTransitions.AcceptsContributions(status));
    }

    [Fact]
    public void Every_status_is_reachable_from_open_and_the_ends_of_the_lifecycle_lead_nowhere()
    {
        var reached = new HashSet<CampaignStatus> { Open };
        var frontier = new Queue<CampaignStatus>([Open]);
        while (frontier.TryDequeue(out var status))
        {
            foreach (var row in CampaignTransitions.Table.Where(t => t.From == status && reached.Add(t.To)))
            {
                frontier.Enqueue(row.To);
            }
        }

        Assert.Equal(Enum.GetValues<CampaignStatus>().Order(), reached.Order());
        Assert.All(
            new[] { Failed, Cancelled, Repaid, Defaulted },
            end => Assert.Empty(CampaignTransitions.AllowedFrom(end))
        );
    }

    [Fact]
    public void A_new_campaign_is_open_with_nothing_raised_and_a_deadline_in_the_past_is_refused()
    {
        var campaign = CampaignIn(Open);

        Assert.Equal(
            (Open, 0L, 0L, (DateTimeOffset?)null),
            (campaign.Status, campaign.RaisedMinor, campaign.PendingMinor, campaign.ClosedAt)
        );
        Assert.StartsWith("cmp_", campaign.Id);
        foreach (var deadline in new[] { Now, Now.AddTicks(-1), Now.AddDays(-1) })
        {
            var error = Assert.Throws<BusinessRuleException>(() => NewCampaign(deadline));
            Assert.Equal(("invalid_deadline", "deadline"), (error.Code, error.Field));
        }
    }

    private static IEnumerable<CampaignTrigger> ExpectedAllowed(CampaignStatus status) =>
        Expected.Keys.Where(k => k.Item1 == status).Select(k => k.Item2).OrderBy(t => t);

    private static Campaign NewCampaign(DateTimeOffset deadline) =>
        new(
            "plt_1",
            "Solar roofs",
            CampaignKind.Loan,
            CampaignMode.AllOrNothing,
            "cus_owner",
            new Money(10_000, Currency.Of("EUR")),
            deadline,
            Now
        );

    /// <summary>A campaign driven to <paramref name="status"/> along the shortest path of the expected lifecycle.
    /// </summary>
    internal static Campaign CampaignIn(CampaignStatus status)
    {
        var campaign = NewCampaign(Now.AddDays(30));
        foreach (var trigger in PathTo(status))
        {
            campaign.Apply(trigger, Now);
        }

        Assert.Equal(status, campaign.Status);
        return campaign;
    }

    private static IReadOnlyList<CampaignTrigger> PathTo(CampaignStatus target)
    {
        var paths = new Dictionary<CampaignStatus, List<CampaignTrigger>> { [Open] = [] };
        var frontier = new Queue<CampaignStatus>([Open]);
        while (frontier.TryDequeue(out var status))
        {
            foreach (var ((from, trigger), (to, _)) in Expected.Where(e => e.Key.Item1 == status))
            {
                if (paths.TryAdd(to, [.. paths[from], trigger]))
                {
                    frontier.Enqueue(to);
                }
            }
        }

        return paths[target];
    }
}
