using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Customers;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Wallets;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// The buyer link (<c>/b/{token}</c>): the order summary, the buyer saying who they are when the platform did not,
/// and the choice of how to pay. Paying creates the payin and sends the buyer to its <c>direct_link</c>. The link
/// serves until the order is paid; afterwards it says so instead.
/// </summary>
public sealed class BuyerModel(
    OrderService orders,
    OrderQueries queries,
    OrderPaymentService payments,
    OrderRefundService cancelling,
    PayinService payins,
    WalletService wallets,
    OrderSummaries summaries,
    IValidator<CreateCustomerRequest> customerRules
) : HostedPageModel
{
    public const string Card = "card";
    public const string Bankwire = "bankwire";
    public const string WalletMethod = "wallet";

    public string Token { get; private set; } = string.Empty;

    public OrderSummary Summary { get; private set; } = null!;

    /// <summary>The platform created the order without a buyer: ask for name and email first.</summary>
    public bool NeedsBuyer { get; private set; }

    /// <summary>Set while a payment is under way: the page offers to continue it.</summary>
    public string? ContinueUrl { get; private set; }

    public string? PreviousFailure { get; private set; }

    /// <summary>The buyer's wallet in the order's currency, offered only when it holds enough.</summary>
    public string? WalletBalance { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>Whether the table lets the buyer cancel the order now (the seed's "CANCELLED by the buyer").</summary>
    public bool CanCancel { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        return await ShowAsync(order, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostIdentifyAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        if (order.BuyerId is not null)
        {
            return RedirectToPage(new { token });
        }

        var buyer = new CreateCustomerRequest { Name = Name?.Trim(), Email = Email?.Trim() };
        var check = await customerRules.ValidateAsync(buyer, ct);
        foreach (var failure in check.Errors)
        {
            Errors.TryAdd(
                failure.PropertyName,
                failure.PropertyName == "email"
                    ? "Enter a valid email address, like name@example.com."
                    : "Enter your name as it should appear on the order."
            );
        }

        if (Errors.Count > 0)
        {
            return await ShowAsync(order, ct) ?? FormErrors();
        }

        await orders.IdentifyBuyerAsync(CallerFor(order), order.Id, buyer, ct);
        return RedirectToPage(new { token });
    }

    public async Task<IActionResult> OnPostPayAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        if (order.BuyerId is null)
        {
            return RedirectToPage(new { token });
        }

        var request = new CreatePayinRequest
        {
            OrderId = order.Id,
            Type = Method switch
            {
                Card => PayinType.Addon,
                Bankwire => PayinType.Bankwire,
                WalletMethod => PayinType.Wallet,
                _ => null,
            },
        };
        if (request.Type is null)
        {
            Errors["method"] = "Choose how you would like to pay.";
        }
        else if (request.Type == PayinType.Wallet)
        {
            request.WalletId = (await FundedWalletAsync(order, ct))?.Id;
            if (request.WalletId is null)
            {
                Errors["method"] = "Your wallet does not hold enough for this order. Choose another way to pay.";
            }
        }

        if (Errors.Count > 0)
        {
            return await ShowAsync(order, ct) ?? FormErrors();
        }

        PayinResponse payin;
        try
        {
            payin = await payments.PayAsync(CallerFor(order), request, OrderActor.Buyer, ct);
        }
        catch (InsufficientFundsException)
        {
            // The balance was spent between showing the page and paying: nothing was kept, say so.
            Errors["method"] = "Your wallet does not hold enough for this order. Choose another way to pay.";
            return await ShowAsync(order, ct) ?? FormErrors();
        }

        // A wallet pays at once; card and wire continue on the payin's own page.
        return payin.Status == PayinStatus.Succeeded
            ? Redirect(HostedPages.BuyerReturnUrl(order, paid: true, payin.DirectLink))
            : Redirect(payin.DirectLink);
    }

    /// <summary>
    /// The buyer cancels the order, while the table lets a buyer do so: an open payin is voided; nothing was
    /// taken. The history records the buyer as the actor. The link then says the order was cancelled.
    /// </summary>
    public async Task<IActionResult> OnPostCancelAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        if (order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.Cancel))
        {
            try
            {
                await cancelling.CancelAsync(
                    CallerFor(order),
                    order.Id,
                    OrderActor.Buyer,
                    "cancelled by the buyer",
                    ct
                );
            }
            catch (DomainException)
            {
                // The order moved on meanwhile (paid, or a card payment under way): the page shows where it is now.
            }
        }

        return RedirectToPage(new { token });
    }

    private async Task<Order?> LoadAsync(string token, CancellationToken ct)
    {
        Token = token;
        return IsPlausibleToken(token) ? await queries.FindByLinkAsync(token, OrderActor.Buyer, ct) : null;
    }

    /// <summary>Fills the page for the order's state; returns a result only when the link no longer serves.</summary>
    private async Task<IActionResult?> ShowAsync(Order order, CancellationToken ct)
    {
        var caller = CallerFor(order);
        var payin = order.PayinId is null ? null : await payins.FindAsync(caller, order.PayinId, ct);
        if (order.Status == OrderStatus.PendingPublish && payin is not null)
        {
            ContinueUrl = payins.ToResponse(payin).DirectLink;
        }
        else if (!order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.Pay))
        {
            return order.Status == OrderStatus.Cancelled
                ? LinkGone($"The order \u201c{order.Name}\u201d was cancelled, so there is nothing to pay.")
                : LinkGone(
                    $"The order \u201c{order.Name}\u201d has already been paid. There is nothing more to pay here.",
                    "Delivery, or report a problem",
                    Url.Page("/Hosted/Problem", new { token = Token })
                );
        }

        Summary = await summaries.OfAsync(order, ct);
        ViewData["Title"] = $"Pay for {order.Name}";
        NeedsBuyer = order.BuyerId is null;
        if (order.Status == OrderStatus.Failure && payin is not null)
        {
            PreviousFailure = payin.FailureMessage ?? "The payment was not completed.";
        }

        if (!NeedsBuyer)
        {
            var wallet = await FundedWalletAsync(order, ct);
            WalletBalance = wallet is null ? null : new Money(wallet.Balance, Currency.Of(wallet.Currency)).ToString();
        }

        Method ??= Card;
        CanCancel = order.AllowedTriggers(OrderActor.Buyer).Contains(OrderTrigger.Cancel);
        return null;
    }

    private async Task<WalletResponse?> FundedWalletAsync(Order order, CancellationToken ct)
    {
        var owned = await wallets.ListAsync(
            CallerFor(order),
            new WalletListQuery { CustomerId = order.BuyerId, Limit = WalletListQuery.MaxLimit },
            ct
        );
        return owned.Data.FirstOrDefault(w =>
            w.Kind == WalletKind.Customer && w.Currency == order.Currency && w.Balance >= order.AmountMinor
        );
    }
}
