using Microsoft.AspNetCore.Mvc;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Pages.Hosted;
using Truust.Api.Payins;
using Truust.Api.Refunds;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Dashboard;

/// <summary>An action the dashboard offers on an order, with what it asks before doing it.</summary>
public sealed record OrderAction(
    string Name,
    string Label,
    string Question,
    string Consequence,
    string Done,
    bool Dangerous
);

/// <summary>
/// <c>/dashboard/orders/{id}</c>: everything about one order (details, links, status history, payins, payouts,
/// refunds, the ledger trail) and the actions allowed now. Which actions are offered comes from the order's
/// <c>allowed_actions</c> (the transition table, as in the API); each first asks for confirmation
/// (<c>?confirm=validate</c>, a plain page, so it works without JavaScript), then posts with an antiforgery token.
/// The services refuse anything the table does not allow, and the refusal is shown with the API's message.
/// </summary>
public sealed class OrderModel(
    OrderService orders,
    OrderQueries queries,
    OrderRefundService refunding,
    RefundService refunds,
    ReleasedOrderRefunds releasedRefunds,
    CustomerService customers,
    DashboardReads reads
) : DashboardPageModel
{
    public const int MaxReasonLength = 500;

    /// <summary>The actions the dashboard can take, in the order they are offered.</summary>
    public static readonly IReadOnlyList<OrderAction> Supported =
    [
        new(
            "validate",
            "Validate",
            "Validate this order?",
            "The money is released to the seller right away (less the fee). This cannot be undone.",
            "The order was validated; the release to the seller is under way.",
            false
        ),
        new(
            "accept",
            "Accept for the seller",
            "Accept this order on the seller's behalf?",
            "The order becomes ACCEPTED; the seller then says where to be paid.",
            "The order was accepted.",
            false
        ),
        new(
            "unblock",
            "Unblock the release",
            "Let the release go ahead?",
            "The order goes back to PENDING_RELEASE and the seller is paid.",
            "The release was unblocked.",
            false
        ),
        new(
            "block",
            "Block the release",
            "Hold the release of this order?",
            "The money stays in escrow until the operator unblocks or cancels the order.",
            "The release was blocked.",
            true
        ),
        new(
            "reject",
            "Reject for the seller",
            "Reject this order on the seller's behalf?",
            "The order becomes REJECTED. The money stays in escrow until you refund the buyer.",
            "The order was rejected.",
            true
        ),
        new(
            "refund",
            "Refund the buyer",
            "Refund the buyer?",
            "Everything the order still holds goes back to the buyer, along the way it was paid (after release: "
                + "everything not refunded yet, from the seller's wallet, the splits and the platform's reserve).",
            "The buyer is being refunded.",
            true
        ),
        new(
            "cancel",
            "Cancel the order",
            "Cancel this order?",
            "The order becomes CANCELLED. Anything held in escrow goes back to the buyer.",
            "The order was cancelled.",
            true
        ),
    ];

    public OrderResponse Order { get; private set; } = null!;

    public string SellerName { get; private set; } = string.Empty;

    public string? BuyerName { get; private set; }

    public string PlatformName { get; private set; } = string.Empty;

    public IReadOnlyList<OrderStatusChangeResponse> History { get; private set; } = [];

    public IReadOnlyList<LedgerTransferResponse> Ledger { get; private set; } = [];

    public IReadOnlyList<RefundResponse> Refunds { get; private set; } = [];

    public IReadOnlyList<Payin> Payins { get; private set; } = [];

    public IReadOnlyList<Payout> Payouts { get; private set; } = [];

    /// <summary>The allowed actions the dashboard can take.</summary>
    public IReadOnlyList<OrderAction> Actions { get; private set; } = [];

    /// <summary>Allowed actions that need more than a click (a payin, the seller's payout details).</summary>
    public IReadOnlyList<string> OtherActions { get; private set; } = [];

    /// <summary>The action waiting for confirmation, when <c>?confirm=</c> names an allowed one.</summary>
    public OrderAction? Confirming { get; private set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    /// <summary>
    /// The buyer's and seller's links as a message ready to paste into an e-mail or a chat ("share the link
    /// manually"), for a platform that does not send them itself.
    /// </summary>
    public IReadOnlyList<ShareText> Shares { get; private set; } = [];

    [BindProperty(Name = "reason")]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(
        string id,
        string? confirm,
        string? done,
        string? created,
        CancellationToken ct
    )
    {
        await LoadAsync(id, ct);
        Notice = created is not null
            ? "The order was created. Share its buyer and seller links below."
            : Supported.FirstOrDefault(a => a.Name == done)?.Done;
        if (confirm is not null)
        {
            Confirming = Actions.FirstOrDefault(a => a.Name == confirm);
            if (Confirming is null)
            {
                Error = $"'{confirm}' is not allowed now." + AllowedNow();
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? action, CancellationToken ct)
    {
        var reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            return await RefusedAsync(
                id,
                StatusCodes.Status422UnprocessableEntity,
                $"The reason is at most {MaxReasonLength} characters.",
                ct
            );
        }

        try
        {
            switch (action)
            {
                case "validate":
                    await orders.ActAsync(Caller, id, OrderTrigger.Validate, Actor, reason, ct);
                    break;
                case "accept":
                    await orders.ActAsync(Caller, id, OrderTrigger.Accept, Actor, reason, ct);
                    break;
                case "reject":
                    await orders.ActAsync(Caller, id, OrderTrigger.Reject, Actor, reason, ct);
                    break;
                case "block":
                    await orders.ActAsync(Caller, id, OrderTrigger.Block, Actor, reason, ct);
                    break;
                case "unblock":
                    await orders.ActAsync(Caller, id, OrderTrigger.Unblock, Actor, reason, ct);
                    break;
                case "cancel":
                    await refunding.CancelAsync(Caller, id, Actor, reason, ct);
                    break;
                case "refund":
                    await releasedRefunds.RefundAsync(Caller, id, new CreateRefundRequest { Reason = reason }, ct);
                    break;
                default:
                    return await RefusedAsync(
                        id,
                        StatusCodes.Status400BadRequest,
                        $"The dashboard has no action '{action}'.",
                        ct
                    );
            }
        }
        catch (Exception e) when (e is not NotFoundException && ToProblem(e) is (var status, var problem))
        {
            // Refused by the transition table or a business rule: nothing changed; say why, as the API would.
            return await RefusedAsync(id, status, problem.Message, ct);
        }

        return LocalRedirect($"/dashboard/orders/{Uri.EscapeDataString(id)}?done={action}");
    }

    public string? CustomerLink(string? customerId) =>
        customerId is null ? null : $"/dashboard/customers/{Uri.EscapeDataString(customerId)}";

    public static string PayinLabel(Payin payin) =>
        payin.Type switch
        {
            PayinType.Addon when payin.CardLast4 is not null => HostedPages.CardLabel(payin.CardBrand, payin.CardLast4),
            PayinType.Addon => "Card",
            PayinType.Bankwire => $"Bank wire, reference {payin.BankwireReference}",
            _ => $"Wallet {payin.SourceWalletId}",
        };

    private async Task<IActionResult> RefusedAsync(string id, int status, string message, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        Error = message;
        var page = Page();
        page.StatusCode = status;
        return page;
    }

    private string AllowedNow() =>
        Actions.Count == 0
            ? " No action can be taken from the dashboard now."
            : $" Allowed now: {string.Join(", ", Actions.Select(a => a.Name))}.";

    private async Task LoadAsync(string id, CancellationToken ct)
    {
        Order = await queries.GetAsync(Caller, id, ct);
        ViewData["Title"] = Order.Name;
        ViewData["Section"] = "orders";
        SellerName = (await customers.FindAsync(Caller, Order.SellerId, ct)).Name;
        BuyerName = Order.BuyerId is null ? null : (await customers.FindAsync(Caller, Order.BuyerId, ct)).Name;
        var entity = await queries.FindAsync(Caller, id, ct);
        PlatformName = await reads.PlatformNameAsync(entity.PlatformId, ct);
        History = await queries.HistoryAsync(Caller, id, ct);
        Ledger = await queries.LedgerAsync(Caller, id, ct);
        Refunds = await refunds.ListForOrderAsync(Order.Id, ct);
        Payins = await reads.PayinsOfOrderAsync(Order.Id, Order.OrderGroupId, ct);
        Payouts = await reads.PayoutsOfOrderAsync(Order.Id, ct);
        Shares = ShareText.For(Order, PlatformName, SellerName, BuyerName);
        // The dashboard's refund returns everything: it offers it for a REJECTED order, where nothing else can, and a
        // RELEASED one (a refund after release); elsewhere cancelling does the same, and a partial refund is the API's.
        var allowed = Order
            .AllowedActions.Where(a => a != "refund" || Order.Status is OrderStatus.Rejected or OrderStatus.Released)
            .ToList();
        Actions = Supported.Where(a => allowed.Contains(a.Name)).ToList();
        OtherActions = allowed.Where(a => Supported.All(s => s.Name != a)).ToList();
    }
}
