using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Contract;

/// <summary>The response check of every API test (<see cref="ContractCheck"/>) bites.</summary>
public sealed class ContractCheckTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private static readonly OpenApiContractDocument Document = new(
        File.ReadAllText(RepositoryFiles.Path("docs/openapi.json"))
    );

    [Fact]
    public async Task A_real_answer_passes_and_each_kind_of_drift_from_the_document_is_caught()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync("Ada");
        var response = await client.GetAsync($"/v1/customers/{customer.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        string? Check(JsonNode json, int status = 200, string type = "application/json") =>
            Document.Check(
                "GET",
                $"/v1/customers/{customer.Id}",
                status,
                type,
                Encoding.UTF8.GetBytes(json.ToJsonString())
            );

        Assert.Null(Check(body));
        var missing = body.DeepClone().AsObject();
        missing.Remove("email");
        Assert.Contains("email", Check(missing));
        var extra = body.DeepClone().AsObject();
        extra["surprise"] = 1;
        Assert.Contains("surprise", Check(extra));
        var wrongType = body.DeepClone().AsObject();
        wrongType["name"] = 5;
        Assert.NotNull(Check(wrongType));
        var nullId = body.DeepClone().AsObject();
        nullId["id"] = null;
        Assert.NotNull(Check(nullId));
        Assert.Contains("documents no 302", Check(body, 302));
        Assert.Contains("content type", Check(body, 200, "text/html"));
        Assert.NotNull(Check(new JsonObject { ["title"] = "no code" }, 404, "application/problem+json"));
    }

    [Fact]
    public async Task A_test_client_fails_on_an_answer_the_document_does_not_allow()
    {
        // /v1/orders answers 200 to a GET; the document has no 200 for a DELETE of an order, so a check with the
        // wrong method (simulated by the document, not the API) must fail, and a real request must pass.
        using var client = await factory.CreatePlatformAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/orders")).StatusCode);
        Assert.Contains(
            "documents no 200",
            Document.Check("POST", "/v1/orders", 200, "application/json", "{}"u8.ToArray())
        );
    }
}
