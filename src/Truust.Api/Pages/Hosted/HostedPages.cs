using Microsoft.AspNetCore.WebUtilities;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>Registration of the hosted pages: buyer and seller links, and the simulated gateway pages.</summary>
public static class HostedPages
{
    public const string AntiforgeryCookie = "truust_csrf";

    public static IServiceCollection AddHostedPages(this IServiceCollection services)
    {
        services.AddRazorPages();
        services.AddAntiforgery(options =>
        {
            // Strict: a form on another site can never post with this cookie, so the token pair cannot be replayed
            // cross-site even if a token leaked.
            options.Cookie.Name = AntiforgeryCookie;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddScoped<OrderSummaries>();
        return services;
    }

    /// <summary>
    /// A platform URL with <c>order_id</c> added, so the platform knows which order the person comes back from.
    /// </summary>
    public static string WithOrderId(string url, string orderId) =>
        QueryHelpers.AddQueryString(url, "order_id", orderId);

    /// <summary>
    /// Where the buyer goes once the payment is decided: the platform's confirmed or denied URL (with the order
    /// id), or <paramref name="fallback"/> (Truust's own result page) when the platform gave none.
    /// </summary>
    public static string BuyerReturnUrl(Order? order, bool paid, string fallback)
    {
        var url = paid ? order?.BuyerConfirmedUrl : order?.BuyerDeniedUrl;
        return url is null ? fallback : WithOrderId(url, order!.Id);
    }

    /// <summary>
    /// Where the buyer goes once <paramref name="payin"/> is decided. A cart's payin goes to the cart's URLs
    /// (<paramref name="order"/> is one of its orders) with <c>order_group_id</c>, since it paid every order of it.
    /// </summary>
    public static string BuyerReturnUrl(Domain.Payments.Payin payin, Order? order, bool paid, string fallback)
    {
        if (payin.OrderId is not null || payin.OrderGroupId is not { } groupId)
        {
            return BuyerReturnUrl(order, paid, fallback);
        }

        var url = paid ? order?.BuyerConfirmedUrl : order?.BuyerDeniedUrl;
        return url is null ? fallback : QueryHelpers.AddQueryString(url, "order_group_id", groupId);
    }

    /// <summary>Where the seller goes after accepting or rejecting, likewise.</summary>
    public static string SellerReturnUrl(Order order, bool accepted, string fallback)
    {
        var url = accepted ? order.SellerConfirmedUrl : order.SellerDeniedUrl;
        return url is null ? fallback : WithOrderId(url, order.Id);
    }

    /// <summary>A card as people read it on a receipt: <c>Visa •••• 4242</c>.</summary>
    public static string CardLabel(string? brand, string? last4) =>
        brand is { Length: > 0 } ? $"{char.ToUpperInvariant(brand[0])}{brand[1..]} •••• {last4}" : $"Card •••• {last4}";

    /// <summary>What an order's status means to a buyer or seller, in words.</summary>
    public static string Describe(OrderStatus status) =>
        status switch
        {
            OrderStatus.Draft => "Awaiting the buyer",
            OrderStatus.PendingPublish => "Awaiting payment",
            OrderStatus.Failure => "Payment not completed",
            OrderStatus.Published => "Paid, held in escrow",
            OrderStatus.Cancelled => "Cancelled",
            OrderStatus.Accepted => "Accepted by the seller",
            OrderStatus.Rejected => "Rejected by the seller",
            OrderStatus.PendingValidate => "Waiting for the platform to validate",
            OrderStatus.PendingRelease => "Being released to the seller",
            OrderStatus.BlockedRelease => "Release on hold",
            OrderStatus.Released => "Released to the seller",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };

    /// <summary>The colour family a status is shown in (a CSS modifier).</summary>
    public static string Tone(OrderStatus status) =>
        status switch
        {
            OrderStatus.Published
            or OrderStatus.Accepted
            or OrderStatus.PendingValidate
            or OrderStatus.PendingRelease
            or OrderStatus.Released => "ok",
            OrderStatus.Failure or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.BlockedRelease => "bad",
            _ => "wait",
        };
}
