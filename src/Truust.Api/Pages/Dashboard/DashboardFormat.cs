using System.Globalization;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>How the dashboard writes statuses, money and times.</summary>
public static class DashboardFormat
{
    /// <summary>Every status, in lifecycle order: the legend and the filter list.</summary>
    public static IReadOnlyList<OrderStatus> Statuses { get; } = Enum.GetValues<OrderStatus>();

    /// <summary>The wire name (<c>PENDING_RELEASE</c>), as in the API and the CSV export.</summary>
    public static string Wire(OrderStatus status) => WireName.Of(status);

    /// <summary>The badge text: the wire name in words (<c>Pending release</c>).</summary>
    public static string Label(OrderStatus status)
    {
        var words = Wire(status).Replace('_', ' ').ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The CSS class that gives a status its colour (dashboard.css has one per status).</summary>
    public static string Css(OrderStatus status) => "status-" + Wire(status).ToLowerInvariant().Replace('_', '-');

    /// <summary>What a status means to the platform's staff (the legend).</summary>
    public static string Meaning(OrderStatus status) =>
        status switch
        {
            OrderStatus.Draft => "Created; the buyer is not known yet.",
            OrderStatus.PendingPublish => "Buyer identified; payment pending or under way.",
            OrderStatus.Failure => "Payment failed; the buyer may try again.",
            OrderStatus.Published => "Paid; the money is held in escrow.",
            OrderStatus.Cancelled => "Cancelled; anything held went back to the buyer.",
            OrderStatus.Accepted => "The seller accepted; waiting for their payout details.",
            OrderStatus.Rejected => "The seller rejected; refund the buyer.",
            OrderStatus.PendingValidate => "Waiting for the platform to validate.",
            OrderStatus.PendingRelease => "Validated; the release to the seller is under way.",
            OrderStatus.BlockedRelease => "Release on hold (by the operator, or refused by the bank).",
            OrderStatus.Released => "Paid out to the seller.",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };

    public static string Money(long amountMinor, string currency) =>
        new Money(amountMinor, Currency.Of(currency)).ToString();

    /// <summary>The amount without its currency, as a spreadsheet reads it: <c>150.00</c>.</summary>
    public static string PlainAmount(long amountMinor, string currency) => Money(amountMinor, currency).Split(' ')[0];

    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    public static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
