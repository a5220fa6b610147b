using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Domain;
using Truust.Domain.Banking;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// A payin's <c>direct_link</c> (<c>/pay/{token}</c>): the simulated card processor's page for a card payin, the
/// wire instructions for a bank wire. A payin that is decided sends the visitor to its result.
/// </summary>
public sealed partial class PayModel(PayinService payins, CardRail cards, OrderQueries orders, OrderSummaries summaries)
    : HostedPageModel
{
    public string Token { get; private set; } = string.Empty;

    public PayinResponse Payin { get; private set; } = null!;

    /// <summary>The order paid for; null for a wallet top-up.</summary>
    public OrderSummary? Summary { get; private set; }

    public string Amount => new Money(Payin.Amount, Currency.Of(Payin.Currency)).ToString();

    /// <summary>The amount as typed into a banking app: digits and a decimal point, no currency.</summary>
    public string PlainAmount => Amount.Split(' ')[0];

    public string FormattedEscrowIban => Iban.Parse(Payin.Bankwire!.Iban).Formatted;

    public Dictionary<string, string> Errors { get; } = [];

    public static IEnumerable<(string Number, string Outcome)> TestCards =>
        SimulatedCardGateway.TestCards.Select(c =>
            (
                c.Key,
                c.Value.Outcome switch
                {
                    "APPROVED" => "Approved",
                    "CHALLENGE_REQUIRED" => "Asks for 3-D Secure",
                    _ => $"Declined ({c.Value.Code!.Replace('_', ' ')})",
                }
            )
        );

    // The card number and the CVC are bound, passed to the gateway and dropped: never echoed back, stored or logged.
    [BindProperty(Name = "number")]
    public string? Number { get; set; }

    [BindProperty(Name = "expiry")]
    public string? Expiry { get; set; }

    [BindProperty(Name = "cvc")]
    public string? Cvc { get; set; }

    [BindProperty(Name = "holder")]
    public string? Holder { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var payin = await LoadAsync(token, ct);
        return payin is null ? LinkNotFound() : await ShowAsync(payin, ct);
    }

    /// <summary>Polled by the wire page, which turns to "received" when the status changes.</summary>
    public async Task<IActionResult> OnGetStatusAsync(string token, CancellationToken ct)
    {
        var payin = await LoadAsync(token, ct);
        return payin is null ? NotFound() : new JsonResult(new { status = WireName.Of(payin.Status) });
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var payin = await LoadAsync(token, ct);
        if (payin is null)
        {
            return LinkNotFound();
        }

        if (payin.Type != PayinType.Addon || payin.Status != PayinStatus.Pending)
        {
            return await ShowAsync(payin, ct);
        }

        var card = ReadCard();
        if (card is null)
        {
            return await ShowAsync(payin, ct, FormErrors());
        }

        try
        {
            payin = await cards.SubmitAsync(payin, card, ct);
        }
        catch (ConflictException e) when (e.Code is "payin_processing" or "payin_not_open")
        {
            // A double-click: the first submission is charging the card. The buyer sees that payment in progress
            // and then its result, never an error.
            return RedirectToPage("/Hosted/PayResult", new { token });
        }
        catch (BusinessRuleException e) when (e.Code is "invalid_card_number" or "expired_card")
        {
            Errors[e.Code == "expired_card" ? "expiry" : "number"] =
                e.Code == "expired_card" ? e.Message : "This card number is not valid. Check it for typos.";
            return await ShowAsync(payin, ct, FormErrors());
        }

        if (payin.Status == PayinStatus.RequiresAction)
        {
            return RedirectToPage("/Hosted/ThreeDs", new { token });
        }

        return Redirect(await ReturnUrlAsync(payin, ct));
    }

    private async Task<Domain.Payments.Payin?> LoadAsync(string token, CancellationToken ct)
    {
        Token = token;
        return IsPlausibleToken(token) ? await payins.FindByTokenAsync(token, ct) : null;
    }

    private async Task<IActionResult> ShowAsync(
        Domain.Payments.Payin payin,
        CancellationToken ct,
        IActionResult? result = null
    )
    {
        switch (payin.Status)
        {
            case PayinStatus.RequiresAction:
                return RedirectToPage("/Hosted/ThreeDs", new { token = Token });
            case not PayinStatus.Pending:
                return RedirectToPage("/Hosted/PayResult", new { token = Token });
        }

        Payin = payins.ToResponse(payin);
        if (payin.OrderId is not null)
        {
            var order = await orders.FindAsync(CallerFor(payin.PlatformId), payin.OrderId, ct);
            Summary = await summaries.OfAsync(order, ct);
        }

        var card = payin.Type == PayinType.Addon;
        ViewData["Title"] = card ? "Card payment" : "Bank transfer instructions";
        ViewData["Variant"] = card ? "gateway" : "truust";
        return result ?? Page();
    }

    /// <summary>Checks the form's shape; the card rules themselves (Luhn, expiry) are the service's.</summary>
    private CardDetails? ReadCard()
    {
        var number = new string((Number ?? string.Empty).Where(c => c is not (' ' or '-')).ToArray());
        if (number.Length == 0)
        {
            Errors["number"] = "Enter the card number.";
        }

        var expiry = ExpiryPattern().Match(Expiry ?? string.Empty);
        var month = expiry.Success ? int.Parse(expiry.Groups["month"].Value) : 0;
        var year = expiry.Success ? int.Parse(expiry.Groups["year"].Value) : 0;
        year = year < 100 ? 2000 + year : year;
        if (month is < 1 or > 12)
        {
            Errors["expiry"] = "Enter the expiry date as MM / YY.";
        }

        if (!CvcPattern().IsMatch(Cvc ?? string.Empty))
        {
            Errors["cvc"] = "Enter the 3 or 4 digit security code from the back of the card.";
        }

        var holder = Holder?.Trim();
        if (string.IsNullOrEmpty(holder) || holder.Length > 200)
        {
            Errors["holder"] = "Enter the name as it appears on the card.";
        }

        return Errors.Count == 0 ? new CardDetails(number, month, year, Cvc!, holder) : null;
    }

    private async Task<string> ReturnUrlAsync(Domain.Payments.Payin payin, CancellationToken ct)
    {
        var order = await orders.FindPaidByAsync(CallerFor(payin.PlatformId), payin, ct);
        return HostedPages.BuyerReturnUrl(
            payin,
            order,
            payin.Status == PayinStatus.Succeeded,
            Url.Page("/Hosted/PayResult", new { token = Token })!
        );
    }

    [GeneratedRegex(@"^\s*(?<month>\d{1,2})\s*/\s*(?<year>\d{2}|\d{4})\s*$")]
    private static partial Regex ExpiryPattern();

    [GeneratedRegex(@"^\d{3,4}$")]
    private static partial Regex CvcPattern();
}
