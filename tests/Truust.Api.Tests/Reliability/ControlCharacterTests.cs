using System.Net;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// PostgreSQL cannot store a NUL in text, and no id, name or email has a use for control characters: a body, query
/// string or path that carries one is a 400 naming the field, and nothing is stored. Free text (a reason, a
/// description) may hold tabs and line breaks. And a 400 says what is wrong in JSON terms, never in .NET type names.
/// </summary>
public sealed class ControlCharacterTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>, IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private CustomerResponse _seller = null!;
    private OrderResponse _draft = null!;

    public async Task InitializeAsync()
    {
        _platform = await factory.CreateTestPlatformAsync();
        _seller = await _platform.Client.CreateCustomerAsync("Sam Seller");
        _draft = await (
            await _platform.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Lamp",
                    amount = 2_500,
                    currency = "EUR",
                    seller_id = _seller.Id,
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Route, JSON body (with JSON escapes, so the control character is really sent) and field.</summary>
    public static TheoryData<string, string, string> Bodies() =>
        new()
        {
            { "/v1/customers", """{"name": "Ada\u0000", "email": "ada@example.com"}""", "name" },
            { "/v1/customers", """{"name": "Ada", "email": "ada\u0000@example.com"}""", "email" },
            { "/v1/customers", """{"name": "A\u0001da", "email": "ada@example.com"}""", "name" },
            { "/v1/customers", """{"name": "Ada\u001f", "email": "ada@example.com"}""", "name" },
            { "/v1/customers", """{"name": "Ada\nLovelace", "email": "ada@example.com"}""", "name" },
            { "/v1/customers", """{"name": "Ada\t", "email": "ada@example.com"}""", "name" },
            { "/v1/customers", """{"name": "Ada\u007f", "email": "ada@example.com"}""", "name" },
            {
                "/v1/customers",
                """{"name": "Ada", "email": "ada@example.com", "metadata": {"ref": "x\u0000"}}""",
                "metadata.ref"
            },
            {
                "/v1/customers",
                """{"name": "Ada", "email": "ada@example.com", "metadata": {"r\u0000f": "x"}}""",
                "metadata"
            },
            {
                "/v1/orders",
                """{"name": "Lamp\u0000", "amount": 1000, "currency": "EUR", "seller_id": "{seller}"}""",
                "name"
            },
            {
                "/v1/orders",
                """{"name": "Lamp", "amount": 1000, "currency": "EU\u0000", "seller_id": "{seller}"}""",
                "currency"
            },
            {
                "/v1/orders",
                """{"name": "Lamp", "amount": 1000, "currency": "EUR", "seller_id": "{seller}\u0000"}""",
                "seller_id"
            },
            {
                "/v1/orders",
                """
                    {"name": "Lamp", "amount": 1000, "currency": "EUR", "seller_id": "{seller}",
                     "buyer_confirmed_url": "https://shop.example/ok\u0000"}
                    """,
                "buyer_confirmed_url"
            },
            {
                "/v1/orders",
                """
                    {"name": "Lamp", "amount": 1000, "currency": "EUR", "seller_id": "{seller}",
                     "metadata": {"sku": "\u0000"}}
                    """,
                "metadata.sku"
            },
            { "/v1/orders/{draft}/cancel", """{"reason": "gone\u0000"}""", "reason" },
            { "/v1/orders/{draft}/cancel", """{"reason": "gone\u0007"}""", "reason" },
        };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_control_character_in_a_body_field_is_400_naming_the_field_and_changes_nothing(
        string route,
        string body,
        string field
    )
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostRawAsync(Fill(route), Fill(body))).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );

        Assert.True(problem.Errors.ContainsKey(field), $"errors: {string.Join(", ", problem.Errors.Keys)}");
        Assert.Contains("control character", problem.Errors[field][0]);
    }

    // A NUL in the path itself never reaches the application: Kestrel (and the test server) refuse it first.
    [Theory]
    [InlineData("/v1/customers?starting_after=cus_%00", "starting_after")]
    [InlineData("/v1/customers?limit=5&starting_after=%01", "starting_after")]
    [InlineData("/v1/orders?seller_id=%00", "seller_id")]
    [InlineData("/v1/orders?buyer_id=cus_%1Fx", "buyer_id")]
    [InlineData("/v1/events?object_id=%00", "object_id")]
    [InlineData("/v1/customers/cus_%01", "id")]
    [InlineData("/v1/orders/ord_%1B/history", "id")]
    public async Task A_control_character_in_the_query_string_or_path_is_400_naming_the_parameter(
        string url,
        string field
    )
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.GetAsync(url)).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );

        Assert.True(problem.Errors.ContainsKey(field), $"errors: {string.Join(", ", problem.Errors.Keys)}");
    }

    [Fact]
    public async Task A_control_character_in_a_write_to_a_path_id_is_400_and_changes_nothing()
    {
        await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostAsync("/v1/orders/ord_%01x/cancel", null)).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );
    }

    [Fact]
    public async Task Free_text_keeps_its_tabs_and_line_breaks()
    {
        const string reason = "The buyer wrote:\r\n\tno longer needed";
        var order = await (
            await _platform.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Chair",
                    amount = 1_000,
                    currency = "EUR",
                    seller_id = _seller.Id,
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);

        var cancelled = await (
            await _platform.Client.PostJsonAsync($"/v1/orders/{order.Id}/cancel", new { reason })
        ).ReadAsync<OrderResponse>();

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        var history = await _platform.Client.GetJsonAsync<Page<OrderStatusChangeResponse>>(
            $"/v1/orders/{order.Id}/history"
        );
        Assert.Equal(reason, history.Data[^1].Reason);
    }

    [Theory]
    [InlineData("/v1/campaigns", "[]", "", "a JSON object")]
    [InlineData("/v1/customers", """{"name": 5, "email": "ada@example.com"}""", "name", "a string")]
    [InlineData("/v1/customers", """{"name": "Ada", "email": "a@example.com", "type": "ALIEN"}""", "type", "PERSON")]
    [InlineData(
        "/v1/customers",
        """{"name": "Ada", "email": "a@example.com", "metadata": []}""",
        "metadata",
        "a JSON object"
    )]
    [InlineData("/v1/orders", """{"name": "Lamp", "amount": "ten", "currency": "EUR"}""", "amount", "an integer")]
    [InlineData("/v1/orders", """{"name": "Lamp", "amount": 1.5, "currency": "EUR"}""", "amount", "an integer")]
    [InlineData("/v1/orders", """{"name": "Lamp", "splits": {"amount": 1}}""", "splits", "a JSON array")]
    [InlineData("/v1/orders", """{"name": "Lamp", "splits": [{"amount": true}]}""", "splits[0].amount", "an integer")]
    [InlineData("/v1/campaigns", """{"name": "Roof", "deadline": "soon"}""", "deadline", "ISO 8601")]
    [InlineData("/v1/customers", """{"name": "Ada", "nmae": "x"}""", "nmae", "not a field")]
    public async Task A_malformed_body_is_described_in_json_terms_without_naming_dotnet_types(
        string route,
        string body,
        string field,
        string expected
    )
    {
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await _platform.Client.PostRawAsync(route, body)).ReadProblemAsync(
                HttpStatusCode.BadRequest,
                "malformed_request"
            )
        );

        var text = problem.Body.GetRawText();
        foreach (var dotnet in new[] { "Truust.", "System.", "Nullable", ".NET", "`1", "LineNumber" })
        {
            Assert.DoesNotContain(dotnet, text);
        }

        Assert.True(problem.Errors.ContainsKey(field), $"errors: {string.Join(", ", problem.Errors.Keys)}");
        Assert.Contains(expected, problem.Errors[field][0]);
        Assert.Contains(expected, problem.Detail);
    }

    private string Fill(string text) => text.Replace("{seller}", _seller.Id).Replace("{draft}", _draft.Id);
}
