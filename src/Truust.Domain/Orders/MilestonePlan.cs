namespace Truust.Domain.Orders;

/// <summary>
/// How an order's amount (and its fee and splits) is divided among its milestones: integer minor units, largest
/// remainder, so the parts always sum to the whole and no cent is lost or created.
/// </summary>
public static class MilestonePlan
{
    /// <summary>At most this many milestones per order.</summary>
    public const int MaxMilestones = 50;

    /// <summary>
    /// The milestones' amounts: either every milestone names its <c>amount</c> (they must sum to
    /// <paramref name="totalMinor"/>) or every one names its <c>basis_points</c> (they must sum to 10,000, and the
    /// total is divided by largest remainder). Refused with the field at fault otherwise.
    /// </summary>
    public static long[] Amounts(long totalMinor, IReadOnlyList<(long? AmountMinor, long? BasisPoints)> parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalMinor);
        if (parts.Count == 0)
        {
            throw Invalid("milestones", "An order with milestones has at least one.");
        }

        if (parts.All(p => p.AmountMinor is not null && p.BasisPoints is null))
        {
            Int128 sum = 0;
            foreach (var p in parts)
            {
                sum += p.AmountMinor!.Value;
            }

            return sum == totalMinor
                ? parts.Select(p => p.AmountMinor!.Value).ToArray()
                : throw Invalid(
                    "milestones",
                    $"The milestones' amounts sum to {sum}; they must sum to the order's amount, {totalMinor}."
                );
        }

        if (parts.All(p => p.BasisPoints is not null && p.AmountMinor is null))
        {
            var sum = parts.Sum(p => p.BasisPoints!.Value);
            if (sum != 10_000)
            {
                throw Invalid(
                    "milestones",
                    $"The milestones' basis_points sum to {sum}; they must sum to 10000 (100 %)."
                );
            }

            var amounts = Allocation.LargestRemainder(totalMinor, parts.Select(p => p.BasisPoints!.Value).ToList());
            var empty = Array.FindIndex(amounts, a => a == 0);
            return empty < 0
                ? amounts
                : throw Invalid(
                    $"milestones[{empty}].basis_points",
                    $"Milestone {empty + 1} would be 0 minor units of {totalMinor}: every milestone needs money."
                );
        }

        throw Invalid(
            "milestones",
            "Give every milestone an amount, or every milestone basis_points: not both, not a mix."
        );
    }

    /// <summary>
    /// Divides an order-level share (its fee, or one split) among the milestones pro rata to their amounts, by
    /// largest remainder: milestone <c>i</c>'s release pays part <c>i</c>, and the parts sum to the share.
    /// </summary>
    public static long[] ShareOf(long shareMinor, IReadOnlyList<long> milestoneAmounts) =>
        shareMinor == 0 ? new long[milestoneAmounts.Count] : Allocation.LargestRemainder(shareMinor, milestoneAmounts);

    /// <summary>
    /// What releasing milestone <paramref name="index"/> pays: its part of the fee and of each split, shrunk pro rata
    /// when part of its money went back to the buyer, the seller getting the rest.
    /// </summary>
    public static ReleaseShares ReleaseOf(
        int index,
        IReadOnlyList<long> milestoneAmounts,
        long heldMinor,
        long orderFeeMinor,
        IReadOnlyList<long> orderSplitsMinor
    ) =>
        ReleaseShares.Of(
            milestoneAmounts[index],
            heldMinor,
            ShareOf(orderFeeMinor, milestoneAmounts)[index],
            orderSplitsMinor.Select(s => ShareOf(s, milestoneAmounts)[index]).ToList()
        );

    private static BusinessRuleException Invalid(string field, string message) =>
        new("invalid_milestones", message, field);
}
