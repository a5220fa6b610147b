using Microsoft.EntityFrameworkCore;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// Creates escrow orders, alone or as part of a cart: the fee, the splits and the order.created event, validated
/// against the platform's wallets before anything is added.
/// </summary>
public sealed class OrderCreationService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    OrderQueries queries,
    CustomerService customers,
    EventOutbox events,
    PlatformClock platformClock,
    TimeProvider clock
)
{
    public async Task<OrderResponse> CreateAsync(Caller caller, CreateOrderRequest request, CancellationToken ct)
    {
        if (request.BuyerId is not null)
        {
            await customers.FindAsync(caller, request.BuyerId, ct);
        }

        var (order, splits, milestones) = await AddAsync(
            caller,
            request,
            request.BuyerId,
            request.Currency!,
            groupId: null,
            ct
        );
        await unitOfWork.SaveAsync(ct);
        return queries.ToResponse(order, splits, caller, milestones);
    }

    /// <summary>Creates an order of a cart inside the caller's transaction; the caller saves.</summary>
    internal async Task<Order> CreateInGroupAsync(
        Caller caller,
        string buyerId,
        string currency,
        string groupId,
        CreateOrderRequest request,
        CancellationToken ct
    )
    {
        return (await AddAsync(caller, request, buyerId, currency, groupId, ct)).Order;
    }

    /// <summary>Builds an order with its fee and splits and adds it (and its order.created event) to the unit of
    /// work. A cart's order takes its buyer and currency from the cart, not from its own part of the request.</summary>
    private async Task<(Order Order, List<OrderSplit> Splits, List<Milestone> Milestones)> AddAsync(
        Caller caller,
        CreateOrderRequest request,
        string? buyerId,
        string currency,
        string? groupId,
        CancellationToken ct
    )
    {
        var platformId = caller.RequirePlatform();
        var platform = await db.Platforms.AsNoTracking().FirstAsync(p => p.Id == platformId, ct);
        platformClock.Remember(platform);
        var amount = Money.Positive(request.Amount!.Value, currency);
        var seller = await customers.FindAsync(caller, request.SellerId!, ct);
        var order = new Order(platformId, request.Name!, amount, buyerId, seller.Id, clock.GetUtcNow())
        {
            OrderGroupId = groupId,
            BuyerConfirmedUrl = request.BuyerConfirmedUrl,
            BuyerDeniedUrl = request.BuyerDeniedUrl,
            SellerConfirmedUrl = request.SellerConfirmedUrl,
            SellerDeniedUrl = request.SellerDeniedUrl,
            Metadata = request.Metadata ?? new(),
            FeeMinor = FeeOf(platform, amount, request.FeeAmount),
        };
        order.SetPolicy(request.ReleasePolicy?.ApplyTo(platform.ReleasePolicy) ?? platform.ReleasePolicy);
        var splits = await ResolveSplitsAsync(platformId, order, request.Splits ?? [], ct);
        var milestones = MilestonesOf(order, groupId, request.Milestones);
        db.Orders.Add(order);
        db.OrderSplits.AddRange(splits);
        db.Milestones.AddRange(milestones);
        events.OrderCreated(order);
        if (buyerId is not null)
        {
            // A known buyer: the order is at once PENDING_PUBLISH, "buyer identified, pending payment".
            orders.Apply(
                order,
                OrderTrigger.IdentifyBuyer,
                OrderActor.System,
                "buyer given when the order was created"
            );
        }

        return (order, splits, milestones);
    }

    /// <summary>
    /// The order's milestones, their amounts summing to the order's by <see cref="MilestonePlan"/>; none when the
    /// request names none. A cart's order is paid in one piece: milestones there are refused.
    /// </summary>
    private List<Milestone> MilestonesOf(Order order, string? groupId, List<MilestoneRequest>? requested)
    {
        // An empty list is no milestones, as an empty splits list is no splits (generated clients send []).
        if (requested is null or { Count: 0 })
        {
            return [];
        }

        if (groupId is not null)
        {
            throw new BusinessRuleException(
                "invalid_milestones",
                "An order of a cart cannot have milestones.",
                "milestones"
            );
        }

        var amounts = MilestonePlan.Amounts(
            order.AmountMinor,
            requested.Select(m => (m.Amount, m.BasisPoints)).ToList()
        );
        order.UseMilestones();
        var now = clock.GetUtcNow();
        return requested
            .Select(
                (m, i) => new Milestone(order, i + 1, m.Name!.Trim(), amounts[i], m.BasisPoints, m.InspectionHours, now)
            )
            .ToList();
    }

    /// <summary>
    /// The order's fee: its own fee_amount, or the platform's default. A fee above the amount would leave the release
    /// unable to pay it (the order would stay PENDING_RELEASE for ever), so it is refused at creation.
    /// </summary>
    private static long FeeOf(Domain.Platforms.Platform platform, Money amount, long? requestedMinor)
    {
        var fee = requestedMinor ?? platform.DefaultFeeMinor(amount.AmountMinor);
        return fee <= amount.AmountMinor
            ? fee
            : throw new BusinessRuleException(
                "fee_exceeds_amount",
                "fee_amount cannot exceed the amount.",
                "fee_amount"
            );
    }

    private async Task<List<OrderSplit>> ResolveSplitsAsync(
        string platformId,
        Order order,
        List<SplitRequest> requested,
        CancellationToken ct
    )
    {
        if (requested.Count == 0)
        {
            return [];
        }

        var walletIds = requested.Select(s => s.WalletId!).Distinct().ToList();
        var wallets = await db
            .Wallets.AsNoTracking()
            .Where(w => walletIds.Contains(w.Id) && w.PlatformId == platformId)
            .ToDictionaryAsync(w => w.Id, ct);
        for (var i = 0; i < requested.Count; i++)
        {
            if (!wallets.TryGetValue(requested[i].WalletId!, out var wallet))
            {
                throw new BusinessRuleException(
                    "unknown_wallet",
                    $"No such wallet: '{requested[i].WalletId}'.",
                    $"splits[{i}].wallet_id"
                );
            }

            if (wallet.Currency != order.Currency)
            {
                throw new BusinessRuleException(
                    "currency_mismatch",
                    $"Wallet {wallet.Id} holds {wallet.Currency}; the order is in {order.Currency}.",
                    $"splits[{i}].wallet_id"
                );
            }
        }

        var amounts = Splits.Resolve(
            order.AmountMinor,
            order.FeeMinor ?? 0,
            requested.Select(s => (s.Amount, s.PercentBp)).ToList()
        );
        return requested.Select((s, i) => new OrderSplit(order.Id, s.WalletId!, amounts[i], s.PercentBp)).ToList();
    }
}
