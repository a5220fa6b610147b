using Truust.Api.Customers;
using Truust.Api.Platforms;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>What the hosted pages show of an order: what is bought, for how much, from whom, where.</summary>
public sealed record OrderSummary(
    string OrderId,
    string Name,
    string Amount,
    string SellerName,
    string? BuyerName,
    string PlatformName,
    OrderStatus Status
)
{
    public string StatusText => HostedPages.Describe(Status);

    public string StatusTone => HostedPages.Tone(Status);
}

/// <summary>Builds <see cref="OrderSummary"/> for a page, reading as the order's own platform.</summary>
public sealed class OrderSummaries(CustomerService customers, PlatformService platforms)
{
    public async Task<OrderSummary> OfAsync(Order order, CancellationToken ct)
    {
        var caller = HostedPageModel.CallerFor(order);
        var seller = await customers.FindAsync(caller, order.SellerId, ct);
        var buyer = order.BuyerId is null ? null : await customers.FindAsync(caller, order.BuyerId, ct);
        var platform = await platforms.GetAsync(order.PlatformId, ct);
        return new OrderSummary(
            order.Id,
            order.Name,
            order.Amount.ToString(),
            seller.Name,
            buyer?.Name,
            platform.Name,
            order.Status
        );
    }
}
