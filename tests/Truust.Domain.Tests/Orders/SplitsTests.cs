using Truust.Domain.Orders;
using Truust.Domain.Platforms;

namespace Truust.Domain.Tests.Orders;

/// <summary>
/// Split arithmetic: an order's amount is divided into the platform fee, the splits (fixed amounts or basis points)
/// and the seller's rest. Whatever the inputs, the parts are whole minor units that add up to the amount exactly.
/// </summary>
public sealed class SplitsTests
{
    private const int Cases = 20_000;

    [Fact]
    public void Fixed_and_percent_splits_resolve_to_their_amounts()
    {
        var parts = Splits.Resolve(10_000, 300, [(1_000, null), (null, 1_250)]);

        Assert.Equal([1_000L, 1_250L], parts);
    }

    [Fact]
    public void Percent_splits_share_the_rounding_by_largest_remainder()
    {
        // Exact shares are 3333.33 each; the cent that is left over goes to the first largest remainder.
        Assert.Equal(
            [3_334L, 3_333L, 3_333L],
            Splits.Resolve(10_001, 0, [(null, 3_333), (null, 3_333), (null, 3_333)])
        );
        // Thirds of 100 % of 100 cents: 33.33 each, the leftover cent to the first.
        Assert.Equal([34L, 33L, 33L], Splits.Resolve(100, 0, [(null, 3_334), (null, 3_333), (null, 3_333)]));
        // 0.5 % of 101 is 0.505: the order's rest (99.5 %) has the smaller remainder, so the split gets the cent.
        Assert.Equal([1L], Splits.Resolve(101, 0, [(null, 50)]));
    }

    [Fact]
    public void Splits_may_take_everything_the_fee_leaves_and_not_one_cent_more()
    {
        Assert.Equal([9_700L], Splits.Resolve(10_000, 300, [(9_700, null)]));

        var over = Assert.Throws<BusinessRuleException>(() => Splits.Resolve(10_000, 300, [(9_701, null)]));
        Assert.Equal(("splits_exceed_amount", "splits"), (over.Code, over.Field));
        var mixed = Assert.Throws<BusinessRuleException>(() =>
            Splits.Resolve(10_000, 300, [(5_000, null), (null, 4_701)])
        );
        Assert.Equal("splits_exceed_amount", mixed.Code);
    }

    [Fact]
    public void Percentages_above_one_hundred_percent_in_total_are_refused()
    {
        var error = Assert.Throws<BusinessRuleException>(() =>
            Splits.Resolve(10_000, 0, [(null, 6_000), (null, 4_001)])
        );

        Assert.Equal("splits_exceed_amount", error.Code);
        Assert.Equal([6_000L, 4_000L], Splits.Resolve(10_000, 0, [(null, 6_000), (null, 4_000)]));
    }

    [Fact]
    public void A_percent_split_that_rounds_to_nothing_is_refused_naming_it()
    {
        // 1 bp of 1 cent is 0.0001 cent: no whole minor unit, so the split would move nothing.
        var error = Assert.Throws<BusinessRuleException>(() => Splits.Resolve(100, 0, [(10, null), (null, 1)]));

        Assert.Equal(("invalid_split", "splits[1]"), (error.Code, error.Field));
    }

    [Fact]
    public void No_splits_resolve_to_no_parts()
    {
        Assert.Empty(Splits.Resolve(10_000, 10_000, []));
    }

    [Fact]
    public void Fee_splits_and_the_sellers_rest_always_add_up_to_the_order_amount()
    {
        var random = new Random(5);
        var resolved = 0;
        for (var i = 0; i < Cases; i++)
        {
            var amount = RandomAmount(random);
            var platform = RandomPlatform(random);
            var fee = platform.DefaultFeeMinor(amount);
            var requested = RandomSplits(random, amount);

            long[] parts;
            try
            {
                parts = Splits.Resolve(amount, fee, requested);
            }
            catch (BusinessRuleException e)
            {
                // Refused only for a reason that is really there.
                Assert.True(e.Code is "splits_exceed_amount" or "invalid_split", e.Code);
                Assert.True(
                    e.Code != "splits_exceed_amount" || ExactTotalExceeds(amount, fee, requested),
                    $"Refused {amount} (fee {fee}) with splits that fit: {Describe(requested)}"
                );
                continue;
            }

            resolved++;
            var rest = amount - fee - parts.Sum();
            Assert.True(fee >= 0 && fee <= amount, $"fee {fee} of {amount}");
            Assert.True(rest >= 0, $"{amount}: fee {fee} + splits {parts.Sum()} exceed it ({Describe(requested)})");
            Assert.All(parts, p => Assert.True(p > 0));
            Assert.Equal(amount, fee + parts.Sum() + rest);
            for (var k = 0; k < parts.Length; k++)
            {
                if (requested[k].Amount is { } fixedAmount)
                {
                    Assert.Equal(fixedAmount, parts[k]);
                }
                else
                {
                    AssertWithinOneUnitOfExactShare(amount, requested[k].PercentBp!.Value, parts[k]);
                }
            }
        }

        // The generator must exercise the happy path, not only refusals.
        Assert.True(resolved > Cases / 3, $"only {resolved} of {Cases} cases resolved");
    }

    [Fact]
    public void Percent_splits_and_the_orders_rest_add_up_to_the_amount_for_every_amount_and_rate()
    {
        var random = new Random(7);
        for (var i = 0; i < Cases; i++)
        {
            var amount = RandomAmount(random);
            var count = random.Next(1, 8);
            var budget = 10_000L;
            var requested = new List<(long? Amount, long? PercentBp)>();
            for (var k = 0; k < count && budget > 0; k++)
            {
                var bp = random.NextInt64(1, budget + 1);
                budget -= bp;
                requested.Add((null, bp));
            }

            long[] parts;
            try
            {
                parts = Splits.Resolve(amount, 0, requested);
            }
            catch (BusinessRuleException e) when (e.Code == "invalid_split")
            {
                // Only a split whose exact share is below one unit can round to nothing.
                var index = int.Parse(e.Field!["splits[".Length..^1]);
                Assert.True(
                    (Int128)amount * requested[index].PercentBp!.Value < 10_000,
                    $"{requested[index].PercentBp} bp of {amount} rounded to nothing"
                );
                continue;
            }

            var exactRest = (Int128)amount * budget;
            var rest = amount - parts.Sum();
            Assert.True(rest >= 0);
            // The rest is the largest-remainder share of the unclaimed percentage: within one unit of exact.
            Assert.True(
                Int128.Abs((Int128)rest * 10_000 - exactRest) < 10_000,
                $"rest {rest} of {amount} for {budget} bp"
            );
            for (var k = 0; k < parts.Length; k++)
            {
                AssertWithinOneUnitOfExactShare(amount, requested[k].PercentBp!.Value, parts[k]);
            }

            if (budget == 0)
            {
                Assert.Equal(amount, parts.Sum());
            }
        }
    }

    [Fact]
    public void Resolving_the_same_splits_twice_gives_the_same_parts()
    {
        var random = new Random(11);
        for (var i = 0; i < 1_000; i++)
        {
            var amount = RandomAmount(random);
            var requested = RandomSplits(random, amount);
            try
            {
                Assert.Equal(Splits.Resolve(amount, 0, requested), Splits.Resolve(amount, 0, requested));
            }
            catch (BusinessRuleException)
            {
                // Refusals are covered above; determinism is about resolved parts.
            }
        }
    }

    private static void AssertWithinOneUnitOfExactShare(long amount, long bp, long part)
    {
        var exact = (Int128)amount * bp;
        Assert.True(Int128.Abs((Int128)part * 10_000 - exact) < 10_000, $"{bp} bp of {amount} resolved to {part}");
    }

    private static bool ExactTotalExceeds(
        long amount,
        long fee,
        IReadOnlyList<(long? Amount, long? PercentBp)> requested
    )
    {
        var percent = requested.Sum(r => r.PercentBp ?? 0);
        if (percent > 10_000)
        {
            return true;
        }

        // Rounding may move each percent split by under one unit, so only call it "fits" with that margin.
        var fixedTotal = requested.Sum(r => r.Amount ?? 0);
        var percentExact = (Int128)amount * percent;
        var percentCount = requested.Count(r => r.PercentBp is not null);
        return ((Int128)(fee + fixedTotal) * 10_000) + percentExact > (Int128)amount * 10_000 - (percentCount * 10_000);
    }

    private static long RandomAmount(Random random) =>
        random.Next(4) switch
        {
            0 => random.NextInt64(1, 100),
            1 => random.NextInt64(100, 100_000),
            2 => random.NextInt64(100_000, 10_000_000_000),
            _ => random.NextInt64(Money.MaxAmountMinor - 1_000, Money.MaxAmountMinor + 1),
        };

    private static Platform RandomPlatform(Random random)
    {
        var platform = new Platform("Test", DateTimeOffset.UnixEpoch);
        platform.SetFees(
            random.Next(3) == 0 ? 0 : random.NextInt64(0, 2_001),
            random.Next(3) == 0 ? 0 : random.NextInt64(0, 1_000)
        );
        return platform;
    }

    private static List<(long? Amount, long? PercentBp)> RandomSplits(Random random, long amount)
    {
        var splits = new List<(long? Amount, long? PercentBp)>();
        for (var k = random.Next(0, 6); k > 0; k--)
        {
            splits.Add(
                random.Next(2) == 0
                    ? (random.NextInt64(1, Math.Max(2, amount / 3)), null)
                    : (null, random.NextInt64(1, 4_000))
            );
        }

        return splits;
    }

    private static string Describe(IEnumerable<(long? Amount, long? PercentBp)> requested) =>
        string.Join(", ", requested.Select(r => r.Amount is { } a ? $"{a}" : $"{r.PercentBp} bp"));
}
