using Microsoft.AspNetCore.Mvc;
using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// The seller's side of an accepted order (<c>/s/{token}/delivery</c>): declare the delivery (with tracking), which
/// starts the buyer's inspection window, and answer the buyer's dispute: refund in full, offer part, or contest.
/// </summary>
public sealed class DeliveryModel(
    OrderService orders,
    OrderQueries queries,
    DisputeService disputes,
    OrderSummaries summaries
) : OrderDisputePageModel(queries, disputes, summaries)
{
    public const string Full = "full";
    public const string PartialRefund = "partial";
    public const string Contest = "contest";

    public bool CanDeliver { get; private set; }

    public bool CanAnswer { get; private set; }

    [BindProperty]
    public string? Carrier { get; set; }

    [BindProperty]
    public string? TrackingNumber { get; set; }

    [BindProperty]
    public string? TrackingUrl { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct) is null ? LinkNotFound() : Page();

    public async Task<IActionResult> OnPostDeliverAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        var tracking = new TrackingRequest
        {
            Carrier = Blank(Carrier),
            Number = Blank(TrackingNumber),
            Url = Blank(TrackingUrl),
        };
        if (tracking.Carrier?.Length > 100 || tracking.Number?.Length > 100)
        {
            Errors["tracking"] = "Keep the carrier and the tracking number under 100 characters.";
        }

        if (
            tracking.Url is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        )
        {
            Errors["tracking_url"] = "A tracking link starts with https:// (or http://).";
        }

        if (Errors.Count > 0)
        {
            return FormErrors();
        }

        await orders.DeliverAsync(CallerFor(order), order.Id, OrderActor.Seller, tracking, ct);
        return RedirectToPage(new { token });
    }

    public async Task<IActionResult> OnPostAnswerAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null || Dispute is null)
        {
            return LinkNotFound();
        }

        var request = new AnswerDisputeRequest
        {
            Type = Answer switch
            {
                Full => SellerAnswer.RefundInFull,
                PartialRefund => SellerAnswer.PartialRefund,
                Contest => SellerAnswer.Contest,
                _ => null,
            },
            Text = Blank(Text),
        };
        if (request.Type is null)
        {
            Errors["answer"] = "Choose your answer.";
        }
        else if (request.Type == SellerAnswer.PartialRefund)
        {
            request.Amount = TypedAmount.ToMinor(Amount, order.Currency);
            if (request.Amount is not > 0 || request.Amount >= order.HeldMinor)
            {
                Errors["amount"] =
                    $"Enter an amount above zero and below {Dispute.Format(order.HeldMinor)}, like 60.00.";
            }
        }

        if (request.Text?.Length > DisputeRules.MaxText)
        {
            Errors["text"] = $"Keep it under {DisputeRules.MaxText} characters.";
        }

        if (Errors.Count > 0)
        {
            return FormErrors();
        }

        await Disputes.AnswerAsync(CallerFor(order), Dispute.Dispute.Id, DisputeActor.Seller, request, ct);
        return RedirectToPage(new { token });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<Order?> LoadAsync(string token, CancellationToken ct)
    {
        var order = await LoadOrderAsync(token, OrderActor.Seller, ct);
        if (order is null)
        {
            return null;
        }

        CanDeliver = order.AllowedTriggers(OrderActor.Seller).Contains(OrderTrigger.Deliver);
        CanAnswer = Dispute?.Dispute.AllowedTriggers(DisputeActor.Seller).Contains(DisputeTrigger.Contest) ?? false;
        ViewData["Title"] = $"Delivery of {order.Name}";
        return order;
    }
}
