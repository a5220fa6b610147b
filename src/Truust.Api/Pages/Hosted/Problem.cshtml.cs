using Microsoft.AspNetCore.Mvc;
using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// The buyer's side of a delivered order (<c>/b/{token}/problem</c>): the delivery and its inspection window,
/// "Report a problem" (reason, what happened, a link to evidence), and the dispute with the seller's answer, which
/// the buyer accepts or rejects.
/// </summary>
public sealed class ProblemModel(OrderQueries orders, DisputeService disputes, OrderSummaries summaries)
    : OrderDisputePageModel(orders, disputes, summaries)
{
    public bool CanReport { get; private set; }

    public bool CanAnswer { get; private set; }

    /// <summary>On an order paid in milestones, the ones a report can name: they still hold money and no dispute holds
    /// them.</summary>
    public IReadOnlyList<Milestone> Disputable { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Link { get; set; }

    [BindProperty]
    public string? MilestoneId { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct) is null ? LinkNotFound() : Page();

    public async Task<IActionResult> OnPostReportAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        var request = new OpenDisputeRequest
        {
            Reason = Reason?.Trim(),
            Text = Text?.Trim(),
            Links = string.IsNullOrWhiteSpace(Link) ? [] : [Link.Trim()],
            MilestoneId = order.HasMilestones ? MilestoneId : null,
        };
        if (string.IsNullOrEmpty(request.Reason) || request.Reason.Length > 200)
        {
            Errors["reason"] = "Choose what the problem is.";
        }

        if (order.HasMilestones && Disputable.All(m => m.Id != MilestoneId))
        {
            Errors["milestone"] = "Choose the stage the problem is with.";
        }

        CheckStatement(request.Text, request.Links);
        if (Errors.Count > 0)
        {
            return FormErrors();
        }

        await Disputes.OpenAsync(CallerFor(order), order.Id, DisputeActor.Buyer, request, ct);
        return RedirectToPage(new { token });
    }

    public Task<IActionResult> OnPostAcceptAsync(string token, CancellationToken ct) => AnswerAsync(token, true, ct);

    public Task<IActionResult> OnPostRejectAsync(string token, CancellationToken ct) => AnswerAsync(token, false, ct);

    private async Task<IActionResult> AnswerAsync(string token, bool accept, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null || Dispute is null)
        {
            return LinkNotFound();
        }

        CheckStatement(Text?.Trim(), []);
        if (Errors.Count > 0)
        {
            return FormErrors();
        }

        await Disputes.BuyerAnswerAsync(
            CallerFor(order),
            Dispute.Dispute.Id,
            DisputeActor.Buyer,
            accept,
            new DisputeStatementRequest { Text = Text?.Trim() },
            ct
        );
        return RedirectToPage(new { token });
    }

    private void CheckStatement(string? text, List<string> links)
    {
        if (text?.Length > DisputeRules.MaxText)
        {
            Errors["text"] = $"Keep it under {DisputeRules.MaxText} characters.";
        }

        if (links.Any(l => !Uri.TryCreate(l, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            Errors["link"] = "A link starts with https:// (or http://).";
        }
    }

    private async Task<Order?> LoadAsync(string token, CancellationToken ct)
    {
        var order = await LoadOrderAsync(token, OrderActor.Buyer, ct);
        if (order is null)
        {
            return null;
        }

        if (order.HasMilestones)
        {
            // A report on an order paid in stages names the stage (milestone) it is about.
            Disputable = (await Orders.MilestonesOfAsync([order.Id], ct))[order.Id]
                .Where(m =>
                    m.Status is MilestoneStatus.Pending or MilestoneStatus.Delivered
                    && m.RemainingMinor > 0
                    && m.OpenDisputeId is null
                )
                .OrderBy(m => m.Position)
                .ToList();
            CanReport =
                Disputable.Count > 0 && order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.DisputeMilestone);
        }
        else
        {
            CanReport = order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.OpenDispute);
        }

        CanAnswer = Dispute?.Dispute.AllowedTriggers(DisputeActor.Buyer).Contains(DisputeTrigger.Accept) ?? false;
        ViewData["Title"] = $"Problem with {order.Name}";
        return order;
    }
}
