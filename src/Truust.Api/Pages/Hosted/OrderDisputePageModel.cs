using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// A link holder's page about an order and its latest dispute: the seller's <see cref="DeliveryModel"/> and the
/// buyer's <see cref="ProblemModel"/>. Both load the order behind the link, its summary and its latest dispute the
/// same way; each then decides what its holder may do.
/// </summary>
public abstract class OrderDisputePageModel(OrderQueries orders, DisputeService disputes, OrderSummaries summaries)
    : HostedPageModel
{
    public string Token { get; private set; } = string.Empty;

    public OrderSummary Summary { get; private set; } = null!;

    public Order Order { get; private set; } = null!;

    /// <summary>The order's latest dispute, open or not; null when there has been none.</summary>
    public DisputeView? Dispute { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    protected OrderQueries Orders => orders;

    protected DisputeService Disputes => disputes;

    /// <summary>The order behind <paramref name="token"/> for its <paramref name="holder"/> (null when the link
    /// matches nothing), with its summary and latest dispute.</summary>
    protected async Task<Order?> LoadOrderAsync(string token, OrderActor holder, CancellationToken ct)
    {
        Token = token;
        var order = IsPlausibleToken(token) ? await orders.FindByLinkAsync(token, holder, ct) : null;
        if (order is null)
        {
            return null;
        }

        Order = order;
        Summary = await summaries.OfAsync(order, ct);
        var latest = (await disputes.ForOrderAsync(order.Id, ct)).FirstOrDefault();
        Dispute = latest is null ? null : new DisputeView(latest, order.Currency);
        return order;
    }
}
