namespace Truust.Domain.Orders;

/// <summary>
/// Part of an order paid at release to another wallet (a co-seller, an agent, the platform's partner). The amount
/// is fixed when the order is created, so the parts are known and add up before any money moves.
/// </summary>
public sealed class OrderSplit : IHasId
{
    private OrderSplit()
    {
        Id = OrderId = WalletId = string.Empty;
    }

    public OrderSplit(string orderId, string walletId, long amountMinor, long? percentBp)
    {
        Id = Ids.New("spl");
        OrderId = orderId;
        WalletId = walletId;
        AmountMinor = amountMinor;
        PercentBp = percentBp;
    }

    public string Id { get; private set; }

    public string OrderId { get; private set; }

    public string WalletId { get; private set; }

    public long AmountMinor { get; private set; }

    /// <summary>The percentage it was asked as, in basis points, when it was.</summary>
    public long? PercentBp { get; private set; }
}

/// <summary>Fee and split arithmetic: every part is a whole number of minor units and the parts add up.</summary>
public static class Splits
{
    /// <summary>
    /// Resolves requested splits (fixed amounts or basis points of <paramref name="amountMinor"/>) into amounts.
    /// Percent splits are allocated together with the rest of the order by largest remainder, so rounding never
    /// creates or loses a cent. Throws when fee plus splits exceed the amount.
    /// </summary>
    public static long[] Resolve(
        long amountMinor,
        long feeMinor,
        IReadOnlyList<(long? Amount, long? PercentBp)> requested
    )
    {
        var result = new long[requested.Count];
        var percentIndexes = Enumerable
            .Range(0, requested.Count)
            .Where(i => requested[i].PercentBp is not null)
            .ToList();
        var percentTotal = percentIndexes.Sum(i => requested[i].PercentBp!.Value);
        if (percentTotal > 10_000)
        {
            throw new BusinessRuleException(
                "splits_exceed_amount",
                "Split percentages add up to more than 100 %.",
                "splits"
            );
        }

        if (percentIndexes.Count > 0)
        {
            var weights = percentIndexes
                .Select(i => requested[i].PercentBp!.Value)
                .Append(10_000 - percentTotal)
                .ToList();
            var parts = Allocation.LargestRemainder(amountMinor, weights);
            for (var k = 0; k < percentIndexes.Count; k++)
            {
                result[percentIndexes[k]] = parts[k];
            }
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (requested[i].Amount is { } fixedAmount)
            {
                result[i] = fixedAmount;
            }

            if (result[i] <= 0)
            {
                throw new BusinessRuleException(
                    "invalid_split",
                    $"Split {i} comes to zero minor units.",
                    $"splits[{i}]"
                );
            }
        }

        var total = checked(result.Sum() + feeMinor);
        if (total > amountMinor)
        {
            throw new BusinessRuleException(
                "splits_exceed_amount",
                $"Fee ({feeMinor}) and splits ({result.Sum()}) add up to more than the amount ({amountMinor}).",
                "splits"
            );
        }

        return result;
    }
}
