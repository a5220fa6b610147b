using Microsoft.AspNetCore.Mvc;
using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Api.Pages.Hosted;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// <c>/dashboard/disputes/{id}</c>: a dispute's evidence and deadline, and the resolve form (how much goes back to the
/// buyer; the rest is released to the seller with the fee and splits pro rata).
/// </summary>
public sealed class DisputeModel(DisputeService disputes, OrderQueries orders) : DashboardPageModel
{
    public DisputeView View { get; private set; } = null!;

    public Order Order { get; private set; } = null!;

    public bool CanResolve { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? RefundAmount { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        var refund = TypedAmount.ToMinor(RefundAmount, Order.Currency);
        if (refund is null || refund > Order.HeldMinor)
        {
            Error = $"Enter an amount from 0 to {View.Format(Order.HeldMinor)}, like 60.00.";
        }
        else if (Note?.Length > DisputeRules.MaxText)
        {
            Error = $"Keep the note under {DisputeRules.MaxText} characters.";
        }

        if (Error is not null)
        {
            var page = Page();
            page.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }

        await disputes.ResolveAsync(
            Caller,
            id,
            new ResolveDisputeRequest
            {
                RefundAmount = refund,
                Text = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(),
            },
            ct
        );
        return RedirectToPage(new { id });
    }

    private async Task LoadAsync(string id, CancellationToken ct)
    {
        var dispute = await disputes.FindAsync(Caller, id, ct);
        Order = await orders.FindAsync(Caller, dispute.OrderId, ct);
        View = new DisputeView(dispute, dispute.Currency);
        CanResolve = dispute
            .AllowedTriggers(Caller.IsOperator ? DisputeActor.Operator : DisputeActor.Platform)
            .Contains(DisputeTrigger.Resolve);
        ViewData["Title"] = $"Dispute {dispute.Id}";
        ViewData["Section"] = "disputes";
    }
}
