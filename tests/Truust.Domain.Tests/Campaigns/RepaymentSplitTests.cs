using Truust.Domain.Campaigns;

namespace Truust.Domain.Tests.Campaigns;

/// <summary>
/// A repayment applied to the schedule and shared among the lenders: by what each is still owed, every cent
/// accounted for, and each lender's principal returned exactly by the time the loan is repaid.
/// </summary>
public sealed class RepaymentSplitTests
{
    [Fact]
    public void A_repayment_pays_the_unpaid_instalments_in_order_each_interest_first()
    {
        var now = DateTimeOffset.UnixEpoch;
        var first = new Instalment("cmp_1", 1, now, 3_334, 83);
        var second = new Instalment("cmp_1", 2, now, 3_333, 56);
        var third = new Instalment("cmp_1", 3, now, 3_333, 28);

        Assert.Equal((3_334L, 83L), RepaymentSplit.PayInstalments([first, second, third], 3_417));
        // 500 more: the second instalment's interest first, then 444 of its principal; the third is untouched.
        Assert.Equal((444L, 56L), RepaymentSplit.PayInstalments([first, second, third], 500));
        Assert.True(first.IsPaid);
        Assert.Equal(2_889, second.DueMinor);
        Assert.Equal(3_361, third.DueMinor);
    }

    [Fact]
    public void A_repayment_is_shared_pro_rata_to_what_each_lender_is_still_owed()
    {
        // 4,700 / 3,100 / 2,200 lent; the first lender already has 1,000 of principal back, so is owed 3,700 of 9,000.
        // Principal: 1,233.3 / 1,033.3 / 733.3, the cent left over goes to the first of the equal remainders.
        // Interest: exactly 37 / 31 / 22.
        var parts = RepaymentSplit.Share(
            3_000,
            90,
            [new Lender("cus_a", 4_700, 1_000), new Lender("cus_b", 3_100, 0), new Lender("cus_c", 2_200, 0)]
        );

        Assert.Equal(
            [new LenderPart("cus_a", 1_234, 37), new LenderPart("cus_b", 1_033, 31), new LenderPart("cus_c", 733, 22)],
            parts
        );
        Assert.Equal(3_090, parts.Sum(p => p.TotalMinor));
    }

    [Fact]
    public void Once_every_principal_is_back_the_interest_left_is_shared_pro_rata_to_what_each_lent()
    {
        var parts = RepaymentSplit.Share(
            0,
            100,
            [new Lender("cus_a", 3_000, 3_000), new Lender("cus_b", 1_000, 1_000)]
        );

        Assert.Equal([new LenderPart("cus_a", 0, 75), new LenderPart("cus_b", 0, 25)], parts);
    }

    [Fact]
    public void Repaying_a_whole_schedule_returns_each_lender_exactly_what_they_lent()
    {
        var random = new Random(11);
        for (var round = 0; round < 500; round++)
        {
            var lent = Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.NextInt64(1, 1_000_000)).ToList();
            var months = random.Next(1, 25);
            var now = DateTimeOffset.UnixEpoch;
            var instalments = LoanSchedule
                .Build(lent.Sum(), random.Next(0, 2_000), months)
                .Select((s, i) => new Instalment("cmp_1", i + 1, now, s.Principal, s.Interest))
                .ToList();
            var received = new long[lent.Count];
            while (instalments.Any(i => !i.IsPaid))
            {
                var amount = Math.Min(random.NextInt64(1, lent.Sum()), instalments.Sum(i => i.DueMinor));
                var (principal, interest) = RepaymentSplit.PayInstalments(instalments, amount);
                Assert.Equal(amount, principal + interest);
                var lenders = lent.Select((l, k) => new Lender($"cus_{k}", l, received[k])).ToList();
                var parts = RepaymentSplit.Share(principal, interest, lenders);
                Assert.Equal(principal, parts.Sum(p => p.PrincipalMinor));
                Assert.Equal(interest, parts.Sum(p => p.InterestMinor));
                for (var k = 0; k < lent.Count; k++)
                {
                    received[k] += parts[k].PrincipalMinor;
                }
            }

            Assert.Equal(lent, received);
        }
    }
}
