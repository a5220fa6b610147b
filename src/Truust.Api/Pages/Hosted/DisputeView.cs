using System.Globalization;
using System.Text.RegularExpressions;
using Truust.Domain;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>What the buyer and seller pages show of an order's delivery and its latest dispute.</summary>
public sealed record DisputeView(Dispute Dispute, string Currency)
{
    public string StatusText =>
        Dispute.Status switch
        {
            DisputeStatus.AwaitingSeller => "Waiting for the seller's answer",
            DisputeStatus.AwaitingBuyer => "Waiting for the buyer's answer",
            DisputeStatus.Resolved => "Resolved",
            DisputeStatus.Expired => "Closed: the deadline passed",
            _ => "Opened",
        };

    public string? Deadline => Dispute.DeadlineAt?.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public string Format(long minor) => new Money(minor, Domain.Currency.Of(Currency)).ToString();

    public static string Describe(DisputeEntry entry) =>
        entry.Action switch
        {
            "open" => "reported a problem",
            "refund_in_full" => "refunded in full",
            "offer_partial_refund" => "offered a partial refund",
            "contest" => "contested the report",
            "accept" => "accepted",
            "reject" => "rejected the answer",
            "resolve" => "decided",
            "expire" => "closed it: the deadline passed",
            _ => entry.Action,
        };
}

/// <summary>Reads an amount typed on a page (<c>60</c>, <c>60.00</c>, <c>60,5</c>) into minor units.</summary>
public static partial class TypedAmount
{
    public static long? ToMinor(string? typed, string currency)
    {
        var exponent = Currency.Of(currency).Exponent;
        var match = Shape().Match(typed?.Trim() ?? "");
        if (!match.Success || match.Groups[2].Value.Length > exponent)
        {
            return null;
        }

        var major = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var fraction = match.Groups[2].Value.PadRight(exponent, '0');
        var minor = exponent == 0 ? 0 : long.Parse(fraction, CultureInfo.InvariantCulture);
        var factor = (long)Math.Pow(10, exponent);
        return major > Money.MaxAmountMinor / factor ? null : (major * factor) + minor;
    }

    [GeneratedRegex(@"^(\d{1,12})(?:[.,](\d{1,4}))?$")]
    private static partial Regex Shape();
}
