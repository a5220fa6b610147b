using Truust.Api.Customers;
using Truust.Api.Orders;
using Truust.Api.Platforms;
using Truust.Domain;
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
    OrderStatus Status,
    IReadOnlyList<MilestoneRow> Milestones
)
{
    public string StatusText => HostedPages.Describe(Status);

    public string StatusTone => HostedPages.Tone(Status);
}

/// <summary>One milestone's progress as the hosted pages and the dashboard show it (money already formatted).</summary>
public sealed record MilestoneRow(
    int Position,
    string Name,
    string Amount,
    MilestoneStatus Status,
    string Released,
    string Refunded
)
{
    public string StatusText => WireName.Of(Status);

    /// <summary>The rows of an order's milestones, in order.</summary>
    public static IReadOnlyList<MilestoneRow> Of(IEnumerable<Milestone> milestones, string currency)
    {
        var unit = Currency.Of(currency);
        string Format(long minor) => new Money(minor, unit).ToString();
        return milestones
            .OrderBy(m => m.Position)
            .Select(m => new MilestoneRow(
                m.Position,
                m.Name,
                Format(m.AmountMinor),
                m.Status,
                Format(m.ReleasedMinor),
                Format(m.RefundedMinor)
            ))
            .ToList();
    }

    /// <summary>The same rows from an API response (the dashboard reads orders through the API's service).</summary>
    public static IReadOnlyList<MilestoneRow> Of(IEnumerable<MilestoneResponse> milestones, string currency)
    {
        var unit = Currency.Of(currency);
        string Format(long minor) => new Money(minor, unit).ToString();
        return milestones
            .Select(m => new MilestoneRow(
                m.Position,
                m.Name,
                Format(m.Amount),
                m.Status,
                Format(m.Released),
                Format(m.Refunded)
            ))
            .ToList();
    }
}

/// <summary>Builds <see cref="OrderSummary"/> for a page, reading as the order's own platform.</summary>
public sealed class OrderSummaries(CustomerService customers, PlatformService platforms, OrderQueries orders)
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
            order.Status,
            order.HasMilestones
                ? MilestoneRow.Of((await orders.MilestonesOfAsync([order.Id], ct))[order.Id], order.Currency)
                : []
        );
    }
}
