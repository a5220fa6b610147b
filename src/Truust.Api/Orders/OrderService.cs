using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
/// Escrow orders: the status actions and the reads (creation is <see cref="OrderCreationService"/>, cancelling and
/// refunding <see cref="OrderRefundService"/>). Every action
/// locks the order row first (SELECT ... FOR UPDATE), so two concurrent actions on one order run one after the other:
/// the second sees the first's result and is refused by the transition table if it no longer applies.
/// </summary>
public sealed class OrderService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    CustomerService customers,
    EventOutbox events,
    WorkerSignals signals,
    IOptions<TruustOptions> options,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    public async Task<OrderResponse> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var order = await FindAsync(caller, id, ct);
        return await ResponseAsync(order, caller, ct);
    }

    public async Task<Order> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        return order is not null && caller.CanSee(order.PlatformId) ? order : throw new NotFoundException("order", id);
    }

    /// <summary>
    /// The order a payin pays for: its order, or for a cart's payin the cart's first order (every order of a cart
    /// carries the cart's buyer URLs); null for a payin of no order (a top-up, a contribution).
    /// </summary>
    public async Task<Order?> FindPaidByAsync(Caller caller, Payin payin, CancellationToken ct) =>
        payin switch
        {
            { OrderId: { } orderId } => await FindAsync(caller, orderId, ct),
            { OrderGroupId: { } groupId } => await db
                .Orders.AsNoTracking()
                .Where(o => o.OrderGroupId == groupId && o.PlatformId == payin.PlatformId)
                .OrderBy(o => o.Id)
                .FirstOrDefaultAsync(ct),
            _ => null,
        };

    /// <summary>
    /// The order behind a buyer or seller link, or null. The token is the link holder's only credential, so the
    /// lookup is by token alone; the page then acts as the order's own platform.
    /// </summary>
    public async Task<Order?> FindByLinkAsync(string token, OrderActor holder, CancellationToken ct) =>
        holder switch
        {
            OrderActor.Buyer => await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.BuyerToken == token, ct),
            OrderActor.Seller => await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.SellerToken == token, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(holder), holder, "Only buyers and sellers hold links."),
        };

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

    public async Task<Page<OrderResponse>> ListAsync(Caller caller, OrderListQuery query, CancellationToken ct)
    {
        var orders = caller.PlatformId is { } platformId ? db.Orders.Where(o => o.PlatformId == platformId) : db.Orders;
        if (query.Status is { } status)
        {
            orders = orders.Where(o => o.Status == status);
        }

        if (query.BuyerId is { } buyer)
        {
            orders = orders.Where(o => o.BuyerId == buyer);
        }

        if (query.SellerId is { } seller)
        {
            orders = orders.Where(o => o.SellerId == seller);
        }

        if (query.CreatedGte is { } from)
        {
            orders = orders.Where(o => o.CreatedAt >= from);
        }

        if (query.CreatedLt is { } to)
        {
            orders = orders.Where(o => o.CreatedAt < to);
        }

        var page = await Paging.PageAsync(orders, query, o => o, ct);
        var ids = page.Data.Select(o => o.Id).ToList();
        var splits = (await db.OrderSplits.AsNoTracking().Where(s => ids.Contains(s.OrderId)).ToListAsync(ct)).ToLookup(
            s => s.OrderId
        );
        var milestones = await MilestonesOfAsync(ids, ct);
        return new Page<OrderResponse>(
            page.Data.Select(o => ToResponse(o, splits[o.Id].ToList(), caller, milestones[o.Id].ToList())).ToList(),
            page.HasMore
        );
    }

    public async Task<IReadOnlyList<OrderStatusChangeResponse>> HistoryAsync(
        Caller caller,
        string id,
        CancellationToken ct
    )
    {
        var order = await FindAsync(caller, id, ct);
        var changes = await db
            .OrderStatusChanges.AsNoTracking()
            .Where(c => c.OrderId == order.Id)
            .OrderBy(c => c.At)
            .ThenBy(c => c.Id)
            .ToListAsync(ct);
        return changes.Select(OrderStatusChangeResponse.Of).ToList();
    }

    public async Task<IReadOnlyList<LedgerTransferResponse>> LedgerAsync(Caller caller, string id, CancellationToken ct)
    {
        var order = await FindAsync(caller, id, ct);
        var transfers = await db
            .LedgerTransfers.AsNoTracking()
            .Where(t => t.OrderId == order.Id)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        return transfers.Select(LedgerTransferResponse.From).ToList();
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

        return await ResponseAsync(order, caller, ct);
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
        return await ResponseAsync(order, caller, ct);
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
    public async Task<List<Order>> LockGroupAsync(string groupId, CancellationToken ct) =>
        await Locks.OrderGroup(db, groupId).ToListAsync(ct);

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

    private async Task<Order?> LockOrNullAsync(string id, CancellationToken ct) =>
        await Locks.Order(db, id).SingleOrDefaultAsync(ct);

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

    public async Task<List<OrderSplit>> SplitsOfAsync(string orderId, CancellationToken ct) =>
        await db.OrderSplits.AsNoTracking().Where(s => s.OrderId == orderId).OrderBy(s => s.Id).ToListAsync(ct);

    /// <summary>The milestones of these orders, in position order (none for an order not paid in stages).</summary>
    public async Task<ILookup<string, Milestone>> MilestonesOfAsync(
        IReadOnlyList<string> orderIds,
        CancellationToken ct
    ) =>
        (
            await db
                .Milestones.AsNoTracking()
                .Where(m => orderIds.Contains(m.OrderId))
                .OrderBy(m => m.OrderId)
                .ThenBy(m => m.Position)
                .ToListAsync(ct)
        ).ToLookup(m => m.OrderId);

    /// <summary>The order's response for <paramref name="caller"/>, with its splits and milestones.</summary>
    public async Task<OrderResponse> ResponseAsync(Order order, Caller caller, CancellationToken ct) =>
        ToResponse(
            order,
            await SplitsOfAsync(order.Id, ct),
            caller,
            order.HasMilestones ? (await MilestonesOfAsync([order.Id], ct))[order.Id].ToList() : []
        );

    public OrderResponse ToResponse(
        Order order,
        IReadOnlyList<OrderSplit> splits,
        Caller caller,
        IReadOnlyList<Milestone>? milestones = null
    )
    {
        var actor = caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;
        return ToResponse(order, splits, actor, milestones);
    }

    public OrderResponse ToResponse(
        Order order,
        IReadOnlyList<OrderSplit> splits,
        OrderActor actor,
        IReadOnlyList<Milestone>? milestones = null
    )
    {
        var actions = order.AllowedTriggers(actor).Select(t => WireName.Action(t)).ToList();
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        return new OrderResponse(
            order.Id,
            order.Name,
            order.AmountMinor,
            order.Currency,
            order.Status,
            order.BuyerId,
            order.SellerId,
            order.HeldMinor,
            order.RefundedMinor,
            order.FeeMinor,
            splits.Select(s => new SplitResponse(s.WalletId, s.AmountMinor, s.PercentBp)).ToList(),
            order.PayinId,
            order.PayoutId,
            order.OrderGroupId,
            order.BlockedReason,
            $"{baseUrl}/b/{order.BuyerToken}",
            $"{baseUrl}/s/{order.SellerToken}",
            order.BuyerConfirmedUrl,
            order.BuyerDeniedUrl,
            order.SellerConfirmedUrl,
            order.SellerDeniedUrl,
            actions,
            order.Metadata,
            order.CreatedAt,
            order.UpdatedAt,
            order.ReleasedAt,
            ReleasePolicyResponse.From(order.Policy),
            order.DeliveredAt,
            order.InspectionEndsAt,
            order.DeliveredAt is null || (order.TrackingCarrier ?? order.TrackingNumber ?? order.TrackingUrl) is null
                ? null
                : new TrackingResponse(order.TrackingCarrier, order.TrackingNumber, order.TrackingUrl),
            order.OpenDisputeId,
            (milestones ?? []).Select(m => MilestoneResponse.From(m, order, actor)).ToList()
        );
    }
}
