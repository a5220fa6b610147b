namespace Truust.Domain.Campaigns;

/// <summary>What one lender lent to a loan, and how much of that principal has already come back to them.</summary>
public sealed record Lender(string LenderId, long LentMinor, long PrincipalReceivedMinor)
{
    public long OwedMinor => LentMinor - PrincipalReceivedMinor;
}

/// <summary>One lender's part of one repayment.</summary>
public sealed record LenderPart(string LenderId, long PrincipalMinor, long InterestMinor)
{
    public long TotalMinor => PrincipalMinor + InterestMinor;
}

/// <summary>How a borrower's repayment is applied to the schedule and shared among the lenders.</summary>
public static class RepaymentSplit
{
    /// <summary>
    /// Applies <paramref name="amountMinor"/> to the unpaid instalments in schedule order, each one interest first,
    /// and returns how much of it was principal and how much interest.
    /// </summary>
    public static (long Principal, long Interest) PayInstalments(
        IEnumerable<Instalment> instalmentsInOrder,
        long amountMinor
    )
    {
        long principal = 0,
            interest = 0,
            left = amountMinor;
        foreach (var instalment in instalmentsInOrder.Where(i => !i.IsPaid))
        {
            if (left == 0)
            {
                break;
            }

            var (p, i) = instalment.Pay(left);
            principal += p;
            interest += i;
            left -= p + i;
        }

        return (principal, interest);
    }

    /// <summary>
    /// Shares a repayment among <paramref name="lenders"/> (in the order given, one part each): pro rata to what each
    /// is still owed, principal and interest split separately by largest remainder, so every part is whole minor
    /// units and the parts add up to the repayment. Once every lender's principal is back only interest is left, and
    /// it is shared pro rata to what each lent.
    /// </summary>
    public static IReadOnlyList<LenderPart> Share(
        long principalMinor,
        long interestMinor,
        IReadOnlyList<Lender> lenders
    )
    {
        var weights = lenders.Select(l => l.OwedMinor).ToList();
        if (weights.All(w => w == 0))
        {
            weights = lenders.Select(l => l.LentMinor).ToList();
        }

        var split = LoanSchedule.Distribute(principalMinor, interestMinor, weights);
        return lenders.Select((l, k) => new LenderPart(l.LenderId, split[k].Principal, split[k].Interest)).ToList();
    }
}
