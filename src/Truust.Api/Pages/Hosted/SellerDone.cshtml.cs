using Microsoft.AspNetCore.Mvc;
using Truust.Api.Customers;
using Truust.Api.Orders;
using Truust.Api.Payouts;
using Truust.Domain.Banking;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// Truust's own page after the seller decided (<c>/s/{token}/done</c>), shown when the platform gave no seller
/// URL: what was decided and where the money goes.
/// </summary>
public sealed class SellerDoneModel(
    OrderQueries orders,
    PayoutService payouts,
    CustomerService customers,
    OrderSummaries summaries
) : HostedPageModel
{
    public OrderSummary Summary { get; private set; } = null!;

    public bool Accepted { get; private set; }

    /// <summary>Where the payout goes, in words (masked IBAN, or the wallet).</summary>
    public string? Destination { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var order = IsPlausibleToken(token) ? await orders.FindByLinkAsync(token, OrderActor.Seller, ct) : null;
        if (order is null)
        {
            return LinkNotFound();
        }

        if (order.PayoutId is null && order.Status != OrderStatus.Rejected && order.Status != OrderStatus.Cancelled)
        {
            // Nothing decided yet: the seller page is where to decide.
            return RedirectToPage("/Hosted/Seller", new { token });
        }

        var caller = CallerFor(order);
        Summary = await summaries.OfAsync(order, ct);
        Accepted = order.PayoutId is not null;
        if (order.PayoutId is not null)
        {
            var payout = await payouts.FindAsync(caller, order.PayoutId, ct);
            if (payout.Type == PayoutType.Wallet)
            {
                Destination = "your Truust wallet";
            }
            else
            {
                var account = await customers.FindBankAccountAsync(caller, payout.BankAccountId!, ct);
                Destination = $"the bank account {Iban.Parse(account.Iban).Masked}";
            }
        }

        ViewData["Title"] = Accepted ? "Order accepted" : "Order closed";
        return Page();
    }
}
