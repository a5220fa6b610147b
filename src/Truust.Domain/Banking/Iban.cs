namespace Truust.Domain.Banking;

/// <summary>
/// An International Bank Account Number, validated by country length and the ISO 7064 mod-97 check, kept in
/// its electronic form (upper case, no spaces).
/// </summary>
public sealed record Iban
{
    // Lengths from the SWIFT IBAN registry; an IBAN whose country is not listed is refused rather than guessed.
    private static readonly Dictionary<string, int> Lengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24,
        ["AE"] = 23,
        ["AT"] = 20,
        ["BE"] = 16,
        ["BG"] = 22,
        ["CH"] = 21,
        ["CY"] = 28,
        ["CZ"] = 24,
        ["DE"] = 22,
        ["DK"] = 18,
        ["EE"] = 20,
        ["ES"] = 24,
        ["FI"] = 18,
        ["FR"] = 27,
        ["GB"] = 22,
        ["GI"] = 23,
        ["GR"] = 27,
        ["HR"] = 21,
        ["HU"] = 28,
        ["IE"] = 22,
        ["IS"] = 26,
        ["IT"] = 27,
        ["LI"] = 21,
        ["LT"] = 20,
        ["LU"] = 20,
        ["LV"] = 21,
        ["MC"] = 27,
        ["MT"] = 31,
        ["NL"] = 18,
        ["NO"] = 15,
        ["PL"] = 28,
        ["PT"] = 25,
        ["RO"] = 24,
        ["SE"] = 24,
        ["SI"] = 19,
        ["SK"] = 24,
        ["SM"] = 27,
        ["VA"] = 22,
    };

    private Iban(string value) => Value = value;

    /// <summary>Electronic form: upper case, no spaces, e.g. <c>ES9121000418450200051332</c>.</summary>
    public string Value { get; }

    public string Country => Value[..2];

    /// <summary>Masked for lists: country, check digits and the last four characters.</summary>
    public string Masked => $"{Value[..4]}{new string('*', Value.Length - 8)}{Value[^4..]}";

    /// <summary>Grouped by four for display, as printed on statements.</summary>
    public string Formatted => string.Join(' ', Value.Chunk(4).Select(c => new string(c)));

    public static bool TryParse(string? input, out Iban? iban, out string error)
    {
        iban = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "IBAN is required.";
            return false;
        }

        var value = new string(input.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        if (value.Length < 5 || !value.All(char.IsAsciiLetterOrDigit))
        {
            error = "IBAN must contain only letters and digits.";
            return false;
        }

        if (!Lengths.TryGetValue(value[..2], out var length))
        {
            error = $"IBAN country '{value[..2]}' is not supported.";
            return false;
        }

        if (value.Length != length)
        {
            error = $"An IBAN from {value[..2]} has {length} characters; this one has {value.Length}.";
            return false;
        }

        if (!char.IsAsciiDigit(value[2]) || !char.IsAsciiDigit(value[3]) || Mod97(value) != 1)
        {
            error = "IBAN check digits are wrong (mod-97 check failed): please check for a typo.";
            return false;
        }

        iban = new Iban(value);
        error = string.Empty;
        return true;
    }

    public static Iban Parse(string input, string field = "iban") =>
        TryParse(input, out var iban, out var error)
            ? iban!
            : throw new BusinessRuleException("invalid_iban", error, field);

    /// <summary>Builds a valid IBAN from a country and a national account number by computing the check
    /// digits.</summary>
    public static Iban FromBban(string country, string bban)
    {
        var check = 98 - Mod97(country + "00" + bban);
        return Parse($"{country}{check:00}{bban}");
    }

    private static int Mod97(string value)
    {
        // Move the first four characters to the end and read letters as 10..35, digit by digit to stay small.
        var rearranged = value[4..] + value[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var digits = char.IsAsciiDigit(c) ? (c - '0').ToString() : (c - 'A' + 10).ToString();
            foreach (var d in digits)
            {
                remainder = (remainder * 10 + (d - '0')) % 97;
            }
        }

        return remainder;
    }

    public override string ToString() => Value;
}
