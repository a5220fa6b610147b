using Truust.Domain.Banking;

namespace Truust.Domain.Tests.Banking;

public sealed class IbanTests
{
    [Theory]
    [InlineData("ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332")]
    [InlineData("de89 3704 0044 0532 0130 00", "DE89370400440532013000")]
    [InlineData("DE89-3704-0044-0532-0130-00", "DE89370400440532013000")]
    [InlineData("fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606")]
    [InlineData("NL91ABNA0417164300", "NL91ABNA0417164300")]
    [InlineData("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819")]
    [InlineData(" BE68 5390 0754 7034 ", "BE68539007547034")]
    [InlineData("NO93 8601 1117 947", "NO9386011117947")]
    [InlineData("MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84MALT011000012345MTLCAST001S")]
    [InlineData("IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456")]
    [InlineData("CH93 0076 2011 6238 5295 7", "CH9300762011623852957")]
    public void Valid_ibans_are_accepted_in_electronic_form(string input, string electronic)
    {
        var iban = Iban.Parse(input);

        Assert.Equal(electronic, iban.Value);
        Assert.Equal(electronic[..2], iban.Country);
        Assert.Equal(electronic, iban.ToString());
        Assert.True(Iban.TryParse(input, out var parsed, out var error));
        Assert.Equal(iban, parsed);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("ES9121000418450200051333")]
    [InlineData("ES9221000418450200051332")]
    [InlineData("DE89370400440532013001")]
    [InlineData("GB29NWBK60161331926818")]
    [InlineData("ESAB21000418450200051332")]
    public void Wrong_check_digits_are_refused(string input)
    {
        Assert.False(Iban.TryParse(input, out var iban, out var error));
        Assert.Null(iban);
        Assert.Contains("mod-97", error);
        var thrown = Assert.Throws<BusinessRuleException>(() => Iban.Parse(input));
        Assert.Equal("invalid_iban", thrown.Code);
        Assert.Equal("iban", thrown.Field);
    }

    [Fact]
    public void Every_single_character_typo_is_caught_by_the_check_digits()
    {
        foreach (var valid in new[] { "ES9121000418450200051332", "DE89370400440532013000", "NO9386011117947" })
        {
            for (var position = 2; position < valid.Length; position++)
            {
                foreach (var digit in "0123456789")
                {
                    if (digit == valid[position])
                    {
                        continue;
                    }

                    var typo = valid[..position] + digit + valid[(position + 1)..];
                    Assert.False(Iban.TryParse(typo, out _, out _), $"{typo} passed the check");
                }
            }
        }
    }

    [Fact]
    public void Swapping_two_neighbouring_characters_is_caught_by_the_check_digits()
    {
        const string valid = "ES9121000418450200051332";
        for (var position = 4; position < valid.Length - 1; position++)
        {
            if (valid[position] == valid[position + 1])
            {
                continue;
            }

            var swapped = valid[..position] + valid[position + 1] + valid[position] + valid[(position + 2)..];
            Assert.False(Iban.TryParse(swapped, out _, out _), $"{swapped} passed the check");
        }
    }

    [Theory]
    [InlineData("ES912100041845020005133", "24")]
    [InlineData("ES91210004184502000513320", "24")]
    [InlineData("DE8937040044053201300", "22")]
    public void An_iban_of_the_wrong_length_for_its_country_is_refused(string input, string length)
    {
        Assert.False(Iban.TryParse(input, out _, out var error));
        Assert.Contains($"has {length} characters", error);
        Assert.Equal("invalid_iban", Assert.Throws<BusinessRuleException>(() => Iban.Parse(input)).Code);
    }

    [Theory]
    [InlineData("XX9121000418450200051332")]
    [InlineData("US12345678901234567890")]
    [InlineData("1291210004184502")]
    public void An_iban_from_an_unknown_country_is_refused(string input)
    {
        Assert.False(Iban.TryParse(input, out _, out var error));
        Assert.Contains($"'{input[..2]}' is not supported", error);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("ES91", "letters and digits")]
    [InlineData("ES91 2100 0418 4502 0005 133!", "letters and digits")]
    [InlineData("ES91210004184502000513ñ2", "letters and digits")]
    public void Empty_short_or_non_alphanumeric_input_is_refused(string? input, string reason)
    {
        Assert.False(Iban.TryParse(input, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("ES9121000418450200051332", "ES91****************1332")]
    [InlineData("NO9386011117947", "NO93*******7947")]
    [InlineData("MT84MALT011000012345MTLCAST001S", "MT84***********************001S")]
    public void Masked_shows_country_check_digits_and_last_four_only(string input, string masked)
    {
        var iban = Iban.Parse(input);

        Assert.Equal(masked, iban.Masked);
        Assert.Equal(input.Length, iban.Masked.Length);
    }

    [Fact]
    public void Formatted_groups_by_four()
    {
        Assert.Equal("ES91 2100 0418 4502 0005 1332", Iban.Parse("ES9121000418450200051332").Formatted);
        Assert.Equal("NO93 8601 1117 947", Iban.Parse("NO9386011117947").Formatted);
    }

    [Fact]
    public void Building_from_a_national_account_number_computes_the_check_digits()
    {
        Assert.Equal("DE89370400440532013000", Iban.FromBban("DE", "370400440532013000").Value);
        Assert.Equal("ES9121000418450200051332", Iban.FromBban("ES", "21000418450200051332").Value);
    }
}
