namespace Truust.Domain;

/// <summary>Integer arithmetic that divides whole minor units without losing or creating any.</summary>
public static class Allocation
{
    /// <summary>
    /// Divides <paramref name="total"/> pro rata to <paramref name="weights"/> (largest-remainder method).
    /// The result has one part per weight and sums to <paramref name="total"/> exactly; a zero weight gets zero.
    /// </summary>
    public static long[] LargestRemainder(long total, IReadOnlyList<long> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        if (weights.Count == 0)
        {
            throw new ArgumentException("At least one weight is needed.", nameof(weights));
        }

        if (weights.Any(w => w < 0))
        {
            throw new ArgumentException("Weights cannot be negative.", nameof(weights));
        }

        Int128 weightSum = 0;
        foreach (var w in weights)
        {
            weightSum += w;
        }

        if (weightSum == 0)
        {
            throw new ArgumentException("Weights cannot all be zero.", nameof(weights));
        }

        // Int128 keeps total * weight exact: both can be near 10^12 (and sums far more), so long would overflow.
        var parts = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        long allocated = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)total * weights[i];
            parts[i] = (long)(exact / weightSum);
            remainders[i] = exact % weightSum;
            allocated += parts[i];
        }

        var leftover = total - allocated;
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i))
        {
            if (leftover == 0)
            {
                break;
            }

            parts[i]++;
            leftover--;
        }

        return parts;
    }

    /// <summary>
    /// <paramref name="basisPoints"/> hundredths of a percent of <paramref name="amountMinor"/>, rounded half up
    /// to the nearest minor unit (1 bp = 0.01 %).
    /// </summary>
    public static long Percent(long amountMinor, long basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        var exact = (Int128)amountMinor * basisPoints;
        return (long)((exact + 5_000) / 10_000);
    }
}
