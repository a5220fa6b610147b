using System.Net;
using System.Text;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Http;

/// <summary>
/// Bad input: 400 malformed_request when the body cannot be read, 422 validation_failed naming each field in
/// snake_case when it can but is wrong, 422 invalid_iban for a bad IBAN. Never a 500, and never any change.
/// </summary>
public sealed class RequestValidationTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>, IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private string _customerId = null!;

    public async Task InitializeAsync()
    {
        _platform = await factory.CreateTestPlatformAsync();
        _customerId = (await _platform.Client.CreateCustomerAsync("Ada Lovelace", "ada@example.com")).Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("{\"name\": \"Ada\",", "")]
    [InlineData("{\"name\": \"Ada\" \"email\": \"ada@example.com\"}", "")]
    [InlineData("[]", "")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    public async Task Malformed_json_is_400_malformed_request(string body, string errorKey)
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostRawAsync("/v1/customers", body)).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );

        Assert.True(problem.Errors.ContainsKey(errorKey), $"errors: {string.Join(", ", problem.Errors.Keys)}");
    }

    [Theory]
    [InlineData("{\"name\": 5, \"email\": \"ada@example.com\"}", "name")]
    [InlineData("{\"name\": \"Ada\", \"email\": [\"ada@example.com\"]}", "email")]
    [InlineData("{\"name\": \"Ada\", \"email\": \"ada@example.com\", \"type\": \"ALIEN\"}", "type")]
    [InlineData("{\"name\": \"Ada\", \"email\": \"ada@example.com\", \"type\": 1}", "type")]
    [InlineData("{\"name\": \"Ada\", \"email\": \"ada@example.com\", \"metadata\": {\"k\": 1}}", "metadata.k")]
    public async Task A_value_of_the_wrong_type_is_400_malformed_request_naming_the_field(string body, string field)
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostRawAsync("/v1/customers", body)).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );

        Assert.True(problem.Errors.ContainsKey(field), $"errors: {string.Join(", ", problem.Errors.Keys)}");
    }

    [Fact]
    public async Task A_number_given_as_a_string_is_400_malformed_request()
    {
        using var operatorClient = factory.OperatorClient();

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await operatorClient.PostRawAsync("/v1/platforms", "{\"name\": \"P\", \"fee_percent_bp\": \"x\"}")
            ).ReadProblemAsync(HttpStatusCode.BadRequest, "malformed_request")
        );

        Assert.True(problem.Errors.ContainsKey("fee_percent_bp"));
    }

    [Theory]
    [InlineData("/v1/customers", "{\"name\": \"Ada\", \"email\": \"ada@example.com\", \"nmae\": \"x\"}", "nmae")]
    [InlineData("/v1/wallets", "{\"customer_id\": \"cus_x\", \"currency\": \"EUR\", \"balance\": 100}", "balance")]
    [InlineData(
        "/v1/customers/{customer}/bank_accounts",
        "{\"holder_name\": \"Ada\", \"iban\": \"ES9121000418450200051332\", \"swift\": \"x\"}",
        "swift"
    )]
    public async Task An_unknown_field_is_400_malformed_request_naming_it(string route, string body, string field)
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await _platform.Client.PostRawAsync(route.Replace("{customer}", _customerId), body)
            ).ReadProblemAsync(HttpStatusCode.BadRequest, "malformed_request")
        );

        Assert.Contains(field, problem.Detail);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_problem_json()
    {
        await factory.AssertUnchangedAsync(async () =>
            await (
                await _platform.Client.PostAsync(
                    "/v1/customers",
                    new StringContent(
                        "name=Ada&email=ada@example.com",
                        Encoding.UTF8,
                        "application/x-www-form-urlencoded"
                    )
                )
            ).ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")
        );
    }

    [Theory]
    [InlineData("{}", new[] { "name", "email" })]
    [InlineData("{\"name\": \"\", \"email\": \"ada@example.com\"}", new[] { "name" })]
    [InlineData("{\"name\": \"Ada\", \"email\": \"not-an-email\"}", new[] { "email" })]
    public async Task A_customer_with_missing_or_invalid_fields_is_422_naming_them(string body, string[] fields)
    {
        await AssertValidationFailedAsync("/v1/customers", body, fields);
    }

    [Theory]
    [InlineData("{\"iban\": \"ES9121000418450200051332\"}", new[] { "holder_name" })]
    [InlineData("{\"holder_name\": \"Ada\"}", new[] { "iban" })]
    [InlineData(
        "{\"holder_name\": \"Ada\", \"iban\": \"ES9121000418450200051332\", \"bic\": \"NOPE\"}",
        new[] { "bic" }
    )]
    public async Task A_bank_account_with_missing_or_invalid_fields_is_422_naming_them(string body, string[] fields)
    {
        await AssertValidationFailedAsync($"/v1/customers/{_customerId}/bank_accounts", body, fields);
    }

    [Theory]
    [InlineData("{}", new[] { "customer_id", "currency" })]
    [InlineData("{\"customer_id\": \"{customer}\", \"currency\": \"XXX\"}", new[] { "currency" })]
    [InlineData("{\"customer_id\": \"wal_123\", \"currency\": \"EUR\"}", new[] { "customer_id" })]
    public async Task A_wallet_with_missing_or_invalid_fields_is_422_naming_them(string body, string[] fields)
    {
        await AssertValidationFailedAsync("/v1/wallets", body.Replace("{customer}", _customerId), fields);
    }

    [Theory]
    [InlineData("{\"name\": \"P\", \"fee_percent_bp\": 10001}", new[] { "fee_percent_bp" })]
    [InlineData("{\"name\": \"P\", \"fee_fixed\": -1}", new[] { "fee_fixed" })]
    [InlineData("{\"fee_fixed\": 0}", new[] { "name" })]
    public async Task A_platform_with_invalid_fields_is_422_naming_them(string body, string[] fields)
    {
        using var operatorClient = factory.OperatorClient();
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await operatorClient.PostRawAsync("/v1/platforms", body)).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "validation_failed"
            )
        );

        Assert.Equal(fields.Order(), problem.Errors.Keys.Order());
    }

    [Fact]
    public async Task An_invalid_update_is_422_and_leaves_the_customer_as_it_was()
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await _platform.Client.PatchJsonAsync(
                    $"/v1/customers/{_customerId}",
                    new { name = "Ada King", email = "not-an-email" }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );

        Assert.Equal(["email"], problem.Errors.Keys);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    public async Task A_page_size_out_of_range_is_422_naming_limit(string query, string field)
    {
        var problem = await (await _platform.Client.GetAsync($"/v1/customers?{query}")).ReadProblemAsync(
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );

        Assert.Equal([field], problem.Errors.Keys);
    }

    [Fact]
    public async Task A_page_size_that_is_not_a_number_is_400_naming_limit()
    {
        var problem = await (await _platform.Client.GetAsync("/v1/customers?limit=ten")).ReadProblemAsync(
            HttpStatusCode.BadRequest,
            "malformed_request"
        );

        Assert.Equal(["limit"], problem.Errors.Keys);
    }

    [Theory]
    [InlineData("ES9121000418450200051333", "mod-97")] // last digit changed: check digits no longer match
    [InlineData("ES9221000418450200051332", "mod-97")] // check digits changed
    [InlineData("ES912100041845020005133", "24 characters")] // one character short
    [InlineData("ES91210004184502000513321", "24 characters")] // one character too many
    [InlineData("XX9121000418450200051332", "'XX'")] // no such country
    [InlineData("US9121000418450200051332", "'US'")] // a country without IBANs
    [InlineData("ES91 2100 0418 4502 0005 133!", "letters and digits")]
    public async Task An_invalid_iban_is_422_invalid_iban_naming_the_iban_field(string iban, string reason)
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await _platform.Client.PostJsonAsync(
                    $"/v1/customers/{_customerId}/bank_accounts",
                    new { holder_name = "Ada Lovelace", iban }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_iban")
        );

        var message = Assert.Single(Assert.Contains("iban", problem.Errors));
        Assert.Contains(reason, message);
    }

    [Fact]
    public async Task An_unknown_route_is_404_route_not_found()
    {
        await (await _platform.Client.GetAsync("/v1/customerz")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "route_not_found"
        );
    }

    [Fact]
    public async Task A_method_the_route_does_not_have_is_405_method_not_allowed()
    {
        await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.DeleteAsync($"/v1/customers/{_customerId}")).ReadProblemAsync(
                HttpStatusCode.MethodNotAllowed,
                "method_not_allowed"
            )
        );
    }

    private async Task AssertValidationFailedAsync(string route, string body, string[] fields)
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostRawAsync(route, body)).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "validation_failed"
            )
        );

        Assert.Equal(fields.Order(), problem.Errors.Keys.Order());
        Assert.All(problem.Errors.Values, messages => Assert.NotEmpty(messages));
    }
}
