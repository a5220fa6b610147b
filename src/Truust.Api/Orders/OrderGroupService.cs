using Microsoft.EntityFrameworkCore;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Wallets;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>One-to-many escrow: a cart of orders from several sellers, paid by the buyer once.</summary>
public sealed class OrderGroupService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderQueries orders,
    OrderCreationService creation,
    CustomerService customers,
    TimeProvider clock
)
{
    public async Task<OrderGroupResponse> CreateAsync(
        Caller caller,
        CreateOrderGroupRequest request,
        CancellationToken ct
    )
    {
        var buyer = await customers.FindAsync(caller, request.BuyerId!, ct);
        var currency = Currency.Of(request.Currency!).Code;
        var (group, created) = await unitOfWork.RunAsync(
            async () =>
            {
                var group = new OrderGroup(buyer.PlatformId, buyer.Id, currency, clock.GetUtcNow());
                db.OrderGroups.Add(group);
                var created = new List<Order>();
                for (var i = 0; i < request.Orders!.Count; i++)
                {
                    var item = request.Orders[i];
                    if (item.SellerId == buyer.Id)
                    {
                        throw new BusinessRuleException(
                            "buyer_is_seller",
                            "The buyer cannot be a seller in the same cart.",
                            $"orders[{i}].seller_id"
                        );
                    }

                    var order = await creation.CreateInGroupAsync(caller, buyer.Id, currency, group.Id, item, ct);
                    order.BuyerConfirmedUrl = request.BuyerConfirmedUrl;
                    order.BuyerDeniedUrl = request.BuyerDeniedUrl;
                    created.Add(order);
                }

                return (group, created);
            },
            ct
        );
        return await GetAsync(caller, group.Id, ct);
    }

    public async Task<OrderGroupResponse> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var group = await db.OrderGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, ct);
        if (group is null || !caller.CanSee(group.PlatformId))
        {
            throw new NotFoundException("order_group", id);
        }

        var members = await db
            .Orders.AsNoTracking()
            .Where(o => o.OrderGroupId == id)
            .OrderBy(o => o.Id)
            .ToListAsync(ct);
        var splits = (
            await db
                .OrderSplits.AsNoTracking()
                .Where(s => members.Select(m => m.Id).Contains(s.OrderId))
                .ToListAsync(ct)
        ).ToLookup(s => s.OrderId);
        return new OrderGroupResponse(
            group.Id,
            group.BuyerId,
            group.Currency,
            members.Sum(o => o.AmountMinor),
            members.Select(o => orders.ToResponse(o, splits[o.Id].ToList(), caller)).ToList(),
            group.CreatedAt
        );
    }
}
