using System.Numerics;
using Truust.Domain.Campaigns;

namespace Truust.Domain.Tests.Campaigns;

/// <summary>
/// Loan arithmetic. Hand-worked examples pin the exact numbers; property loops over seeded random inputs check what
/// must hold for every input: no cent created or lost, interest on the balance still outstanding, and each lender's
/// share within one minor unit of their exact pro-rata share.
/// </summary>
public sealed class LoanScheduleTests
{
    private const int Rounds = 2_000;

    [Fact]
    public void A_10000_loan_at_10_percent_over_3_months_has_equal_principal_and_interest_on_the_outstanding_balance()
    {
        // Principal 10,000 / 3 = 3,333.33: the extra cent goes to the first month. Interest is 10 %/12 a month on
        // 10,000 (83.33 → 83), then 6,666 (55.55 → 56), then 3,333 (27.775 → 28).
        var schedule = LoanSchedule.Build(10_000, 1_000, 3);

        Assert.Equal([(3_334L, 83L), (3_333L, 56L), (3_333L, 28L)], schedule);
    }

    [Fact]
    public void A_one_month_loan_is_repaid_at_once_with_one_month_of_interest_and_zero_interest_means_none()
    {
        Assert.Equal([(120_000L, 1_000L)], LoanSchedule.Build(120_000, 1_000, 1));
        Assert.All(LoanSchedule.Build(99_999, 0, 12), p => Assert.Equal(0, p.Interest));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_schedule_needs_at_least_one_month(int months)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoanSchedule.Build(10_000, 500, months));
    }

    [Fact]
    public void Principal_parts_always_add_up_to_the_principal_and_interest_is_on_what_is_still_outstanding()
    {
        var random = new Random(7);
        for (var round = 0; round < Rounds; round++)
        {
            var principal = round % 10 == 0 ? random.Next(1, 400) : random.NextInt64(1, 1_000_000_000_000);
            var bp = random.Next(0, 10_001);
            var months = random.Next(1, 361);
            var context = $"Build({principal}, {bp}, {months})";

            var schedule = LoanSchedule.Build(principal, bp, months);

            Assert.True(schedule.Count == months, context);
            Assert.True(schedule.Sum(s => s.Principal) == principal, context);
            var outstanding = principal;
            var month = 0;
            foreach (var (part, interest) in schedule)
            {
                month++;
                // Equal parts: each within one minor unit of principal / months, never negative.
                Assert.True(part >= principal / months && part <= principal / months + 1, $"{context}: month {month}");
                // 1 bp a year is 1/120,000 a month; rounded half up, computed here in decimal.
                var exact = (decimal)outstanding * bp / 120_000m;
                Assert.True(
                    interest == (long)Math.Round(exact, MidpointRounding.AwayFromZero),
                    $"{context}: month {month} interest {interest}, exact {exact}"
                );
                outstanding -= part;
            }

            Assert.True(outstanding == 0, context);
        }
    }

    [Fact]
    public void A_repayment_is_shared_by_hand_worked_largest_remainders()
    {
        // Lent 4,700 / 3,100 / 2,200 of 10,000. Principal 3,334: exact 1,566.98 / 1,033.54 / 733.48, floors leave
        // 2 cents for the two largest remainders (.98 and .54). Interest 83: 39.01 / 25.73 / 18.26, one cent to .73.
        Assert.Equal(
            [(1_567L, 39L), (1_034L, 26L), (733L, 18L)],
            LoanSchedule.Distribute(3_334, 83, [4_700, 3_100, 2_200])
        );
        // Principal 1,944: remainders .68 / .64 / .68, two cents to the two .68s. Interest 56: .32 / .36 / .32.
        Assert.Equal(
            [(914L, 26L), (602L, 18L), (428L, 12L)],
            LoanSchedule.Distribute(1_944, 56, [4_700, 3_100, 2_200])
        );
    }

    [Fact]
    public void A_single_lender_gets_the_whole_repayment_and_a_zero_repayment_gives_nobody_anything()
    {
        Assert.Equal([(3_333L, 28L)], LoanSchedule.Distribute(3_333, 28, [10_000]));
        Assert.Equal([(0L, 0L), (0L, 0L)], LoanSchedule.Distribute(0, 0, [1, 99]));
    }

    [Fact]
    public void Shares_always_add_up_to_the_whole_and_each_is_within_one_minor_unit_of_its_pro_rata_share()
    {
        var random = new Random(11);
        for (var round = 0; round < Rounds; round++)
        {
            var lenders = round % 5 == 0 ? random.Next(1, 4) : random.Next(1, 200);
            var contributions = Enumerable
                .Range(0, lenders)
                .Select(_ => round % 7 == 0 ? random.Next(1, 4) : random.NextInt64(1, 100_000_000))
                .ToList();
            var principal = random.NextInt64(0, 10_000_000_000);
            var interest = round % 3 == 0 ? random.Next(0, lenders + 2) : random.NextInt64(0, 1_000_000_000);
            var context = $"round {round}: Distribute({principal}, {interest}, [{string.Join(", ", contributions)}])";

            var shares = LoanSchedule.Distribute(principal, interest, contributions);

            Assert.True(shares.Count == lenders, context);
            Assert.True(shares.Sum(s => s.Principal) == principal, context);
            Assert.True(shares.Sum(s => s.Interest) == interest, context);
            AssertProRata(principal, contributions, shares.Select(s => s.Principal).ToList(), context + " principal");
            AssertProRata(interest, contributions, shares.Select(s => s.Interest).ToList(), context + " interest");
        }
    }

    [Fact]
    public void Lending_more_never_earns_a_smaller_share_and_equal_lenders_differ_by_at_most_one_minor_unit()
    {
        var random = new Random(13);
        for (var round = 0; round < Rounds; round++)
        {
            var contributions = Enumerable
                .Range(0, random.Next(2, 30))
                .Select(_ => (long)random.Next(1, 20) * 250)
                .ToList();
            var principal = random.NextInt64(0, 1_000_000);
            var interest = random.NextInt64(0, 10_000);

            var shares = LoanSchedule.Distribute(principal, interest, contributions);

            for (var i = 0; i < contributions.Count; i++)
            {
                for (var j = 0; j < contributions.Count; j++)
                {
                    if (contributions[i] < contributions[j])
                    {
                        continue;
                    }

                    // Equal lenders may differ by the one cent the tie-break gives; a larger lender never gets less.
                    var slack = contributions[i] == contributions[j] ? 1 : 0;
                    Assert.True(
                        shares[i].Principal >= shares[j].Principal - slack,
                        $"round {round}: lender {i} lent {contributions[i]} and got {shares[i].Principal}, "
                            + $"lender {j} lent {contributions[j]} and got {shares[j].Principal}"
                    );
                    Assert.True(
                        shares[i].Interest >= shares[j].Interest - slack,
                        $"round {round}: interest of lenders {i} and {j}"
                    );
                }
            }
        }
    }

    [Fact]
    public void Instalments_are_paid_interest_first_and_never_beyond_what_is_due()
    {
        var instalment = new Instalment("cmp_1", 1, DateTimeOffset.UnixEpoch, 3_333, 56);

        Assert.Equal((0L, 40L), instalment.Pay(40));
        Assert.Equal((1_000L, 16L), instalment.Pay(1_016));
        Assert.Equal(2_333, instalment.DueMinor);
        Assert.False(instalment.IsPaid);
        // Offered more than is due, it takes only what is due.
        Assert.Equal((2_333L, 0L), instalment.Pay(5_000));
        Assert.True(instalment.IsPaid);
        Assert.Equal((0L, 0L), instalment.Pay(100));
        Assert.Equal((3_333L, 56L), (instalment.PaidPrincipalMinor, instalment.PaidInterestMinor));
    }

    /// <summary>Each part is the floor or the ceiling of total × weight / Σweights (BigInteger: no overflow).
    /// </summary>
    private static void AssertProRata(
        long total,
        IReadOnlyList<long> weights,
        IReadOnlyList<long> parts,
        string context
    )
    {
        var weightSum = weights.Aggregate(BigInteger.Zero, (sum, w) => sum + w);
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (BigInteger)total * weights[i];
            var floor = BigInteger.Divide(exact, weightSum);
            var ceiling = exact % weightSum == 0 ? floor : floor + 1;
            Assert.True(
                parts[i] >= floor && parts[i] <= ceiling,
                $"{context}: lender {i} got {parts[i]}, exact share is {exact}/{weightSum}"
            );
        }
    }
}
