namespace Truust.Domain;

/// <summary>
/// An ISO 4217 currency from Truust's allow-list, with the exponent that says how many minor units make one
/// major unit. Only listed currencies exist: an unknown code cannot be turned into a <see cref="Currency"/>.
/// </summary>
public sealed record Currency
{
    private static readonly Dictionary<string, Currency> Known = new Currency[]
    {
        new("EUR", 2),
        new("USD", 2),
        new("GBP", 2),
        new("CHF", 2),
        new("SEK", 2),
        new("DKK", 2),
        new("NOK", 2),
        new("PLN", 2),
        new("CZK", 2),
        new("MXN", 2),
        new("JPY", 0),
    }.ToDictionary(c => c.Code, StringComparer.Ordinal);

    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    /// <summary>Three upper-case letters, e.g. <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>Number of decimal places of the minor unit (2 for EUR, 0 for JPY).</summary>
    public int Exponent { get; }

    public static IReadOnlyCollection<string> Codes => Known.Keys;

    public static bool IsKnown(string? code) => code is not null && Known.ContainsKey(code);

    public static Currency Of(string code) =>
        Known.TryGetValue(code, out var currency)
            ? currency
            : throw new BusinessRuleException(
                "unsupported_currency",
                $"Currency '{code}' is not supported. Supported: {string.Join(", ", Known.Keys)}.",
                "currency"
            );

    public static readonly Currency Eur = Of("EUR");

    public override string ToString() => Code;
}
