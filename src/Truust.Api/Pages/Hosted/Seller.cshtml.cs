using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Wallets;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// The seller link (<c>/s/{token}</c>): the order and whether it is paid; once paid, accept (choosing where to be
/// paid, which creates the payout) or reject. The link serves until the seller has decided.
/// </summary>
public sealed class SellerModel(
    OrderService orders,
    OrderQueries queries,
    PayoutService payouts,
    CustomerService customers,
    WalletService wallets,
    OrderSummaries summaries,
    IValidator<CreateBankAccountRequest> bankAccountRules
) : HostedPageModel
{
    public const string NewAccount = "new";
    public const string WalletDestination = "wallet";

    public string Token { get; private set; } = string.Empty;

    public OrderSummary Summary { get; private set; } = null!;

    /// <summary>Paid and waiting for the seller's decision (PUBLISHED), or accepted without a payout yet.</summary>
    public bool CanDecide { get; private set; }

    public bool CanReject { get; private set; }

    public IReadOnlyList<BankAccountResponse> BankAccounts { get; private set; } = [];

    public string? WalletBalance { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>A bank account id, <see cref="NewAccount"/> or <see cref="WalletDestination"/>.</summary>
    [BindProperty]
    public string? Destination { get; set; }

    [BindProperty]
    public string? HolderName { get; set; }

    [BindProperty]
    public string? Iban { get; set; }

    [BindProperty]
    public string? Bic { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        return order is null ? LinkNotFound() : await ShowAsync(order, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostAcceptAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        // Asked before anything is written, so a stale form changes nothing (the page says the link moved on).
        order.EnsureCan(
            order.Status == OrderStatus.Published ? OrderTrigger.Accept : OrderTrigger.CreatePayout,
            OrderActor.Seller
        );
        var caller = CallerFor(order);
        var payout = new CreatePayoutRequest { OrderId = order.Id };
        CreateBankAccountRequest? newAccount = null;
        switch (Destination)
        {
            case NewAccount:
                newAccount = new CreateBankAccountRequest
                {
                    HolderName = HolderName?.Trim(),
                    Iban = Iban?.Trim(),
                    Bic = string.IsNullOrWhiteSpace(Bic) ? null : Bic.Trim(),
                };
                await CheckNewAccountAsync(newAccount, ct);
                payout.Type = PayoutType.Account;
                break;
            case WalletDestination:
                payout.Type = PayoutType.Wallet;
                break;
            case { } id when id.StartsWith("ba_", StringComparison.Ordinal):
                payout.Type = PayoutType.Account;
                payout.BankaccountId = id;
                break;
            default:
                Errors["destination"] = "Choose where you would like to be paid.";
                break;
        }

        if (Errors.Count > 0)
        {
            return await ShowAsync(order, ct) ?? FormErrors();
        }

        if (newAccount is not null)
        {
            payout.BankaccountId = (await customers.AddBankAccountAsync(caller, order.SellerId, newAccount, ct)).Id;
        }
        else if (payout.Type == PayoutType.Wallet)
        {
            var wallet = await wallets.GetOrCreateForCustomerAsync(
                order.PlatformId,
                order.SellerId,
                order.Currency,
                ct
            );
            payout.WalletId = wallet.Id;
        }

        // Separate commits, each safe on its own: a saved bank account is simply offered next time, and ACCEPTED is a
        // state of its own, so if the payout step fails the seller comes back to this link and finds the order
        // accepted, asking only where to be paid.
        if (order.Status == OrderStatus.Published)
        {
            await orders.ActAsync(caller, order.Id, OrderTrigger.Accept, OrderActor.Seller, null, ct);
        }

        await payouts.CreateForOrderAsync(caller, payout, OrderActor.Seller, ct);
        return Redirect(
            HostedPages.SellerReturnUrl(order, accepted: true, Url.Page("/Hosted/SellerDone", new { token })!)
        );
    }

    public async Task<IActionResult> OnPostRejectAsync(string token, CancellationToken ct)
    {
        var order = await LoadAsync(token, ct);
        if (order is null)
        {
            return LinkNotFound();
        }

        var reason = string.IsNullOrWhiteSpace(Reason) ? "rejected by the seller" : Reason.Trim();
        if (reason.Length > 500)
        {
            Errors["reason"] = "Keep the reason under 500 characters.";
            return await ShowAsync(order, ct) ?? FormErrors();
        }

        await orders.ActAsync(CallerFor(order), order.Id, OrderTrigger.Reject, OrderActor.Seller, reason, ct);
        return Redirect(
            HostedPages.SellerReturnUrl(order, accepted: false, Url.Page("/Hosted/SellerDone", new { token })!)
        );
    }

    private async Task CheckNewAccountAsync(CreateBankAccountRequest account, CancellationToken ct)
    {
        foreach (var failure in (await bankAccountRules.ValidateAsync(account, ct)).Errors)
        {
            Errors.TryAdd(
                failure.PropertyName,
                failure.PropertyName switch
                {
                    "holder_name" => "Enter the name of the account holder.",
                    "bic" => "A BIC has 8 or 11 letters and digits, like CAIXESBBXXX. You can leave it empty.",
                    _ => "Enter the IBAN of the account you want to be paid to.",
                }
            );
        }

        if (!Errors.ContainsKey("iban") && !Domain.Banking.Iban.TryParse(account.Iban, out _, out var error))
        {
            Errors["iban"] = $"This IBAN is not valid: {error}";
        }
    }

    private async Task<Order?> LoadAsync(string token, CancellationToken ct)
    {
        Token = token;
        return IsPlausibleToken(token) ? await queries.FindByLinkAsync(token, OrderActor.Seller, ct) : null;
    }

    /// <summary>Fills the page for the order's state; returns a result only when the link no longer serves.</summary>
    private async Task<IActionResult?> ShowAsync(Order order, CancellationToken ct)
    {
        switch (order.Status)
        {
            case OrderStatus.Rejected:
                return LinkGone($"You rejected the order \u201c{order.Name}\u201d. The buyer gets their money back.");
            case OrderStatus.Cancelled:
                return LinkGone($"The order \u201c{order.Name}\u201d was cancelled.");
            case OrderStatus.PendingValidate:
                return LinkGone(
                    $"You already accepted the order \u201c{order.Name}\u201d and chose where to be paid.",
                    "Delivery and problems",
                    Url.Page("/Hosted/Delivery", new { token = Token })
                );
            case OrderStatus.PendingRelease or OrderStatus.BlockedRelease or OrderStatus.Released:
                return LinkGone(
                    $"You already accepted the order \u201c{order.Name}\u201d and chose where to be paid.",
                    "See the details",
                    Url.Page("/Hosted/SellerDone", new { token = Token })
                );
        }

        var caller = CallerFor(order);
        Summary = await summaries.OfAsync(order, ct);
        ViewData["Title"] = order.Name;
        CanDecide = order.Status is OrderStatus.Published or OrderStatus.Accepted;
        CanReject = order.AllowedTriggers(OrderActor.Seller).Contains(OrderTrigger.Reject);
        if (CanDecide)
        {
            BankAccounts = (
                await customers.ListBankAccountsAsync(
                    caller,
                    order.SellerId,
                    new PageQuery { Limit = PageQuery.MaxLimit },
                    ct
                )
            ).Data;
            var owned = await wallets.ListAsync(
                caller,
                new WalletListQuery { CustomerId = order.SellerId, Limit = PageQuery.MaxLimit },
                ct
            );
            var wallet = owned.Data.FirstOrDefault(w => w.Kind == WalletKind.Customer && w.Currency == order.Currency);
            WalletBalance = wallet is null ? null : new Money(wallet.Balance, Currency.Of(wallet.Currency)).ToString();
            HolderName ??= Summary.SellerName;
            Destination ??= BankAccounts.Count > 0 ? BankAccounts[0].Id : NewAccount;
        }

        return null;
    }
}
