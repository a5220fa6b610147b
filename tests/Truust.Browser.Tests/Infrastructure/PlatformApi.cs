using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>
/// A platform's view of Truust through the public API (real HTTP to the same Kestrel server the browser uses):
/// the tests set orders up with it and check what the pages did with it.
/// </summary>
public sealed class PlatformApi(HttpClient client, string platformId, string secret) : IDisposable
{
    public string PlatformId { get; } = platformId;

    /// <summary>The platform's API key: no hosted page may ever show it.</summary>
    public string Secret { get; } = secret;

    /// <summary>The id of <see cref="Secret"/> (to revoke it through the operator API).</summary>
    public string? KeyId { get; init; }

    public static HttpClient Client(string baseUrl, string key) =>
        new()
        {
            BaseAddress = new Uri(baseUrl),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };

    public async Task<JsonElement> PostAsync(string path, object? body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { });
        return await ReadAsync(response, expected);
    }

    public async Task<JsonElement> DeleteAsync(string path)
    {
        using var response = await client.DeleteAsync(path);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task<string> CreateCustomerAsync(string name, string email) =>
        (await PostAsync("/v1/customers", new { name, email }, HttpStatusCode.Created)).Str("id");

    public Task<JsonElement> CreateOrderAsync(object order) => PostAsync("/v1/orders", order, HttpStatusCode.Created);

    public Task<JsonElement> OrderAsync(string id) => GetAsync($"/v1/orders/{id}");

    public async Task<List<JsonElement>> LedgerAsync(string orderId) =>
        (await GetAsync($"/v1/orders/{orderId}/ledger")).GetProperty("data").EnumerateArray().ToList();

    public async Task<List<JsonElement>> HistoryAsync(string orderId) =>
        (await GetAsync($"/v1/orders/{orderId}/history")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>Pays the order by card through the API, as a platform's own checkout would: it ends PUBLISHED.
    /// </summary>
    public async Task PayByCardAsync(string orderId)
    {
        var payin = await PostAsync("/v1/payins", new { order_id = orderId, type = "ADDON" }, HttpStatusCode.Created);
        var paid = await PostAsync(
            $"/v1/sandbox/payins/{payin.Str("id")}/card",
            new
            {
                number = "4242424242424242",
                exp_month = 12,
                exp_year = DateTime.UtcNow.Year + 2,
                cvc = "123",
            },
            HttpStatusCode.OK
        );
        Assert.Equal("SUCCEEDED", paid.Str("status"));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        var request = response.RequestMessage!;
        Assert.True(
            response.StatusCode == expected,
            $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}, "
                + $"expected {(int)expected}: {text}"
        );
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => client.Dispose();
}

public static class JsonElementExtensions
{
    public static string Str(this JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? throw new InvalidOperationException($"'{property}' is null.");

    public static string? StrOrNull(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.GetString()
            : null;

    public static long Long(this JsonElement element, string property) => element.GetProperty(property).GetInt64();
}
