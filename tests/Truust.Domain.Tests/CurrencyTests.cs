namespace Truust.Domain.Tests;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("GBP", 2)]
    [InlineData("CHF", 2)]
    [InlineData("JPY", 0)]
    public void Listed_currencies_carry_their_exponent(string code, int exponent)
    {
        var currency = Currency.Of(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(exponent, currency.Exponent);
        Assert.True(Currency.IsKnown(code));
        Assert.Contains(code, Currency.Codes);
    }

    [Theory]
    [InlineData("XXX")]
    [InlineData("BTC")]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("")]
    public void A_currency_off_the_allow_list_does_not_exist(string code)
    {
        Assert.False(Currency.IsKnown(code));
        var error = Assert.Throws<BusinessRuleException>(() => Currency.Of(code));
        Assert.Equal("unsupported_currency", error.Code);
        Assert.Equal("currency", error.Field);
    }

    [Fact]
    public void A_null_code_is_not_known()
    {
        Assert.False(Currency.IsKnown(null));
    }

    [Fact]
    public void The_allow_list_holds_only_three_letter_upper_case_codes()
    {
        Assert.NotEmpty(Currency.Codes);
        Assert.All(Currency.Codes, code => Assert.Matches("^[A-Z]{3}$", code));
        Assert.All(Currency.Codes, code => Assert.InRange(Currency.Of(code).Exponent, 0, 3));
    }

    [Fact]
    public void The_same_code_is_the_same_currency()
    {
        Assert.Equal(Currency.Eur, Currency.Of("EUR"));
        Assert.NotEqual(Currency.Of("EUR"), Currency.Of("USD"));
    }
}
