using Truust.Domain.Campaigns;
using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Domain.Tests.Lifecycle;

/// <summary>
/// Walks the one engine exhaustively over both tables it serves: every status × trigger × actor, for subjects whose
/// guards hold and whose guards do not. A move is accepted if and only if a row exists for its status and trigger,
/// names its actor, and every guard on it holds; the actions listed as allowed are exactly the accepted ones; and a
/// refusal is the guard's own error or one <see cref="InvalidTransitionException"/> that carries the current status
/// and what the same actor could do instead.
/// </summary>
public sealed class TransitionTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<OrderStatus> OrderStatuses() => new(Enum.GetValues<OrderStatus>());

    public static TheoryData<CampaignStatus> CampaignStatuses() => new(Enum.GetValues<CampaignStatus>());

    [Theory]
    [MemberData(nameof(OrderStatuses))]
    public void The_order_table_accepts_a_move_exactly_when_a_row_names_the_actor_and_its_guards_hold(
        OrderStatus status
    )
    {
        var subjects =
            from held in new[] { false, true }
            from payout in new PayoutStatus?[] { null, PayoutStatus.Pending, PayoutStatus.Submitting }
            select new OrderFacts(OrderIn(status, held), payout);

        foreach (var facts in subjects)
        {
            AssertEngine(OrderTransitions.Lifecycle, facts, status, SingleActors<OrderActor>());
        }
    }

    [Theory]
    [MemberData(nameof(CampaignStatuses))]
    public void The_campaign_table_accepts_a_move_exactly_when_a_row_names_the_actor(CampaignStatus status)
    {
        AssertEngine(CampaignTransitions.Lifecycle, CampaignIn(status), status, SingleActors<CampaignActor>());
    }

    [Fact]
    public void Both_tables_have_one_row_per_pair_and_every_row_names_an_actor()
    {
        Assert.Equal(
            OrderTransitions.Table.Count,
            OrderTransitions.Table.Select(r => (r.From, r.Trigger)).Distinct().Count()
        );
        Assert.Equal(
            CampaignTransitions.Table.Count,
            CampaignTransitions.Table.Select(r => (r.From, r.Trigger)).Distinct().Count()
        );
        Assert.DoesNotContain(OrderTransitions.Table, r => r.Actors == OrderActor.None);
        Assert.DoesNotContain(CampaignTransitions.Table, r => r.Actors == CampaignActor.None);
    }

    [Fact]
    public void A_table_with_two_rows_for_one_pair_or_a_row_nobody_may_fire_is_refused_when_built()
    {
        Transition<OrderStatus, OrderTrigger, OrderActor, EscrowEffect, Order> Row(OrderActor actors) =>
            new(OrderStatus.Draft, OrderTrigger.Pay, OrderStatus.PendingPublish, EscrowEffect.None, actors);

        Assert.Throws<ArgumentException>(() =>
            new TransitionTable<OrderStatus, OrderTrigger, OrderActor, EscrowEffect, Order>(
                "Order",
                [Row(OrderActor.Buyer), Row(OrderActor.Platform)],
                o => o.Id,
                o => o.Status
            )
        );
        Assert.Throws<ArgumentException>(() =>
            new TransitionTable<OrderStatus, OrderTrigger, OrderActor, EscrowEffect, Order>(
                "Order",
                [Row(OrderActor.None)],
                o => o.Id,
                o => o.Status
            )
        );
    }

    /// <summary>
    /// The engine's whole contract for one subject: derived from the rows and guards alone, independently of how
    /// <see cref="TransitionTable{TStatus,TTrigger,TActor,TEffect,TSubject}"/> computes it.
    /// </summary>
    private static void AssertEngine<TStatus, TTrigger, TActor, TEffect, TSubject>(
        TransitionTable<TStatus, TTrigger, TActor, TEffect, TSubject> table,
        TSubject subject,
        TStatus status,
        IReadOnlyList<TActor> actors
    )
        where TStatus : struct, Enum
        where TTrigger : struct, Enum
        where TActor : struct, Enum
        where TEffect : struct, Enum
    {
        foreach (var actor in actors)
        {
            var accepted = new List<TTrigger>();
            foreach (var trigger in Enum.GetValues<TTrigger>())
            {
                var row = table.Rows.SingleOrDefault(r => r.From.Equals(status) && r.Trigger.Equals(trigger));
                var failingTriggerGuard = table
                    .TriggerGuards.Where(g => g.Trigger.Equals(trigger))
                    .Select(g => g.Guard)
                    .FirstOrDefault(g => !g.Holds(subject));
                var rowGuardFails = row?.Guard is { } guard && !guard.Holds(subject);
                var legal = failingTriggerGuard is null && row is not null && row.Permits(actor) && !rowGuardFails;
                var context = $"{table.Noun} {status} {trigger} by {actor}";

                if (legal)
                {
                    Assert.Same(row, table.Resolve(subject, trigger, actor));
                    accepted.Add(trigger);
                    continue;
                }

                var refusal = Assert.ThrowsAny<DomainException>(() => table.Resolve(subject, trigger, actor));
                if (failingTriggerGuard is not null)
                {
                    // A trigger's guard speaks first, whatever the status and the actor.
                    Assert.Equal(failingTriggerGuard.Refusal(subject).Code, refusal.Code);
                    Assert.IsNotType<InvalidTransitionException>(refusal);
                }
                else if (row is null || !row.Permits(actor))
                {
                    var invalid = Assert.IsType<InvalidTransitionException>(refusal);
                    Assert.Equal("invalid_transition", invalid.Code);
                    Assert.Equal((Enum)status, invalid.Status);
                    Assert.Equal((Enum)trigger, invalid.Trigger);
                    Assert.Equal(WireName.Of(status), invalid.CurrentStatus);
                    Assert.Equal(table.Allowed(subject, actor).Cast<Enum>(), invalid.Allowed);
                    Assert.StartsWith($"{table.Noun} ", invalid.Message);
                }
                else
                {
                    Assert.Equal(row.Guard!.Refusal(subject).Code, refusal.Code);
                    Assert.IsNotType<InvalidTransitionException>(refusal);
                }

                Assert.True(refusal.Code.Length > 0, context);
            }

            // allowed_actions is exactly what the engine accepts, in the table's order.
            var inTableOrder = table
                .Rows.Where(r => r.From.Equals(status))
                .Select(r => r.Trigger)
                .Where(accepted.Contains)
                .ToList();
            Assert.Equal(inTableOrder, table.Allowed(subject, actor));
            Assert.Equal(
                table.Rows.Where(r => r.From.Equals(status) && r.Permits(actor)).Select(r => r.Trigger),
                table.PermittedFor(status, actor)
            );
        }

        Assert.Equal(!table.Rows.Any(r => r.From.Equals(status) && !r.To.Equals(status)), table.IsFinal(status));
    }

    private static TActor[] SingleActors<TActor>()
        where TActor : struct, Enum =>
        Enum.GetValues<TActor>()
            .Where(a => Convert.ToInt64(a) is var bits && bits != 0 && (bits & (bits - 1)) == 0)
            .ToArray();

    /// <summary>An order walked to <paramref name="status"/> along the table, holding money or not.</summary>
    private static Order OrderIn(OrderStatus status, bool held)
    {
        var order = new Order("plt_test", "Bike", new Money(1000, Currency.Of("EUR")), "cus_b", "cus_s", Now);
        foreach (var row in PathTo(OrderTransitions.Table, OrderStatus.Draft, status))
        {
            order.Apply(row.Trigger, SingleActors<OrderActor>().First(row.Permits), Now);
        }

        if (held)
        {
            order.Hold(order.AmountMinor);
        }

        return order;
    }

    private static Campaign CampaignIn(CampaignStatus status)
    {
        var campaign = new Campaign(
            "plt_test",
            "Solar roofs",
            CampaignKind.Loan,
            CampaignMode.AllOrNothing,
            "cus_owner",
            new Money(10_000, Currency.Of("EUR")),
            Now.AddDays(30),
            Now
        );
        foreach (var row in PathTo(CampaignTransitions.Table, CampaignStatus.Open, status))
        {
            campaign.Apply(row.Trigger, SingleActors<CampaignActor>().First(row.Permits), Now);
        }

        return campaign;
    }

    /// <summary>The shortest chain of status-changing rows from <paramref name="start"/> to
    /// <paramref name="target"/>.</summary>
    private static List<Transition<TStatus, TTrigger, TActor, TEffect, TSubject>> PathTo<
        TStatus,
        TTrigger,
        TActor,
        TEffect,
        TSubject
    >(IReadOnlyList<Transition<TStatus, TTrigger, TActor, TEffect, TSubject>> rows, TStatus start, TStatus target)
        where TStatus : struct, Enum
        where TTrigger : struct, Enum
        where TActor : struct, Enum
        where TEffect : struct, Enum
    {
        var paths = new Dictionary<TStatus, List<Transition<TStatus, TTrigger, TActor, TEffect, TSubject>>>
        {
            [start] = [],
        };
        var frontier = new Queue<TStatus>([start]);
        while (frontier.TryDequeue(out var from))
        {
            foreach (var row in rows.Where(r => r.From.Equals(from) && r.ChangesStatus))
            {
                if (paths.TryAdd(row.To, [.. paths[from], row]))
                {
                    frontier.Enqueue(row.To);
                }
            }
        }

        return paths[target];
    }
}
