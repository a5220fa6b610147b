using Microsoft.EntityFrameworkCore;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Telemetry;
using Truust.Api.Webhooks;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using OrderTransition = Truust.Domain.Lifecycle.Transition<
    Truust.Domain.Orders.OrderStatus,
    Truust.Domain.Orders.OrderTrigger,
    Truust.Domain.Orders.OrderActor,
    Truust.Domain.Orders.EscrowEffect,
    Truust.Domain.Orders.OrderFacts
>;

namespace Truust.Api.Orders;

/// <summary>
/// Escrow orders: the status actions and the order lock (the reads are <see cref="OrderQueries"/>, creation
/// <see cref="OrderCreationService"/>, cancelling and refunding <see cref="OrderRefundService"/>). Every action
/// locks the order row first (SELECT ... FOR UPDATE), so two concurrent actions on one order run one after the other:
/// the second sees the first's result and is refused by the transition table if it no longer applies.
/// </summary>
public sealed class OrderService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderQueries queries,
    CustomerService customers,
    EventOutbox events,
    WorkerSignals signals,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    /// <summary>
    /// The buyer link's holder says who they are, on an order created without a buyer: a customer of the order's
    /// platform is created and becomes the buyer, in one commit under the order lock, so two tabs cannot each
    /// set a different buyer. Only before payment: once paid, who paid is settled.
    /// </summary>
    public async Task<Order> IdentifyBuyerAsync(
        Caller caller,
        string id,
        CreateCustomerRequest buyer,
        CancellationToken ct
    )
    {
        return await unitOfWork.RunAsync(
            async () =>
            {
                var order = await LockAsync(caller, id, ct);
                order.EnsureCan(OrderTrigger.Pay, OrderActor.Buyer);
                if (order.BuyerId is not null)
                {
                    throw new ConflictException("buyer_already_set", $"Order {id} already has a buyer.");
                }

                var customer = await customers.CreateAsync(caller, buyer, ct);
                order.IdentifyBuyer(customer.Id);
                if (order.Status == OrderStatus.Draft)
                {
                    // Buyer identified, pending payment (a FAILURE order without a buyer stays where it is).
                    Apply(order, OrderTrigger.IdentifyBuyer, OrderActor.Buyer);
                }
                events.Add(
                    order.PlatformId,
                    "order.buyer_identified",
                    order.Id,
                    new OrderBuyerIdentifiedEventData(order.Id, customer.Id)
                );
                return order;
            },
            ct
        );
    }

    /// <summary>Accept, reject, validate, block or unblock: status-only actions (no money moves).</summary>
    public async Task<OrderResponse> ActAsync(
        Caller caller,
        string id,
        OrderTrigger trigger,
        OrderActor actor,
        string? reason,
        CancellationToken ct
    )
    {
        var order = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await LockAsync(caller, id, ct);
                var payout = order.PayoutId is null
                    ? null
                    : await db.Payouts.FirstAsync(p => p.Id == order.PayoutId, ct);
                // The payout's status is a fact the table's guards read (no block while it is handed to the bank).
                Apply(order, trigger, actor, reason, payout?.Status);
                if (trigger == OrderTrigger.Unblock && payout is not null)
                {
                    if (payout.Status == PayoutStatus.Refused)
                    {
                        payout.Reopen(clock.GetUtcNow());
                    }

                    payout.NextAttemptAt = clock.GetUtcNow();
                }

                if (order.Status == OrderStatus.PendingRelease)
                {
                    unitOfWork.WakeAfterCommit(signals.Release);
                }

                return order;
            },
            ct
        );

        return await queries.ResponseAsync(order, caller, ct);
    }

    /// <summary>
    /// The seller's delivery: the buyer's inspection window starts now and ends after the order's
    /// <c>inspection_hours</c>; with <c>auto_validate</c>, its end validates the order (<see cref="InspectionJob"/>).
    /// </summary>
    public async Task<OrderResponse> DeliverAsync(
        Caller caller,
        string id,
        OrderActor actor,
        TrackingRequest? tracking,
        CancellationToken ct
    )
    {
        var order = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await LockAsync(caller, id, ct);
                order.Deliver(
                    actor,
                    tracking?.Carrier,
                    tracking?.Number,
                    tracking?.Url,
                    await platformClock.NowAsync(order.PlatformId, ct)
                );
                // Claimable by the inspection job from now on (the lease is on Truust's own clock).
                db.Entry(order).Property<DateTimeOffset>(Claims.LeaseProperty).CurrentValue = clock.GetUtcNow();
                events.Add(
                    order.PlatformId,
                    "order.delivered",
                    order.Id,
                    new OrderDeliveredEventData(
                        order.Id,
                        order.Status,
                        order.DeliveredAt,
                        order.InspectionEndsAt,
                        new EventTracking(order.TrackingCarrier, order.TrackingNumber, order.TrackingUrl)
                    )
                );
                return order;
            },
            ct
        );
        return await queries.ResponseAsync(order, caller, ct);
    }

    /// <summary>Locks every order of a cart, in id order (the order every multi-order lock takes, so no
    /// deadlock).</summary>
    public async Task<List<Order>> LockGroupAsync(Caller caller, string groupId, CancellationToken ct)
    {
        var group = await db.OrderGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null || !caller.CanSee(group.PlatformId))
        {
            throw new NotFoundException("order_group", groupId);
        }

        return await LockGroupAsync(groupId, ct);
    }

    /// <summary>Locks every order of a cart for Truust's own work (a payin's outcome): no caller to check.</summary>
    public async Task<List<Order>> LockGroupAsync(string groupId, CancellationToken ct)
    {
        var orders = await Locks.OrderGroup(db, groupId).ToListAsync(ct);
        if (orders.Count > 0)
        {
            await platformClock.NowAsync(orders[0].PlatformId, ct);
        }

        return orders;
    }

    /// <summary>Locks the order row for this transaction, or 404 when the caller may not see it.</summary>
    public async Task<Order> LockAsync(Caller caller, string id, CancellationToken ct)
    {
        var order = await LockOrNullAsync(id, ct);
        return order is not null && caller.CanSee(order.PlatformId) ? order : throw new NotFoundException("order", id);
    }

    /// <summary>Locks the order row for Truust's own work (a payin's outcome, the release worker): no caller to
    /// check.</summary>
    public async Task<Order> LockAsync(string id, CancellationToken ct) =>
        await LockOrNullAsync(id, ct) ?? throw new NotFoundException("order", id);

    /// <remarks>A locked order is about to change: its platform's clock offset is read here, asynchronously, so that
    /// <see cref="Apply"/>, which is synchronous, finds it (a synchronous read would hold a thread-pool thread for a
    /// database round trip: measured at a twelfth of a lifecycle's CPU, with the threads it starved).</remarks>
    private async Task<Order?> LockOrNullAsync(string id, CancellationToken ct)
    {
        var order = await Locks.Order(db, id).SingleOrDefaultAsync(ct);
        if (order is not null)
        {
            await platformClock.NowAsync(order.PlatformId, ct);
        }

        return order;
    }

    /// <summary>
    /// The one apply path of orders: fires a trigger and records it in the history and the event outbox. Pass the
    /// payout's status when it is loaded, for the guards that read it.
    /// </summary>
    public OrderTransition Apply(
        Order order,
        OrderTrigger trigger,
        OrderActor actor,
        string? reason = null,
        PayoutStatus? payoutStatus = null
    )
    {
        var from = order.Status;
        var change = order.Apply(trigger, actor, platformClock.Now(order.PlatformId), reason, payoutStatus);
        if (order.Status == OrderStatus.PendingRelease)
        {
            // The release worker continues this request's trace: validate → release → payout is one trace.
            db.Entry(order).Property(OrderConfiguration.ReleaseTraceParent).CurrentValue =
                TruustTelemetry.CurrentTraceParent();
        }

        db.OrderStatusChanges.Add(change);
        events.OrderStatusChanged(order, from);
        return OrderTransitions.Find(from, trigger)!;
    }
}
