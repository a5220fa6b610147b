using Truust.Domain.Orders;

namespace Truust.Domain.Platforms;

/// <summary>
/// A business that integrates Truust (a marketplace, a sharing-economy app, a crowdfunding portal). Every
/// object belongs to exactly one platform, and a platform never sees another's.
/// </summary>
public sealed class Platform : IHasId
{
    private Platform()
    {
        Id = Name = string.Empty;
    }

    public Platform(string name, DateTimeOffset now)
    {
        Id = Ids.New("plt");
        Name = name;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>Default fee as basis points of the order amount (250 = 2.5 %).</summary>
    public long FeePercentBp { get; private set; }

    /// <summary>Default fixed fee in minor units of the order's currency.</summary>
    public long FeeFixedMinor { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int InspectionHours { get; private set; } = ReleasePolicy.Default.InspectionHours;

    public bool AutoValidate { get; private set; } = ReleasePolicy.Default.AutoValidate;

    public int SellerResponseHours { get; private set; } = ReleasePolicy.Default.SellerResponseHours;

    public int BuyerResponseHours { get; private set; } = ReleasePolicy.Default.BuyerResponseHours;

    public SilenceWinner SilenceWinner { get; private set; } = ReleasePolicy.Default.SilenceWinner;

    /// <summary>The release policy new orders take unless they name their own.</summary>
    public ReleasePolicy ReleasePolicy =>
        new(InspectionHours, AutoValidate, SellerResponseHours, BuyerResponseHours, SilenceWinner);

    public void SetReleasePolicy(ReleasePolicy policy)
    {
        InspectionHours = policy.InspectionHours;
        AutoValidate = policy.AutoValidate;
        SellerResponseHours = policy.SellerResponseHours;
        BuyerResponseHours = policy.BuyerResponseHours;
        SilenceWinner = policy.SilenceWinner;
    }

    public void SetFees(long percentBp, long fixedMinor)
    {
        if (percentBp is < 0 or > 10_000)
        {
            throw new BusinessRuleException(
                "invalid_fee",
                "fee_percent_bp must be between 0 and 10000.",
                "fee_percent_bp"
            );
        }

        if (fixedMinor is < 0 or > Money.MaxAmountMinor)
        {
            throw new BusinessRuleException(
                "invalid_fee",
                "fee_fixed must be between 0 and the maximum amount.",
                "fee_fixed"
            );
        }

        FeePercentBp = percentBp;
        FeeFixedMinor = fixedMinor;
    }

    /// <summary>
    /// The platform's default fee on <paramref name="amountMinor"/>: the higher of the percentage and the fixed
    /// fee (as Truust charges), never more than the amount itself.
    /// </summary>
    public long DefaultFeeMinor(long amountMinor) =>
        Math.Min(amountMinor, Math.Max(Allocation.Percent(amountMinor, FeePercentBp), FeeFixedMinor));
}
