using Microsoft.AspNetCore.Mvc;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Platforms;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// The card issuer's 3-D Secure challenge (<c>/pay/{token}/3ds</c>), PSD2 strong customer authentication for the
/// SCA test card. The sandbox asks no code: the buyer approves or fails it. It serves once; afterwards the link
/// says it is no longer active.
/// </summary>
public sealed class ThreeDsModel(PayinService payins, CardRail cards, OrderQueries orders, PlatformService platforms)
    : HostedPageModel
{
    public string Token { get; private set; } = string.Empty;

    public string Merchant { get; private set; } = string.Empty;

    public string Amount { get; private set; } = string.Empty;

    public string Card { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var payin = await LoadAsync(token, ct);
        if (payin is null)
        {
            return LinkNotFound();
        }

        if (payin.Status == PayinStatus.Pending)
        {
            return RedirectToPage("/Hosted/Pay", new { token });
        }

        if (payin.Status != PayinStatus.RequiresAction)
        {
            return Answered();
        }

        Merchant = (await platforms.GetAsync(payin.PlatformId, ct)).Name;
        Amount = payin.Amount.ToString();
        Card = HostedPages.CardLabel(payin.CardBrand, payin.CardLast4);
        ViewData["Title"] = "Confirm your payment";
        ViewData["Variant"] = "issuer";
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(string token, CancellationToken ct) => AnswerAsync(token, true, ct);

    public Task<IActionResult> OnPostFailAsync(string token, CancellationToken ct) => AnswerAsync(token, false, ct);

    private async Task<IActionResult> AnswerAsync(string token, bool authenticated, CancellationToken ct)
    {
        var payin = await LoadAsync(token, ct);
        if (payin is null)
        {
            return LinkNotFound();
        }

        if (payin.Status != PayinStatus.RequiresAction)
        {
            return Answered();
        }

        payin = await cards.CompleteChallengeAsync(payin, authenticated, ct);
        var order = await orders.FindPaidByAsync(CallerFor(payin.PlatformId), payin, ct);
        return Redirect(
            HostedPages.BuyerReturnUrl(
                payin,
                order,
                payin.Status == PayinStatus.Succeeded,
                Url.Page("/Hosted/PayResult", new { token })!
            )
        );
    }

    private IActionResult Answered() =>
        LinkGone(
            "This authentication request has already been answered.",
            "See the payment result",
            Url.Page("/Hosted/PayResult", new { token = Token })
        );

    private async Task<Payin?> LoadAsync(string token, CancellationToken ct)
    {
        Token = token;
        return IsPlausibleToken(token) ? await payins.FindByTokenAsync(token, ct) : null;
    }
}
