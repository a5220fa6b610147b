using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>An RFC 9457 problem response as the tests read it.</summary>
public sealed record Problem(
    int Status,
    string Code,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, string[]> Errors,
    JsonElement Body
);

/// <summary>Valid IBANs for tests (mod-97 correct, right length for their country).</summary>
public static class TestIbans
{
    public const string Spain = "ES9121000418450200051332";
    public const string Germany = "DE89370400440532013000";
    public const string France = "FR1420041010050500013M02606";
    public const string Netherlands = "NL91ABNA0417164300";
    public const string UnitedKingdom = "GB29NWBK60161331926819";
}

/// <summary>
/// JSON over HTTP the way the API speaks it (snake_case, through <see cref="JsonDefaults.Options"/>), and small
/// typed helpers that create the objects most tests need. Helpers assert the status they expect, so a test that
/// uses them fails at the step that went wrong, with the response body in the message.
/// </summary>
public static class HttpJson
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpContent Content(object body) =>
        new StringContent(JsonSerializer.Serialize(body, JsonDefaults.Options), Encoding.UTF8, "application/json");

    /// <summary>A body sent exactly as written, for malformed JSON.</summary>
    public static HttpContent RawContent(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = Json;
        return content;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsync(path, Content(body));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, object body) =>
        client.PatchAsync(path, Content(body));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, RawContent(json));

    /// <summary>Asserts the status and reads the body as <typeparamref name="T"/> (snake_case JSON).</summary>
    public static async Task<T> ReadAsync<T>(
        this HttpResponseMessage response,
        HttpStatusCode expected = HttpStatusCode.OK
    )
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"Expected {(int)expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, "
                + $"got {(int)response.StatusCode}: {body}"
        );
        return JsonSerializer.Deserialize<T>(body, JsonDefaults.Options)
            ?? throw new InvalidOperationException($"The response body was null: {body}");
    }

    /// <summary>Asserts the status and returns the body as a JSON element (for checking exact field names).</summary>
    public static async Task<JsonElement> ReadJsonAsync(
        this HttpResponseMessage response,
        HttpStatusCode expected = HttpStatusCode.OK
    )
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"Expected {(int)expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, "
                + $"got {(int)response.StatusCode}: {body}"
        );
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Asserts an <c>application/problem+json</c> response with <paramref name="status"/> and
    /// <paramref name="code"/>, and returns it.
    /// </summary>
    public static async Task<Problem> ReadProblemAsync(
        this HttpResponseMessage response,
        HttpStatusCode status,
        string code
    )
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == status,
            $"Expected {(int)status} {code} from {response.RequestMessage?.Method} "
                + $"{response.RequestMessage?.RequestUri}, "
                + $"got {(int)response.StatusCode}: {body}"
        );
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.Equal(code, root.GetProperty("code").GetString());
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.TryGetProperty("errors", out var errorsElement))
        {
            foreach (var field in errorsElement.EnumerateObject())
            {
                errors[field.Name] = field.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();
            }
        }

        return new Problem(
            (int)status,
            code,
            root.GetProperty("title").GetString(),
            root.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            errors,
            root
        );
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string path) =>
        await (await client.GetAsync(path)).ReadAsync<T>();

    public static async Task<CustomerResponse> CreateCustomerAsync(
        this HttpClient client,
        string? name = null,
        string? email = null,
        Dictionary<string, string>? metadata = null
    )
    {
        name ??= "Ada Lovelace";
        email ??= $"ada+{Guid.NewGuid():N}@example.com";
        var response = await client.PostJsonAsync(
            "/v1/customers",
            new
            {
                name,
                email,
                metadata,
            }
        );
        return await response.ReadAsync<CustomerResponse>(HttpStatusCode.Created);
    }

    public static async Task<BankAccountResponse> CreateBankAccountAsync(
        this HttpClient client,
        string customerId,
        string iban = TestIbans.Spain,
        string holderName = "Ada Lovelace",
        string? bic = null
    )
    {
        var response = await client.PostJsonAsync(
            $"/v1/customers/{customerId}/bank_accounts",
            new
            {
                holder_name = holderName,
                iban,
                bic,
            }
        );
        return await response.ReadAsync<BankAccountResponse>(HttpStatusCode.Created);
    }

    public static async Task<WalletResponse> CreateWalletAsync(
        this HttpClient client,
        string customerId,
        string currency = "EUR"
    )
    {
        var response = await client.PostJsonAsync("/v1/wallets", new { customer_id = customerId, currency });
        return await response.ReadAsync<WalletResponse>(HttpStatusCode.Created);
    }
}
