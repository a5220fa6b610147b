using System.Text.Json;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Domain.Tests;

/// <summary>
/// <see cref="WireName"/> is the one enum spelling (JSON, database, SQL, error bodies). Stored rows were written
/// with System.Text.Json's upper snake case policy before it existed, so it must agree with that policy on every
/// member of every domain enum, or old rows would stop reading back.
/// </summary>
public sealed class WireNameTests
{
    public static TheoryData<Type> DomainEnums() =>
        new(typeof(Money).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic));

    [Theory]
    [MemberData(nameof(DomainEnums))]
    public void Every_member_of_a_domain_enum_is_spelt_as_the_json_policy_spells_it_and_parses_back(Type type)
    {
        foreach (Enum value in Enum.GetValues(type))
        {
            var member = value.ToString();
            Assert.Equal(JsonNamingPolicy.SnakeCaseUpper.ConvertName(member), WireName.Of(value));
            Assert.Equal(JsonNamingPolicy.SnakeCaseLower.ConvertName(member), WireName.Action(value));
        }
    }

    [Theory]
    [InlineData("PendingPublish")]
    [InlineData("XMLReader")]
    [InlineData("SHA512Hash")]
    [InlineData("Pay3dsNow")]
    [InlineData("already_snake")]
    [InlineData("  spaced  Out ")]
    [InlineData("A")]
    [InlineData("")]
    public void Any_member_name_is_spelt_as_the_json_policy_spells_it(string member)
    {
        Assert.Equal(JsonNamingPolicy.SnakeCaseUpper.ConvertName(member), WireName.FromMember(member));
    }

    [Fact]
    public void A_wire_name_parses_back_to_its_member_and_anything_else_is_refused()
    {
        Assert.Equal("PENDING_RELEASE", WireName.Of(OrderStatus.PendingRelease));
        Assert.Equal(OrderStatus.PendingRelease, WireName.Parse<OrderStatus>("PENDING_RELEASE"));
        Assert.Equal("create_payout", WireName.Action(OrderTrigger.CreatePayout));
        Assert.Equal(PayoutStatus.InTransit, WireName.Parse<PayoutStatus>(WireName.Of(PayoutStatus.InTransit)));
        Assert.False(WireName.TryParse<OrderStatus>("pending_release", out _));
        Assert.Throws<FormatException>(() => WireName.Parse<OrderStatus>("PendingRelease"));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireName.Of((OrderStatus)99));
    }
}
