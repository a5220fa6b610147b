using System.Text.Json.Nodes;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Contract;

/// <summary>
/// The examples of the committed document (<see cref="OpenApiExamples"/>): every main response object and its list
/// envelope carries one, and every example in the document is valid against its own schema.
/// </summary>
public sealed class ExampleContractTests
{
    private static readonly JsonNode Schemas = JsonNode.Parse(
        File.ReadAllText(RepositoryFiles.Path("docs/openapi.json"))
    )!["components"]!["schemas"]!;

    private static readonly OpenApiContractDocument Document = new(
        File.ReadAllText(RepositoryFiles.Path("docs/openapi.json"))
    );

    [Theory]
    [InlineData("OrderResponse", "ord_")]
    [InlineData("PayinResponse", "pay_")]
    [InlineData("PayoutResponse", "po_")]
    [InlineData("RefundResponse", "re_")]
    [InlineData("WalletResponse", "wal_")]
    [InlineData("TransferResponse", "tr_")]
    [InlineData("CustomerResponse", "cus_")]
    [InlineData("DisputeResponse", "dsp_")]
    [InlineData("EventResponse", "evt_")]
    public void A_main_object_and_its_list_carry_an_example_with_the_ids_prefix(string schema, string prefix)
    {
        var example = Schemas[schema]!["example"];
        Assert.NotNull(example);
        Assert.StartsWith(prefix, example["id"]!.ToString());
        if (Schemas[schema + "List"] is { } list)
        {
            var page = list["example"]!;
            Assert.Equal("list", page["object"]!.ToString());
            Assert.True(JsonNode.DeepEquals(example, page["data"]![0]));
        }
    }

    [Fact]
    public void Every_example_in_the_document_is_valid_against_its_schema()
    {
        var checkedCount = 0;
        foreach (var (name, schema) in Schemas.AsObject())
        {
            if (schema!["example"] is { } example)
            {
                var errors = Document.Validate(name, example.DeepClone());
                Assert.True(errors is null, $"The example of {name} does not match it: {errors}");
                checkedCount++;
            }
        }

        // The nine main objects, their six list envelopes and the problem.
        Assert.True(checkedCount >= 16, $"only {checkedCount} examples");
        // The check bites: the order example with an amount as a string, or a status off the enum, fails.
        var broken = Schemas["OrderResponse"]!["example"]!.DeepClone();
        broken["amount"] = "12500";
        Assert.NotNull(Document.Validate("OrderResponse", broken));
        broken = Schemas["OrderResponse"]!["example"]!.DeepClone();
        broken["status"] = "SHIPPED";
        Assert.NotNull(Document.Validate("OrderResponse", broken));
    }
}
