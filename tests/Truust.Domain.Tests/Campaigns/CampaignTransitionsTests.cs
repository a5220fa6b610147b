using Truust.Domain.Campaigns;
using Truust.Domain.Lifecycle;
using static Truust.Domain.Campaigns.CampaignMoneyEffect;
using static Truust.Domain.Campaigns.CampaignStatus;
using static Truust.Domain.Campaigns.CampaignTrigger;

namespace Truust.Domain.Tests.Campaigns;

/// <summary>
/// Every (status, trigger, actor) combination of the campaign table, against a copy of the lifecycle written out by
/// hand here: a change to the table that nobody meant shows up as a failing pair, not as money released or refunded
/// wrongly, nor as a request making a move that only the deadline worker may make.
/// </summary>
public sealed class CampaignTransitionsTests
{
    private const CampaignActor Platform = CampaignActor.Platform;
    private const CampaignActor Operator = CampaignActor.Operator;

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The campaign lifecycle as the issue describes it, written independently of the domain's table.
    /// </summary>
    private static readonly Dictionary<
        (CampaignStatus, CampaignTrigger),
        (CampaignStatus To, CampaignMoneyEffect Effect, CampaignActor Actors)
    > Expected = new()
    {
        // In place: a contribution while the campaign is open or funded.
        [(Open, Contribute)] = (Open, AddToPool, Platform | Operator),
        [(Open, ReachTarget)] = (Funded, None, CampaignActor.System),
        [(Open, Expire)] = (Failed, RefundAll, CampaignActor.System),
        // KEEP_IT_ALL below its target closes from OPEN at the deadline: the deadline worker's move, never a request's.
        [(Open, Close)] = (Succeeded, ReleaseToOwner, CampaignActor.System),
        [(Open, Cancel)] = (Cancelled, RefundAll, Platform | Operator),
        [(Funded, Contribute)] = (Funded, AddToPool, Platform | Operator),
        [(Funded, Close)] = (Succeeded, ReleaseToOwner, Platform | Operator | CampaignActor.System),
        [(Funded, Cancel)] = (Cancelled, RefundAll, Platform | Operator),
        [(Succeeded, Disburse)] = (Repaying, None, CampaignActor.System),
        [(Repaying, CompleteRepayment)] = (Repaid, None, CampaignActor.System),
        [(Repaying, CampaignTrigger.Default)] = (Defaulted, None, Platform | Operator),
        // In place: a repayment; the last one is followed by complete_repayment.
        [(Repaying, Repay)] = (Repaying, RepayLenders, Platform | Operator),
    };

    /// <summary>Each single actor; a caller always acts as exactly one of them.</summary>
    private static readonly CampaignActor[] Actors = [Platform, Operator, CampaignActor.System];

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

    [Fact]
    public void The_actors_are_the_platform_the_operator_and_the_system()
    {
        Assert.Equal(Actors, Enum.GetValues<CampaignActor>().Where(a => a != CampaignActor.None));
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_status_trigger_and_actor_lands_where_the_lifecycle_says_or_throws_leaving_the_status_unchanged(
        CampaignStatus from,
        CampaignTrigger trigger
    )
    {
        foreach (var actor in Actors)
        {
            var campaign = CampaignIn(from);
            var updatedBefore = campaign.UpdatedAt;
            var closedBefore = campaign.ClosedAt;
            var later = Now.AddMinutes(5);
            var legal = Expected.TryGetValue((from, trigger), out var expected) && (expected.Actors & actor) != 0;

            if (legal && expected.To == from)
            {
                // An action in place: allowed, with no status to apply.
                campaign.EnsureCan(trigger, actor);
                Assert.Throws<InvalidOperationException>(() => campaign.Apply(trigger, actor, later));
                Assert.Equal(
                    (from, updatedBefore, closedBefore),
                    (campaign.Status, campaign.UpdatedAt, campaign.ClosedAt)
                );
            }
            else if (legal)
            {
                var change = campaign.Apply(trigger, actor, later, "because");
                var row = CampaignTransitions.Find(from, trigger)!;

                Assert.Equal(
                    (from, trigger, expected.To, expected.Effect),
                    (row.From, row.Trigger, row.To, row.Effect)
                );
                Assert.Equal(
                    (campaign.Id, from, expected.To, trigger, actor, "because", later),
                    (change.CampaignId, change.From, change.To, change.Trigger, change.Actor, change.Reason, change.At)
                );
                Assert.StartsWith("csc_", change.Id);
                Assert.Equal(expected.To, campaign.Status);
                Assert.Equal(later, campaign.UpdatedAt);
                // Only a move that releases or refunds the pool closes the campaign.
                Assert.Equal(expected.Effect == None ? closedBefore : later, campaign.ClosedAt);
            }
            else
            {
                var error = Assert.Throws<InvalidTransitionException>(() => campaign.Apply(trigger, actor, later));

                Assert.Equal(from, campaign.Status);
                Assert.Equal(updatedBefore, campaign.UpdatedAt);
                Assert.Equal(closedBefore, campaign.ClosedAt);
                Assert.Equal("invalid_transition", error.Code);
                Assert.Equal(
                    ("Campaign", campaign.Id, (Enum)from, (Enum)trigger),
                    (error.Noun, error.SubjectId, error.Status, error.Trigger)
                );
                Assert.Equal(ExpectedAllowed(from, actor), error.Allowed.Cast<CampaignTrigger>().OrderBy(t => t));
                Assert.Throws<InvalidTransitionException>(() => campaign.EnsureCan(trigger, actor));
            }
        }
    }

    [Fact]
    public void The_table_holds_exactly_the_lifecycle_and_nothing_more()
    {
        var table = CampaignTransitions.Table.ToDictionary(t => (t.From, t.Trigger), t => (t.To, t.Effect, t.Actors));

        Assert.Equal(CampaignTransitions.Table.Count, table.Count);
        Assert.Equal(Expected.OrderBy(e => e.Key), table.OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData(Open, new[] { Contribute, ReachTarget, Expire, Close, Cancel })]
    [InlineData(Funded, new[] { Contribute, Close, Cancel })]
    [InlineData(Succeeded, new[] { Disburse })]
    [InlineData(Repaying, new[] { CompleteRepayment, CampaignTrigger.Default, Repay })]
    [InlineData(Failed, new CampaignTrigger[0])]
    [InlineData(Cancelled, new CampaignTrigger[0])]
    [InlineData(Repaid, new CampaignTrigger[0])]
    [InlineData(Defaulted, new CampaignTrigger[0])]
    public void The_triggers_allowed_from_a_status_are_those_of_its_rows(
        CampaignStatus status,
        CampaignTrigger[] allowed
    )
    {
        var anyone = Platform | Operator | CampaignActor.System;
        Assert.Equal(allowed.OrderBy(t => t), CampaignTransitions.AllowedFor(status, anyone).OrderBy(t => t));
    }

    /// <summary>
    /// What a response's <c>allowed_actions</c> lists for a request, in order: a request may never make the deadline
    /// worker's moves (closing an OPEN campaign, expiring it) nor the system's (reaching the target, disbursing).
    /// </summary>
    [Theory]
    [InlineData(Open, new[] { "contribute", "cancel" })]
    [InlineData(Funded, new[] { "contribute", "close", "cancel" })]
    [InlineData(Succeeded, new string[0])]
    [InlineData(Repaying, new[] { "default", "repay" })]
    [InlineData(Failed, new string[0])]
    [InlineData(Cancelled, new string[0])]
    [InlineData(Repaid, new string[0])]
    [InlineData(Defaulted, new string[0])]
    public void A_request_is_allowed_the_owner_and_platform_actions_only(CampaignStatus status, string[] actions)
    {
        foreach (var actor in new[] { Platform, Operator })
        {
            Assert.Equal(actions, CampaignIn(status).AllowedTriggers(actor).Select(t => WireName.Action(t)));
        }
    }

    [Fact]
    public void Repaying_a_campaign_that_is_not_being_repaid_says_where_repayments_apply()
    {
        var campaign = CampaignIn(Open);

        var refused = Assert.Throws<InvalidTransitionException>(() => campaign.EnsureCan(Repay, Platform));

        Assert.Equal(
            $"Campaign {campaign.Id} is OPEN; only a loan being repaid (REPAYING) takes repayments.",
            refused.Message
        );
        Assert.Equal("OPEN", refused.CurrentStatus);
        Assert.Equal(["contribute", "cancel"], refused.AllowedActions);
        var close = Assert.Throws<InvalidTransitionException>(() => campaign.EnsureCan(Close, Platform));
        Assert.Equal($"Campaign {campaign.Id} is OPEN; 'close' is not allowed now.", close.Message);
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
            end => Assert.Empty(CampaignTransitions.AllowedFor(end, Platform | Operator | CampaignActor.System))
        );
        Assert.Equal(
            [Failed, Cancelled, Repaid, Defaulted],
            Enum.GetValues<CampaignStatus>().Where(CampaignTransitions.IsFinal).Order()
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

    private static IEnumerable<CampaignTrigger> ExpectedAllowed(CampaignStatus status, CampaignActor actor) =>
        Expected
            .Where(e => e.Key.Item1 == status && (e.Value.Actors & actor) != 0)
            .Select(e => e.Key.Item2)
            .OrderBy(t => t);

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
        foreach (var (trigger, actors) in PathTo(status))
        {
            campaign.Apply(trigger, Actors.First(a => (actors & a) != 0), Now);
        }

        Assert.Equal(status, campaign.Status);
        return campaign;
    }

    private static IReadOnlyList<(CampaignTrigger Trigger, CampaignActor Actors)> PathTo(CampaignStatus target)
    {
        var paths = new Dictionary<CampaignStatus, List<(CampaignTrigger, CampaignActor)>> { [Open] = [] };
        var frontier = new Queue<CampaignStatus>([Open]);
        while (frontier.TryDequeue(out var status))
        {
            foreach (var ((from, trigger), (to, _, actors)) in Expected.Where(e => e.Key.Item1 == status))
            {
                if (paths.TryAdd(to, [.. paths[from], (trigger, actors)]))
                {
                    frontier.Enqueue(to);
                }
            }
        }

        return paths[target];
    }
}
