using Microsoft.AspNetCore.Mvc;
using Truust.Api.Campaigns;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Domain.Campaigns;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// Truust's own result page for a payin (<c>/pay/{token}/result</c>): where the buyer lands when the platform gave
/// no confirmed or denied URL, and where the wire page turns once the transfer arrived.
/// </summary>
public sealed class PayResultModel(
    PayinService payins,
    OrderQueries orders,
    OrderSummaries summaries,
    CampaignService campaigns
) : HostedPageModel
{
    public Payin Payin { get; private set; } = null!;

    public OrderSummary? Summary { get; private set; }

    public bool Paid => Payin.Status == PayinStatus.Succeeded;

    /// <summary>The card is with the processor right now: the page refreshes itself until the outcome is in.</summary>
    public bool InProgress => Payin.Status == PayinStatus.Processing;

    /// <summary>Back to the platform, when it gave a URL for this outcome.</summary>
    public string? ReturnUrl { get; private set; }

    /// <summary>The campaign a contribution went to; null for an order's payin or a top-up.</summary>
    public Domain.Campaigns.Campaign? Campaign { get; private set; }

    /// <summary>The buyer link, when the order can still be paid (after a decline or an expired wire).</summary>
    public string? RetryUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var payin = IsPlausibleToken(token) ? await payins.FindByTokenAsync(token, ct) : null;
        if (payin is null)
        {
            return LinkNotFound();
        }

        switch (payin.Status)
        {
            case PayinStatus.Pending:
                return RedirectToPage("/Hosted/Pay", new { token });
            case PayinStatus.RequiresAction:
                return RedirectToPage("/Hosted/ThreeDs", new { token });
        }

        Payin = payin;
        if (payin.OrderId is not null)
        {
            var order = await orders.FindAsync(CallerFor(payin.PlatformId), payin.OrderId, ct);
            Summary = await summaries.OfAsync(order, ct);
            var returnUrl = HostedPages.BuyerReturnUrl(order, Paid, fallback: string.Empty);
            ReturnUrl = returnUrl.Length == 0 ? null : returnUrl;
            if (!Paid && !InProgress && order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.Pay))
            {
                RetryUrl = Url.Page("/Hosted/Buyer", new { token = order.BuyerToken });
            }
        }
        else if (payin.OrderGroupId is not null)
        {
            // A cart's payin: back to the cart's URLs when the platform gave them.
            var first = await orders.FindPaidByAsync(CallerFor(payin.PlatformId), payin, ct);
            var returnUrl = HostedPages.BuyerReturnUrl(payin, first, Paid, fallback: string.Empty);
            ReturnUrl = returnUrl.Length == 0 ? null : returnUrl;
        }

        if (payin.CampaignId is not null)
        {
            // A contribution has no order: the page speaks of the campaign, and a retry starts on its page.
            Campaign = await campaigns.FindByIdAsync(payin.CampaignId, ct);
            RetryUrl =
                !Paid && Campaign is not null && CampaignTransitions.AcceptsContributions(Campaign.Status)
                    ? Url.Page("/Hosted/Contribute", new { campaignId = Campaign.Id })
                    : null;
        }

        ViewData["Title"] =
            Paid ? "Payment received"
            : InProgress ? "Payment in progress"
            : "Payment not completed";
        return Page();
    }
}
