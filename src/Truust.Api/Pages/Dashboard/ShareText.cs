using Truust.Api.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// One party's link as a ready-to-send message: a subject and a body that say what the order is, what the link is
/// for and that Truust holds the money, with a <c>mailto:</c> address that opens it in the person's mail program.
/// </summary>
public sealed record ShareText(string Party, string Id, string Link, string Subject, string Body)
{
    /// <summary>The message as one text (subject line first), for the clipboard.</summary>
    public string Text => $"Subject: {Subject}\n\n{Body}";

    public string MailTo => $"mailto:?subject={Uri.EscapeDataString(Subject)}&body={Uri.EscapeDataString(Body)}";

    public static IReadOnlyList<ShareText> For(OrderResponse order, string platform, string seller, string? buyer)
    {
        var amount = DashboardFormat.Money(order.Amount, order.Currency);
        var greetingBuyer = buyer is null ? "Hello," : $"Hello {buyer},";
        return
        [
            new(
                "Buyer",
                "buyer",
                order.BuyerLink,
                $"Pay for \u201c{order.Name}\u201d ({amount})",
                $"""
                {greetingBuyer}

                Pay for "{order.Name}" ({amount}) from {seller} through this secure link:
                {order.BuyerLink}

                Truust holds your payment in escrow: {seller} is paid only once the order is complete ({platform}).
                """
            ),
            new(
                "Seller",
                "seller",
                order.SellerLink,
                $"Your sale \u201c{order.Name}\u201d ({amount})",
                $"""
                Hello {seller},

                You have a sale: "{order.Name}" ({amount}). Follow it, accept it and say where to be paid here:
                {order.SellerLink}

                The buyer's money is held in escrow by Truust and released to you once the order is complete
                ({platform}).
                """
            ),
        ];
    }
}
