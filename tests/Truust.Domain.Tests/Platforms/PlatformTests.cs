using Truust.Domain.Platforms;

namespace Truust.Domain.Tests.Platforms;

public sealed class PlatformTests
{
    [Theory]
    [InlineData(250, 100, 10_000, 250)] // 2.5 % is more than the fixed 1.00
    [InlineData(250, 100, 1_000, 100)] // the fixed 1.00 is more than 2.5 % (0.25)
    [InlineData(250, 100, 4_000, 100)] // equal: 2.5 % of 40.00 is 1.00
    [InlineData(250, 100, 50, 50)] // never more than the amount itself
    [InlineData(10_000, 0, 777, 777)] // 100 %
    [InlineData(0, 0, 10_000, 0)]
    [InlineData(150, 0, 1_050, 16)] // 15.75 rounds half up
    public void The_default_fee_is_the_higher_of_percent_and_fixed_capped_at_the_amount(
        long percentBp,
        long fixedMinor,
        long amountMinor,
        long expected
    )
    {
        var platform = new Platform("Acme", DateTimeOffset.UnixEpoch);
        platform.SetFees(percentBp, fixedMinor);

        Assert.Equal(expected, platform.DefaultFeeMinor(amountMinor));
    }

    [Fact]
    public void A_new_platform_charges_no_fee()
    {
        var platform = new Platform("Acme", DateTimeOffset.UnixEpoch);

        Assert.Equal(0, platform.DefaultFeeMinor(1_000_000));
        Assert.StartsWith("plt_", platform.Id);
    }

    [Theory]
    [InlineData(-1, 0, "fee_percent_bp")]
    [InlineData(10_001, 0, "fee_percent_bp")]
    [InlineData(0, -1, "fee_fixed")]
    [InlineData(0, Money.MaxAmountMinor + 1, "fee_fixed")]
    public void Fees_out_of_range_are_refused_and_leave_the_old_fees(long percentBp, long fixedMinor, string field)
    {
        var platform = new Platform("Acme", DateTimeOffset.UnixEpoch);
        platform.SetFees(100, 50);

        var error = Assert.Throws<BusinessRuleException>(() => platform.SetFees(percentBp, fixedMinor));

        Assert.Equal("invalid_fee", error.Code);
        Assert.Equal(field, error.Field);
        Assert.Equal((100, 50), (platform.FeePercentBp, platform.FeeFixedMinor));
    }
}
