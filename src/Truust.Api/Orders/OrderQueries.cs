using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// Reading orders the caller may see: one order, a list, an order's history and ledger, and the order's response
/// (splits, milestones, the actions the reader may take, the buyer and seller links). Nothing here writes or locks;
/// the actions are <see cref="OrderService"/>.
/// </summary>
public sealed class OrderQueries(TruustDbContext db, IOptions<TruustOptions> options)
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

        orders = orders.CreatedWithin(query, o => o.CreatedAt);

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
