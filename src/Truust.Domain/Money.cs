namespace Truust.Domain;

/// <summary>
/// An amount of money: a whole number of minor units (cents) in one currency. Arithmetic is checked, never
/// mixes currencies, and never produces a fraction of a minor unit; splits return every unit they are given.
/// </summary>
public readonly record struct Money
{
    /// <summary>
    /// The largest amount Truust accepts in one object: 10^12 minor units (10 billion EUR). Far above any real
    /// escrow, and far enough below <see cref="long.MaxValue"/> that a million of them still sum without overflow.
    /// </summary>
    public const long MaxAmountMinor = 1_000_000_000_000;

    public Money(long amountMinor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (amountMinor < 0)
        {
            throw new BusinessRuleException(
                "invalid_amount",
                $"An amount cannot be negative (got {amountMinor}).",
                "amount"
            );
        }

        AmountMinor = amountMinor;
        Currency = currency;
    }

    public long AmountMinor { get; }

    public Currency Currency { get; }

    public bool IsZero => AmountMinor == 0;

    public static Money Zero(Currency currency) => new(0, currency);

    /// <summary>A positive amount within <see cref="MaxAmountMinor"/>, as every request amount must be.</summary>
    public static Money Positive(long amountMinor, string currency, string field = "amount")
    {
        if (amountMinor <= 0 || amountMinor > MaxAmountMinor)
        {
            throw new BusinessRuleException(
                "invalid_amount",
                $"Amount must be between 1 and {MaxAmountMinor} minor units (got {amountMinor}).",
                field
            );
        }

        return new Money(amountMinor, Currency.Of(currency));
    }

    public static Money operator +(Money a, Money b)
    {
        SameCurrency(a, b);
        return new Money(checked(a.AmountMinor + b.AmountMinor), a.Currency);
    }

    /// <summary>Subtraction that refuses to go below zero: money held can never be negative.</summary>
    public static Money operator -(Money a, Money b)
    {
        SameCurrency(a, b);
        if (b.AmountMinor > a.AmountMinor)
        {
            throw new InvalidOperationException($"Cannot subtract {b} from {a}: the result would be negative.");
        }

        return new Money(a.AmountMinor - b.AmountMinor, a.Currency);
    }

    public static bool operator >(Money a, Money b) => Compare(a, b) > 0;

    public static bool operator <(Money a, Money b) => Compare(a, b) < 0;

    public static bool operator >=(Money a, Money b) => Compare(a, b) >= 0;

    public static bool operator <=(Money a, Money b) => Compare(a, b) <= 0;

    /// <summary>
    /// Splits this amount into parts proportional to <paramref name="weights"/> by the largest-remainder
    /// method: each part gets the floor of its exact share, and the units left over go one each to the parts
    /// with the largest fractional remainders (ties to the earlier part). The parts always add up to this amount.
    /// </summary>
    public IReadOnlyList<Money> Allocate(IReadOnlyList<long> weights)
    {
        var currency = Currency;
        return Allocation.LargestRemainder(AmountMinor, weights).Select(p => new Money(p, currency)).ToList();
    }

    /// <summary>Splits into <paramref name="parts"/> near-equal parts that add up to this amount exactly.</summary>
    public IReadOnlyList<Money> Split(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return Allocate(Enumerable.Repeat(1L, parts).ToList());
    }

    /// <summary>Formats for people, e.g. <c>10.50 EUR</c>. Never used for arithmetic.</summary>
    public override string ToString()
    {
        if (Currency is null)
        {
            return "0";
        }

        var scale = Pow10(Currency.Exponent);
        var major = AmountMinor / scale;
        var minor = AmountMinor % scale;
        return Currency.Exponent == 0
            ? $"{major} {Currency.Code}"
            : $"{major}.{minor.ToString().PadLeft(Currency.Exponent, '0')} {Currency.Code}";
    }

    internal static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static int Compare(Money a, Money b)
    {
        SameCurrency(a, b);
        return a.AmountMinor.CompareTo(b.AmountMinor);
    }

    private static void SameCurrency(Money a, Money b)
    {
        if (a.Currency != b.Currency)
        {
            throw new BusinessRuleException(
                "currency_mismatch",
                $"Cannot combine {a.Currency?.Code} with {b.Currency?.Code}.",
                "currency"
            );
        }
    }
}
