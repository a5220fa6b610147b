using System.Net;
using System.Text.Json;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Http;

public sealed class ServiceEndpointTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_healthy_without_a_key(string path)
    {
        using var client = factory.AnonymousClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_declares_bearer_authentication_and_the_v1_routes()
    {
        using var client = factory.AnonymousClient();

        var response = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Contains(root.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("bearer", out _));
        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/customers", paths);
        Assert.Contains("/v1/customers/{id}/bank_accounts", paths);
        Assert.Contains("/v1/wallets", paths);
        Assert.Contains("/v1/platforms", paths);
    }

    [Fact]
    public async Task The_openapi_document_names_fields_in_snake_case()
    {
        using var client = factory.AnonymousClient();

        var json = await (await client.GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync();

        Assert.Contains("\"holder_name\"", json);
        Assert.Contains("\"customer_id\"", json);
        Assert.DoesNotContain("\"holderName\"", json);
    }

    [Fact]
    public async Task The_swagger_ui_is_served()
    {
        using var client = factory.AnonymousClient();

        var response = await client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }
}
