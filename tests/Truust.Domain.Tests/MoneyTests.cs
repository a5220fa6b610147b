namespace Truust.Domain.Tests;

public sealed class MoneyTests
{
    private static readonly Currency Eur = Currency.Of("EUR");
    private static readonly Currency Usd = Currency.Of("USD");

    [Fact]
    public void Adding_amounts_of_one_currency_adds_their_minor_units()
    {
        var sum = new Money(1050, Eur) + new Money(250, Eur);

        Assert.Equal(1300, sum.AmountMinor);
        Assert.Equal(Eur, sum.Currency);
    }

    [Fact]
    public void Adding_past_the_range_of_long_throws_instead_of_wrapping()
    {
        var huge = new Money(long.MaxValue, Eur);

        Assert.Throws<OverflowException>(() => huge + new Money(1, Eur));
        Assert.Equal(long.MaxValue, (huge + Money.Zero(Eur)).AmountMinor);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void A_negative_amount_cannot_exist(long amountMinor)
    {
        var error = Assert.Throws<BusinessRuleException>(() => new Money(amountMinor, Eur));

        Assert.Equal("invalid_amount", error.Code);
        Assert.Equal("amount", error.Field);
    }

    [Fact]
    public void Subtracting_more_than_there_is_throws_and_subtracting_all_of_it_is_zero()
    {
        var ten = new Money(1000, Eur);

        Assert.Throws<InvalidOperationException>(() => ten - new Money(1001, Eur));
        Assert.True((ten - new Money(1000, Eur)).IsZero);
        Assert.Equal(1, (ten - new Money(999, Eur)).AmountMinor);
    }

    [Fact]
    public void Mixing_currencies_throws_currency_mismatch()
    {
        var euros = new Money(100, Eur);
        var dollars = new Money(100, Usd);

        foreach (
            var mix in new Action[]
            {
                () => _ = euros + dollars,
                () => _ = euros - dollars,
                () => _ = euros > dollars,
                () => _ = euros < dollars,
                () => _ = euros >= dollars,
                () => _ = euros <= dollars,
            }
        )
        {
            var error = Assert.Throws<BusinessRuleException>(mix);
            Assert.Equal("currency_mismatch", error.Code);
        }
    }

    [Fact]
    public void Amounts_of_one_currency_compare_by_minor_units()
    {
        Assert.True(new Money(2, Eur) > new Money(1, Eur));
        Assert.True(new Money(1, Eur) < new Money(2, Eur));
        Assert.True(new Money(2, Eur) >= new Money(2, Eur));
        Assert.False(new Money(1, Eur) >= new Money(2, Eur));
        Assert.Equal(new Money(5, Eur), new Money(5, Eur));
        Assert.NotEqual(new Money(5, Eur), new Money(5, Usd));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Money.MaxAmountMinor + 1)]
    public void A_request_amount_outside_1_to_the_maximum_is_refused(long amountMinor)
    {
        var error = Assert.Throws<BusinessRuleException>(() => Money.Positive(amountMinor, "EUR", "price"));

        Assert.Equal("invalid_amount", error.Code);
        Assert.Equal("price", error.Field);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Money.MaxAmountMinor)]
    public void A_request_amount_within_the_bounds_is_accepted(long amountMinor)
    {
        Assert.Equal(amountMinor, Money.Positive(amountMinor, "EUR").AmountMinor);
    }

    [Fact]
    public void A_million_maximum_amounts_sum_without_overflow()
    {
        var total = Money.Zero(Eur);
        var max = new Money(Money.MaxAmountMinor, Eur);
        for (var i = 0; i < 1_000_000; i++)
        {
            total += max;
        }

        Assert.Equal(Money.MaxAmountMinor * 1_000_000, total.AmountMinor);
    }

    [Theory]
    [InlineData(1050, "EUR", "10.50 EUR")]
    [InlineData(5, "EUR", "0.05 EUR")]
    [InlineData(0, "USD", "0.00 USD")]
    [InlineData(1050, "JPY", "1050 JPY")]
    public void Money_formats_with_the_currency_exponent(long amountMinor, string currency, string expected)
    {
        Assert.Equal(expected, new Money(amountMinor, Currency.Of(currency)).ToString());
    }

    [Fact]
    public void Allocating_gives_leftover_units_to_the_largest_remainders()
    {
        // Exact shares 15.38, 30.77 and 53.85: the two units left after flooring go to the last two parts.
        var parts = new Money(100, Eur).Allocate([10, 20, 35]);

        Assert.Equal([15L, 31L, 54L], parts.Select(p => p.AmountMinor));
        Assert.All(parts, p => Assert.Equal(Eur, p.Currency));
    }

    [Fact]
    public void Allocating_gives_a_leftover_unit_to_a_small_part_when_its_remainder_is_largest()
    {
        // Exact shares 0.6, 3.7 and 1.7 (of 6 by 6, 37, 17 out of 60): the remainder of 3.7 and 1.7 tie at 0.7,
        // and the tie goes to the earlier part; 0.6 gets nothing more.
        var parts = Allocation.LargestRemainder(6, [6, 37, 17]);

        Assert.Equal([0L, 4L, 2L], parts);
    }

    [Fact]
    public void Allocating_breaks_remainder_ties_towards_the_earlier_part()
    {
        Assert.Equal([4L, 3L, 3L], Allocation.LargestRemainder(10, [1, 1, 1]));
        Assert.Equal([1L, 1L, 0L], Allocation.LargestRemainder(2, [1, 1, 1]));
    }

    [Fact]
    public void A_zero_weight_gets_nothing()
    {
        Assert.Equal([0L, 100L, 0L], Allocation.LargestRemainder(100, [0, 7, 0]));
    }

    [Fact]
    public void Allocating_with_no_weights_negative_weights_or_only_zero_weights_throws()
    {
        Assert.Throws<ArgumentException>(() => Allocation.LargestRemainder(10, []));
        Assert.Throws<ArgumentException>(() => Allocation.LargestRemainder(10, [1, -1]));
        Assert.Throws<ArgumentException>(() => Allocation.LargestRemainder(10, [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.LargestRemainder(-1, [1]));
    }

    [Fact]
    public void Allocated_parts_always_sum_to_the_whole_and_stay_within_one_unit_of_their_exact_share()
    {
        var random = new Random(20261125);
        for (var run = 0; run < 20_000; run++)
        {
            var total = run % 3 == 0 ? random.NextInt64(0, 1_000) : random.NextInt64(0, Money.MaxAmountMinor + 1);
            var count = random.Next(1, 25);
            var weights = Enumerable
                .Range(0, count)
                .Select(_ =>
                    random.Next(4) switch
                    {
                        0 => 0L,
                        1 => random.NextInt64(1, 10),
                        2 => random.NextInt64(1, 1_000_000),
                        _ => random.NextInt64(1, Money.MaxAmountMinor),
                    }
                )
                .ToList();
            if (weights.All(w => w == 0))
            {
                weights[random.Next(count)] = 1;
            }

            var parts = Allocation.LargestRemainder(total, weights);

            Int128 weightSum = weights.Aggregate((Int128)0, (s, w) => s + w);
            Assert.Equal(count, parts.Length);
            Assert.Equal(total, parts.Sum());
            for (var i = 0; i < count; i++)
            {
                var floor = (long)((Int128)total * weights[i] / weightSum);
                Assert.InRange(parts[i], floor, floor + 1);
                if (weights[i] == 0)
                {
                    Assert.Equal(0, parts[i]);
                }
            }
        }
    }

    [Fact]
    public void Splitting_gives_near_equal_parts_that_sum_to_the_whole()
    {
        var random = new Random(42);
        for (var run = 0; run < 5_000; run++)
        {
            var total = random.NextInt64(0, Money.MaxAmountMinor + 1);
            var count = random.Next(1, 50);

            var parts = new Money(total, Eur).Split(count).Select(p => p.AmountMinor).ToList();

            Assert.Equal(count, parts.Count);
            Assert.Equal(total, parts.Sum());
            Assert.True(parts.Max() - parts.Min() <= 1, $"{total} in {count}: {string.Join(",", parts)}");
            // The larger parts come first: ties of the remainder go to the earlier parts.
            Assert.Equal(parts.OrderByDescending(p => p), parts);
        }
    }

    [Fact]
    public void Splitting_into_no_parts_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Money(10, Eur).Split(0));
    }

    [Theory]
    [InlineData(1050, 250, 26)] // 26.25
    [InlineData(100, 250, 3)] // 2.5 rounds half up
    [InlineData(99, 250, 2)] // 2.475
    [InlineData(1, 5000, 1)] // 0.5 rounds half up
    [InlineData(1, 4999, 0)] // 0.4999
    [InlineData(10_000, 1, 1)] // one basis point of 100.00 is 0.01
    [InlineData(12_345, 0, 0)]
    [InlineData(12_345, 10_000, 12_345)]
    [InlineData(long.MaxValue, 10_000, long.MaxValue)] // no intermediate overflow
    public void Percent_rounds_half_up_to_the_minor_unit(long amountMinor, long basisPoints, long expected)
    {
        Assert.Equal(expected, Allocation.Percent(amountMinor, basisPoints));
    }

    [Fact]
    public void Percent_of_a_negative_amount_or_rate_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.Percent(-1, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.Percent(100, -1));
    }
}
