namespace Truust.Domain.Orders;

/// <summary>What the release pays out of an order's escrow: the platform's fee, each split, the seller's
/// rest.</summary>
/// <param name="FeeMinor">To the platform's fee wallet.</param>
/// <param name="SplitsMinor">To each split's wallet, in the order's split order.</param>
/// <param name="SellerMinor">To the seller's payout.</param>
public sealed record ReleaseShares(long FeeMinor, IReadOnlyList<long> SplitsMinor, long SellerMinor)
{
    public long TotalMinor => checked(FeeMinor + SplitsMinor.Sum() + SellerMinor);

    /// <summary>
    /// Shares of <paramref name="heldMinor"/> when the order was paid <paramref name="paidMinor"/> and agreed to
    /// pay <paramref name="feeMinor"/> and <paramref name="splitsMinor"/> out of it. With nothing refunded
    /// (held = paid) the shares are exactly the agreed ones; after a partial refund (a dispute's), each share
    /// shrinks in proportion, by largest remainder, so the shares add up to what is held to the cent.
    /// </summary>
    public static ReleaseShares Of(long paidMinor, long heldMinor, long feeMinor, IReadOnlyList<long> splitsMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(paidMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(heldMinor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heldMinor, paidMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(feeMinor);
        if (splitsMinor.Any(s => s < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(splitsMinor), "A split is never negative.");
        }

        var seller = paidMinor - feeMinor - splitsMinor.Sum();
        if (seller < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(feeMinor), "The fee and splits exceed what was paid.");
        }

        if (heldMinor == paidMinor)
        {
            return new ReleaseShares(feeMinor, splitsMinor.ToList(), seller);
        }

        if (heldMinor == 0)
        {
            return new ReleaseShares(0, splitsMinor.Select(_ => 0L).ToList(), 0);
        }

        List<long> weights = [feeMinor, .. splitsMinor, seller];
        var parts = Allocation.LargestRemainder(heldMinor, weights);
        return new ReleaseShares(parts[0], parts[1..^1], parts[^1]);
    }
}
