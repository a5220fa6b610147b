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

    /// <summary>
    /// How far the platform's sandbox clock runs ahead of real time, in seconds (0 = real time). Every timer of the
    /// platform (wire expiry, bank settlement, campaign deadlines, loan due dates) reads real time plus this offset.
    /// </summary>
    public long ClockOffsetSeconds { get; private set; }

    /// <summary>The most one advance may move the clock: a year and a day, enough for any deadline Truust keeps.
    /// </summary>
    public const long MaxClockAdvanceSeconds = 366L * 24 * 3600;

    /// <summary>The most the clock may run ahead in total (ten years), so a timestamp never leaves the calendar.
    /// </summary>
    public const long MaxClockOffsetSeconds = 10L * 366 * 24 * 3600;

    /// <summary>The platform's "now": real time plus its sandbox clock offset.</summary>
    public DateTimeOffset Now(DateTimeOffset realNow) => realNow.AddSeconds(ClockOffsetSeconds);

    /// <summary>
    /// Moves the sandbox clock forward by <paramref name="seconds"/>. Forward only: a clock that went back would
    /// let a deadline that already fired (a refunded campaign, an expired wire) lie in the future again.
    /// </summary>
    public void AdvanceClock(long seconds)
    {
        if (seconds is <= 0 or > MaxClockAdvanceSeconds)
        {
            throw new BusinessRuleException(
                "invalid_clock_advance",
                $"An advance must be between 1 second and {MaxClockAdvanceSeconds / 86400} days.",
                "seconds"
            );
        }

        if (ClockOffsetSeconds + seconds > MaxClockOffsetSeconds)
        {
            throw new BusinessRuleException(
                "clock_limit_reached",
                $"The sandbox clock may run at most {MaxClockOffsetSeconds / 86400} days ahead of real time.",
                "seconds"
            );
        }

        ClockOffsetSeconds += seconds;
    }

    /// <summary>Share of each seller's part of a release the rolling reserve keeps back, in basis points (0 = none).
    /// </summary>
    public int RollingReserveBp { get; private set; }

    /// <summary>Days the rolling reserve keeps each hold, by the platform's clock.</summary>
    public int RollingReserveDays { get; private set; }

    /// <summary>The largest share a rolling reserve may keep (half): a bank payout always pays something.</summary>
    public const int MaxRollingReserveBp = 5_000;

    /// <summary>The most days a rolling reserve may keep a hold.</summary>
    public const int MaxRollingReserveDays = 366;

    /// <summary>Sets the rolling reserve: a share of 0 turns it off (holds already taken are still freed).</summary>
    public void SetRollingReserve(int shareBp, int days)
    {
        if (shareBp is < 0 or > MaxRollingReserveBp)
        {
            throw new BusinessRuleException(
                "invalid_rolling_reserve",
                $"rolling_reserve.share_bp must be between 0 and {MaxRollingReserveBp}.",
                "rolling_reserve.share_bp"
            );
        }

        if (days is < 0 or > MaxRollingReserveDays || (shareBp > 0 && days == 0))
        {
            throw new BusinessRuleException(
                "invalid_rolling_reserve",
                $"rolling_reserve.days must be between 1 and {MaxRollingReserveDays} when a share is held.",
                "rolling_reserve.days"
            );
        }

        RollingReserveBp = shareBp;
        RollingReserveDays = days;
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
