namespace Truust.Domain.Campaigns;

/// <summary>One monthly instalment of a loan: principal and interest due, and what was paid of each.</summary>
public sealed class Instalment : IHasId
{
    private Instalment()
    {
        Id = CampaignId = string.Empty;
    }

    public Instalment(string campaignId, int number, DateTimeOffset dueAt, long principalMinor, long interestMinor)
    {
        Id = Ids.New("ins");
        CampaignId = campaignId;
        Number = number;
        DueAt = dueAt;
        PrincipalMinor = principalMinor;
        InterestMinor = interestMinor;
    }

    public string Id { get; private set; }

    public string CampaignId { get; private set; }

    public int Number { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public long PrincipalMinor { get; private set; }

    public long InterestMinor { get; private set; }

    public long PaidPrincipalMinor { get; private set; }

    public long PaidInterestMinor { get; private set; }

    public long DueMinor => PrincipalMinor + InterestMinor - PaidPrincipalMinor - PaidInterestMinor;

    public bool IsPaid => DueMinor == 0;

    /// <summary>Applies up to <paramref name="availableMinor"/>: interest first, then principal. Returns what it
    /// took.</summary>
    public (long Principal, long Interest) Pay(long availableMinor)
    {
        var interest = Math.Min(availableMinor, InterestMinor - PaidInterestMinor);
        var principal = Math.Min(availableMinor - interest, PrincipalMinor - PaidPrincipalMinor);
        PaidInterestMinor += interest;
        PaidPrincipalMinor += principal;
        return (principal, interest);
    }
}

/// <summary>Loan arithmetic in whole minor units.</summary>
public static class LoanSchedule
{
    /// <summary>
    /// Equal principal each month (split by largest remainder, so the parts add up to the principal exactly) and
    /// interest on the balance still outstanding that month: annual basis points / 12, rounded half up.
    /// </summary>
    public static IReadOnlyList<(long Principal, long Interest)> Build(
        long principalMinor,
        long annualInterestBp,
        int months
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var principals = Allocation.LargestRemainder(principalMinor, Enumerable.Repeat(1L, months).ToList());
        var outstanding = principalMinor;
        var result = new List<(long, long)>(months);
        foreach (var principal in principals)
        {
            var interest = (long)(((Int128)outstanding * annualInterestBp + 60_000) / 120_000);
            result.Add((principal, interest));
            outstanding -= principal;
        }

        return result;
    }

    /// <summary>
    /// Splits a repayment's principal and interest among lenders pro rata to <paramref name="contributions"/> (what
    /// each is still owed; largest remainder for each part), so every share is whole minor units and the shares add
    /// up to the repayment. Weighting by what is still owed makes the last repayment return each lender's principal
    /// exactly: rounding never leaves one lender a cent up and another a cent down.
    /// </summary>
    public static IReadOnlyList<(long Principal, long Interest)> Distribute(
        long principalMinor,
        long interestMinor,
        IReadOnlyList<long> contributions
    )
    {
        var principals = Allocation.LargestRemainder(principalMinor, contributions);
        var interests = Allocation.LargestRemainder(interestMinor, contributions);
        return principals.Zip(interests).ToList();
    }
}

/// <summary>A borrower's payment, distributed to the lenders (the ledger holds each lender's share).</summary>
public sealed class Repayment : IHasId
{
    private Repayment()
    {
        Id = CampaignId = string.Empty;
    }

    public Repayment(string campaignId, long principalMinor, long interestMinor, DateTimeOffset now)
    {
        Id = Ids.New("rep");
        CampaignId = campaignId;
        PrincipalMinor = principalMinor;
        InterestMinor = interestMinor;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string CampaignId { get; private set; }

    public long PrincipalMinor { get; private set; }

    public long InterestMinor { get; private set; }

    public long AmountMinor => PrincipalMinor + InterestMinor;

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>One lender's part of one repayment, so each lender's outstanding principal is known exactly.</summary>
public sealed class RepaymentShare : IHasId
{
    private RepaymentShare()
    {
        Id = RepaymentId = CampaignId = LenderId = string.Empty;
    }

    public RepaymentShare(
        string repaymentId,
        string campaignId,
        string lenderId,
        long principalMinor,
        long interestMinor
    )
    {
        Id = Ids.New("rsh");
        RepaymentId = repaymentId;
        CampaignId = campaignId;
        LenderId = lenderId;
        PrincipalMinor = principalMinor;
        InterestMinor = interestMinor;
    }

    public string Id { get; private set; }

    public string RepaymentId { get; private set; }

    public string CampaignId { get; private set; }

    public string LenderId { get; private set; }

    public long PrincipalMinor { get; private set; }

    public long InterestMinor { get; private set; }
}
