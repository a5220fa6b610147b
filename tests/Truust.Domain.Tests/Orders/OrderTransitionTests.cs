using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Domain.Orders.OrderStatus;
using static Truust.Domain.Orders.OrderTrigger;

namespace Truust.Domain.Tests.Orders;

/// <summary>
/// Walks every (status, trigger, actor) combination through <see cref="Order.Apply"/>: the legal ones land where
/// <see cref="OrderTransitions.Table"/> says, every other one is refused and leaves the order exactly as it was.
/// The actions in place (a refund, a delivery) are asked with <see cref="Order.EnsureCan"/>.
/// </summary>
public sealed class OrderTransitionTests
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = CreatedAt.AddHours(3);

    /// <summary>Each single actor; a caller always acts as exactly one of them.</summary>
    public static readonly OrderActor[] Actors = Enum.GetValues<OrderActor>()
        .Where(a => a != OrderActor.None)
        .ToArray();

    /// <summary>
    /// The lifecycle of DESIGN.md written out by hand, independently of the table: if someone edits the table,
    /// this test makes them say so here too.
    /// </summary>
    private static readonly (OrderStatus From, OrderTrigger Trigger, OrderStatus To, OrderActor Actors)[] Expected =
    [
        // PENDING_PUBLISH is "buyer identified, pending payment" (the seed's definition).
        (Draft, IdentifyBuyer, PendingPublish, OrderActor.Buyer | OrderActor.System),
        (Draft, Pay, PendingPublish, OrderActor.Platform | OrderActor.Buyer),
        // In place: the identified buyer's first payment starts, once (guard: no payin yet).
        (PendingPublish, Pay, PendingPublish, OrderActor.Platform | OrderActor.Buyer),
        (Draft, Cancel, Cancelled, OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator),
        (PendingPublish, ConfirmPayin, Published, OrderActor.Gateway),
        (PendingPublish, FailPayin, Failure, OrderActor.Gateway | OrderActor.System),
        (PendingPublish, Cancel, Cancelled, OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator),
        (Failure, Pay, PendingPublish, OrderActor.Platform | OrderActor.Buyer),
        (Failure, Cancel, Cancelled, OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator),
        (Published, Accept, Accepted, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (Published, Reject, Rejected, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (Published, Cancel, Cancelled, OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator),
        // In place: part of what a paid order holds goes back and the rest stays held; a refund that empties the
        // escrow of an order on its way to release ends it CANCELLED (the system fires refund_all in its commit).
        (Published, OrderTrigger.Refund, Published, OrderActor.Platform | OrderActor.Operator),
        (Published, RefundAll, Cancelled, OrderActor.System),
        (Accepted, OrderTrigger.Refund, Accepted, OrderActor.Platform | OrderActor.Operator),
        (Accepted, RefundAll, Cancelled, OrderActor.System),
        (
            PendingValidate,
            OrderTrigger.Refund,
            PendingValidate,
            OrderActor.Platform | OrderActor.Operator | OrderActor.System
        ),
        (PendingValidate, RefundAll, Cancelled, OrderActor.System),
        (PendingRelease, OrderTrigger.Refund, PendingRelease, OrderActor.Platform | OrderActor.Operator),
        (PendingRelease, RefundAll, Cancelled, OrderActor.System),
        (BlockedRelease, OrderTrigger.Refund, BlockedRelease, OrderActor.Platform | OrderActor.Operator),
        (BlockedRelease, RefundAll, Cancelled, OrderActor.System),
        // In place: part or all of what a rejected order holds goes back, and it stays REJECTED.
        (Rejected, OrderTrigger.Refund, Rejected, OrderActor.Platform | OrderActor.Operator),
        (Accepted, CreatePayout, PendingValidate, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (Accepted, Cancel, Cancelled, OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator),
        // In place: the delivery starts the inspection window (once); a dispute holds the order.
        (Accepted, Deliver, Accepted, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (PendingValidate, Deliver, PendingValidate, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (PendingValidate, OpenDispute, PendingValidate, OrderActor.Platform | OrderActor.Buyer),
        (PendingValidate, DisputeMilestone, PendingValidate, OrderActor.Platform | OrderActor.Buyer),
        // An order paid in stages: milestones are delivered once accepted, released once the payout is known; the
        // system ends it RELEASED when the last money left escrow and some was released.
        (Accepted, DeliverMilestone, Accepted, OrderActor.Platform | OrderActor.Seller | OrderActor.Operator),
        (
            PendingValidate,
            DeliverMilestone,
            PendingValidate,
            OrderActor.Platform | OrderActor.Seller | OrderActor.Operator
        ),
        (
            PendingValidate,
            ReleaseMilestone,
            PendingValidate,
            OrderActor.Platform | OrderActor.Operator | OrderActor.System
        ),
        (PendingValidate, FinishMilestones, Released, OrderActor.System),
        // The system validates at the inspection window's end, and settles a dispute (refund part, or cancel).
        (PendingValidate, Validate, PendingRelease, OrderActor.Platform | OrderActor.Operator | OrderActor.System),
        (
            PendingValidate,
            Cancel,
            Cancelled,
            OrderActor.Platform | OrderActor.Buyer | OrderActor.Operator | OrderActor.System
        ),
        (PendingRelease, Release, Released, OrderActor.System),
        // In place: a refund after release claws the money back from the seller side (ADR 0012).
        (Released, OrderTrigger.Refund, Released, OrderActor.Platform | OrderActor.Operator),
        (PendingRelease, Block, BlockedRelease, OrderActor.Operator),
        (PendingRelease, RefuseRelease, BlockedRelease, OrderActor.Gateway),
        (BlockedRelease, Unblock, PendingRelease, OrderActor.Operator),
        (BlockedRelease, Cancel, Cancelled, OrderActor.Operator),
        // The card processor took the money back (a chargeback) while the escrow held it (REJECTED stays final).
        (Published, Chargeback, Cancelled, OrderActor.Gateway),
        (Accepted, Chargeback, Cancelled, OrderActor.Gateway),
        (PendingValidate, Chargeback, Cancelled, OrderActor.Gateway),
        (PendingRelease, Chargeback, Cancelled, OrderActor.Gateway),
        (BlockedRelease, Chargeback, Cancelled, OrderActor.Gateway),
    ];

    public static TheoryData<OrderStatus, OrderTrigger, OrderActor> EveryCombination()
    {
        var data = new TheoryData<OrderStatus, OrderTrigger, OrderActor>();
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            foreach (var trigger in Enum.GetValues<OrderTrigger>())
            {
                foreach (var actor in Actors)
                {
                    data.Add(status, trigger, actor);
                }
            }
        }

        return data;
    }

    public static TheoryData<OrderStatus> EveryStatus() => new(Enum.GetValues<OrderStatus>());

    [Fact]
    public void The_walk_covers_all_eleven_statuses_twenty_two_triggers_and_six_actors()
    {
        Assert.Equal(11, Enum.GetValues<OrderStatus>().Length);
        Assert.Equal(22, Enum.GetValues<OrderTrigger>().Length);
        Assert.Equal(6, Actors.Length);
        Assert.Equal(11 * 22 * 6, EveryCombination().Count);
    }

    [Fact]
    public void The_table_is_exactly_the_lifecycle_written_in_the_design()
    {
        var actual = OrderTransitions.Table.Select(t => (t.From, t.Trigger, t.To, t.Actors)).ToList();

        Assert.Equal(Expected.OrderBy(Key), actual.OrderBy(Key));
        Assert.Equal(actual.Count, actual.Select(t => (t.From, t.Trigger)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Every_status_trigger_and_actor_either_lands_where_the_table_says_or_is_refused_without_a_trace(
        OrderStatus status,
        OrderTrigger trigger,
        OrderActor actor
    )
    {
        var order = OrderIn(status);
        var before = (order.UpdatedAt, order.ReleasedAt, order.BlockedReason);
        var legal = Expected.SingleOrDefault(t => t.From == status && t.Trigger == trigger && (t.Actors & actor) != 0);

        if (legal != default && legal.From == legal.To && trigger == Pay)
        {
            // The first payment of an identified buyer: allowed while no payin was made, with no status to apply.
            order.EnsureCan(trigger, actor);
            Assert.Throws<InvalidOperationException>(() => order.Apply(trigger, actor, Later, "because"));
            order.AttachPayin("pay_under_way");
            var twice = Assert.Throws<ConflictException>(() => order.EnsureCan(trigger, actor));
            Assert.Equal("payment_in_progress", twice.Code);
            Assert.Equal(status, order.Status);
            Assert.Equal(before, (order.UpdatedAt, order.ReleasedAt, order.BlockedReason));
        }
        else if (legal != default && trigger is DeliverMilestone or ReleaseMilestone or DisputeMilestone)
        {
            // A milestone action: refused on an order that is not paid in stages, allowed on one that is.
            var plain = Assert.Throws<ConflictException>(() => order.EnsureCan(trigger, actor));
            Assert.Equal("no_milestones", plain.Code);
            order.UseMilestones();
            order.EnsureCan(trigger, actor);
            Assert.Equal(status, order.Status);
            Assert.Equal(before, (order.UpdatedAt, order.ReleasedAt, order.BlockedReason));
        }
        else if (legal != default && legal.From == legal.To && trigger != OrderTrigger.Refund)
        {
            // An action in place without a money guard (deliver, open a dispute): allowed, with no status to apply.
            order.EnsureCan(trigger, actor);
            Assert.Throws<InvalidOperationException>(() => order.Apply(trigger, actor, Later, "because"));
            Assert.Equal(status, order.Status);
            Assert.Equal(before, (order.UpdatedAt, order.ReleasedAt, order.BlockedReason));
        }
        else if (legal != default && legal.From == legal.To)
        {
            // An action in place: its guard wants money held, which this freshly walked order does not hold (a
            // released order's refund wants only that less than was paid went back, which holds).
            if (status != Released)
            {
                var empty = Assert.Throws<BusinessRuleException>(() => order.EnsureCan(trigger, actor));
                Assert.Equal("refund_exceeds_held", empty.Code);
                order.Hold(order.AmountMinor);
            }

            order.EnsureCan(trigger, actor);
            Assert.Throws<InvalidOperationException>(() => order.Apply(trigger, actor, Later, "because"));
            Assert.Equal(status, order.Status);
            Assert.Equal(before, (order.UpdatedAt, order.ReleasedAt, order.BlockedReason));
        }
        else if (legal != default)
        {
            var change = order.Apply(trigger, actor, Later, "because");

            Assert.Equal(legal.To, order.Status);
            Assert.Equal(
                (order.Id, status, legal.To, trigger, actor, "because", Later),
                (change.OrderId, change.From, change.To, change.Trigger, change.Actor, change.Reason, change.At)
            );
            Assert.Equal(Later, order.UpdatedAt);
            Assert.Equal(legal.To, OrderTransitions.Find(status, trigger)!.To);
        }
        else
        {
            var refused = Assert.Throws<InvalidTransitionException>(() =>
                order.Apply(trigger, actor, Later, "because")
            );

            Assert.Equal(status, order.Status);
            Assert.Equal(before, (order.UpdatedAt, order.ReleasedAt, order.BlockedReason));
            Assert.Equal("invalid_transition", refused.Code);
            Assert.Equal(
                ("Order", order.Id, (Enum)status, (Enum)trigger),
                (refused.Noun, refused.SubjectId, refused.Status, refused.Trigger)
            );
            Assert.Equal(AllowedByTrial(status, actor), refused.Allowed.Cast<OrderTrigger>().OrderBy(t => t));
            Assert.Throws<InvalidTransitionException>(() => order.EnsureCan(trigger, actor));
        }
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void The_allowed_triggers_of_each_actor_are_exactly_those_that_apply(OrderStatus status)
    {
        foreach (var actor in Actors)
        {
            var rows = Expected
                .Where(t => t.From == status && (t.Actors & actor) != 0)
                .Select(t => t.Trigger)
                .OrderBy(t => t)
                .ToList();
            // A freshly walked order holds no money, so its refund's guard refuses (but after release, where the
            // guard asks only that less than was paid went back); it has no milestones either.
            var expected = rows.Where(t =>
                    t is not (DeliverMilestone or ReleaseMilestone or DisputeMilestone)
                    && (t != OrderTrigger.Refund || status == Released)
                )
                .ToList();

            Assert.Equal(expected, OrderIn(status).AllowedTriggers(actor).OrderBy(t => t).ToList());
            Assert.Equal(expected, AllowedByTrial(status, actor).OrderBy(t => t).ToList());
            Assert.Equal(rows, OrderTransitions.AllowedFor(status, actor).OrderBy(t => t).ToList());
        }
    }

    [Fact]
    public void Only_released_cancelled_and_rejected_are_final()
    {
        var final = Enum.GetValues<OrderStatus>().Where(OrderTransitions.IsFinal).ToList();

        Assert.Equal([Cancelled, Rejected, Released], final.OrderBy(s => s));
        // A final status is never left; only a released order may still be refunded, in place.
        Assert.All(
            final,
            s =>
                Assert.All(
                    Actors,
                    a =>
                        Assert.All(
                            OrderIn(s).AllowedTriggers(a),
                            t => Assert.Equal((Released, OrderTrigger.Refund), (s, t))
                        )
                )
        );
    }

    [Fact]
    public void Statuses_that_hold_funds_are_those_between_payment_and_release_or_refund()
    {
        var holding = Enum.GetValues<OrderStatus>().Where(OrderTransitions.HoldsFunds).OrderBy(s => s).ToList();

        Assert.Equal([Published, Accepted, Rejected, PendingValidate, PendingRelease, BlockedRelease], holding);
        // Money enters escrow only on the way into a holding status, and leaves it only on the way out of one.
        foreach (var t in OrderTransitions.Table)
        {
            switch (t.Effect)
            {
                case EscrowEffect.FundEscrow:
                    Assert.True(!OrderTransitions.HoldsFunds(t.From) && OrderTransitions.HoldsFunds(t.To), $"{t}");
                    break;
                case EscrowEffect.RefundBuyer
                or EscrowEffect.PaySeller
                or EscrowEffect.ChargeBack
                or EscrowEffect.MilestonesSettled:
                    Assert.True(OrderTransitions.HoldsFunds(t.From) && !OrderTransitions.HoldsFunds(t.To), $"{t}");
                    break;
                default:
                    Assert.Equal(OrderTransitions.HoldsFunds(t.From), OrderTransitions.HoldsFunds(t.To));
                    break;
            }
        }
    }

    [Fact]
    public void Blocking_records_the_reason_and_unblocking_clears_it()
    {
        var order = OrderIn(PendingRelease);

        order.Apply(Block, OrderActor.Operator, Later, "fraud review");
        Assert.Equal((BlockedRelease, "fraud review"), (order.Status, order.BlockedReason));

        order.Apply(Unblock, OrderActor.Operator, Later.AddMinutes(1));
        Assert.Equal((PendingRelease, (string?)null), (order.Status, order.BlockedReason));
    }

    [Fact]
    public void Releasing_stamps_the_release_time_and_nothing_else_does()
    {
        var order = OrderIn(PendingRelease);
        Assert.Null(order.ReleasedAt);

        order.Apply(Release, OrderActor.System, Later);

        Assert.Equal((Released, (DateTimeOffset?)Later), (order.Status, order.ReleasedAt));
    }

    [Fact]
    public void A_combined_actor_with_none_of_the_allowed_flags_is_refused_and_none_is_never_allowed()
    {
        var order = OrderIn(PendingValidate);

        Assert.Throws<InvalidTransitionException>(() => order.Apply(Validate, OrderActor.None, Later));
        Assert.Throws<InvalidTransitionException>(() =>
            order.Apply(Validate, OrderActor.Buyer | OrderActor.Seller | OrderActor.Gateway, Later)
        );
        Assert.Equal(PendingValidate, order.Status);
        Assert.All(Enum.GetValues<OrderStatus>(), s => Assert.Empty(OrderTransitions.AllowedFor(s, OrderActor.None)));
    }

    [Fact]
    public void A_refund_can_never_exceed_what_is_held()
    {
        var order = OrderIn(Published);
        order.Hold(order.AmountMinor);

        var tooMuch = Assert.Throws<BusinessRuleException>(() => order.Refund(order.AmountMinor + 1));
        order.Refund(400);
        order.Refund(order.AmountMinor - 400);

        Assert.Equal("refund_exceeds_held", tooMuch.Code);
        Assert.Equal((0L, order.AmountMinor), (order.HeldMinor, order.RefundedMinor));
        Assert.Equal("refund_exceeds_held", Assert.Throws<BusinessRuleException>(() => order.Refund(1)).Code);
    }

    [Fact]
    public void A_rejected_order_is_refunded_by_the_platform_or_operator_while_it_holds_money_and_stays_rejected()
    {
        var order = OrderIn(Rejected);
        order.Hold(order.AmountMinor);

        Assert.Equal([OrderTrigger.Refund], order.AllowedTriggers(OrderActor.Platform));
        Assert.Equal([OrderTrigger.Refund], order.AllowedTriggers(OrderActor.Operator));
        Assert.Empty(order.AllowedTriggers(OrderActor.Seller));
        Assert.Empty(order.AllowedTriggers(OrderActor.Buyer));
        order.EnsureCan(OrderTrigger.Refund, OrderActor.Platform);
        order.Refund(order.AmountMinor);

        var empty = Assert.Throws<BusinessRuleException>(() =>
            order.EnsureCan(OrderTrigger.Refund, OrderActor.Platform)
        );
        Assert.Equal(("refund_exceeds_held", "amount"), (empty.Code, empty.Field));
        Assert.Empty(order.AllowedTriggers(OrderActor.Platform));
        Assert.True(OrderTransitions.IsFinal(Rejected));
    }

    [Fact]
    public void Refunding_an_order_that_holds_no_money_by_its_status_says_where_a_refund_applies()
    {
        var order = OrderIn(Failure);

        var refused = Assert.Throws<InvalidTransitionException>(() =>
            order.EnsureCan(OrderTrigger.Refund, OrderActor.Platform)
        );

        Assert.Equal(
            $"Order {order.Id} is FAILURE; only an order that holds money, or a RELEASED one not yet fully "
                + "refunded, is refunded.",
            refused.Message
        );
        Assert.Equal("FAILURE", refused.CurrentStatus);
        Assert.Equal(["pay", "cancel"], refused.AllowedActions);
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void While_the_payout_is_handed_to_the_bank_nobody_may_block_cancel_refund_or_charge_back_from_any_status(
        OrderStatus status
    )
    {
        foreach (var actor in Actors)
        {
            foreach (var trigger in new[] { Block, Cancel, Chargeback, RefundAll })
            {
                var order = OrderIn(status);
                var refused = Assert.Throws<ConflictException>(() =>
                    order.Apply(trigger, actor, Later, payoutStatus: PayoutStatus.Submitting)
                );

                Assert.Equal("release_in_progress", refused.Code);
                Assert.IsNotType<InvalidTransitionException>(refused);
                Assert.Equal(status, order.Status);
            }

            var allowed = OrderIn(status).AllowedTriggers(actor, PayoutStatus.Submitting);
            Assert.Equal(
                OrderIn(status)
                    .AllowedTriggers(actor)
                    .Where(t => t is not (Block or Cancel or Chargeback or RefundAll or OrderTrigger.Refund)),
                allowed
            );
        }
    }

    [Fact]
    public void A_refused_action_names_the_status_and_what_is_allowed_now_in_wire_names()
    {
        var draft = OrderIn(Draft);
        var released = OrderIn(Released);

        var fromDraft = Assert.Throws<InvalidTransitionException>(() =>
            draft.EnsureCan(CreatePayout, OrderActor.Platform)
        );
        var fromReleased = Assert.Throws<InvalidTransitionException>(() =>
            released.EnsureCan(Validate, OrderActor.Operator)
        );

        Assert.Equal(
            $"Order {draft.Id} is DRAFT; 'create_payout' is not allowed now. Allowed now: pay, cancel.",
            fromDraft.Message
        );
        Assert.Equal(
            $"Order {released.Id} is RELEASED; 'validate' is not allowed now. Allowed now: refund.",
            fromReleased.Message
        );
    }

    /// <summary>
    /// A fresh order brought to <paramref name="status"/> by the shortest legal path from DRAFT, found by a
    /// breadth-first search over the table (each step by an actor the table allows).
    /// </summary>
    private static Order OrderIn(OrderStatus status)
    {
        var paths = new Dictionary<OrderStatus, List<(OrderTrigger Trigger, OrderActor Actors)>> { [Draft] = [] };
        var queue = new Queue<OrderStatus>([Draft]);
        while (queue.TryDequeue(out var from))
        {
            foreach (var t in OrderTransitions.Table.Where(t => t.From == from && !paths.ContainsKey(t.To)))
            {
                paths[t.To] = [.. paths[from], (t.Trigger, t.Actors)];
                queue.Enqueue(t.To);
            }
        }

        Assert.True(paths.ContainsKey(status), $"{status} cannot be reached from DRAFT.");
        var order = new Order(
            "plt_test",
            "Bike",
            new Money(1000, Currency.Of("EUR")),
            "cus_buyer",
            "cus_seller",
            CreatedAt
        );
        foreach (var step in paths[status])
        {
            order.Apply(step.Trigger, Actors.First(a => (step.Actors & a) != 0), CreatedAt);
        }

        Assert.Equal(status, order.Status);
        return order;
    }

    /// <summary>
    /// What <paramref name="actor"/> may do from <paramref name="status"/>, found by trying every trigger (an action
    /// in place, which has no status to apply, by asking for it).
    /// </summary>
    private static List<OrderTrigger> AllowedByTrial(OrderStatus status, OrderActor actor) =>
        Enum.GetValues<OrderTrigger>()
            .Where(trigger =>
            {
                try
                {
                    var order = OrderIn(status);
                    if (OrderTransitions.Find(status, trigger) is { ChangesStatus: false })
                    {
                        order.EnsureCan(trigger, actor);
                    }
                    else
                    {
                        order.Apply(trigger, actor, Later);
                    }

                    return true;
                }
                catch (DomainException)
                {
                    return false;
                }
            })
            .ToList();

    private static string Key((OrderStatus From, OrderTrigger Trigger, OrderStatus To, OrderActor Actors) t) =>
        $"{t.From}/{t.Trigger}";
}
