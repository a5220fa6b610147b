using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Platforms;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Authentication;

public sealed class AuthenticationTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_request_without_a_key_is_401_problem_json()
    {
        using var client = factory.AnonymousClient();

        var response = await client.GetAsync("/v1/customers");

        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", problem.Detail);
    }

    [Theory]
    [InlineData("Bearer sk_test_this_key_was_never_issued")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_request_with_an_unknown_or_malformed_key_is_401(string authorization)
    {
        using var client = factory.AnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/v1/customers");

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_write_without_a_key_changes_nothing()
    {
        using var client = factory.AnonymousClient();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync("/v1/customers", new { name = "Ada", email = "ada@example.com" })
            ).ReadProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated")
        );
    }

    [Fact]
    public async Task A_platform_key_reaches_its_own_platform()
    {
        var platform = await factory.CreateTestPlatformAsync("Own platform");

        var me = await platform.Client.GetJsonAsync<PlatformResponse>("/v1/platform");

        Assert.Equal(platform.Id, me.Id);
        Assert.Equal("Own platform", me.Name);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_revoked_key_is_401_and_the_platform_other_keys_keep_working()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var operatorClient = factory.OperatorClient();
        var second = await (
            await operatorClient.PostJsonAsync($"/v1/platforms/{platform.Id}/api_keys", new { label = "rotation" })
        ).ReadAsync<ApiKeyResponse>(HttpStatusCode.Created);
        using var secondClient = factory.ClientWithKey(second.Secret!);
        Assert.Equal(platform.Id, (await secondClient.GetJsonAsync<PlatformResponse>("/v1/platform")).Id);

        var revoked = await (
            await operatorClient.DeleteAsync($"/v1/platforms/{platform.Id}/api_keys/{second.Id}")
        ).ReadAsync<ApiKeyResponse>();

        Assert.NotNull(revoked.RevokedAt);
        Assert.Null(revoked.Secret);
        await (await secondClient.GetAsync("/v1/platform")).ReadProblemAsync(
            HttpStatusCode.Unauthorized,
            "unauthenticated"
        );
        Assert.Equal(platform.Id, (await platform.Client.GetJsonAsync<PlatformResponse>("/v1/platform")).Id);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_platform_key_calling_an_operator_only_endpoint_is_403()
    {
        var platform = await factory.CreateTestPlatformAsync();

        await (await platform.Client.GetAsync("/v1/platforms")).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await platform.Client.GetAsync($"/v1/platforms/{platform.Id}")).ReadProblemAsync(
            HttpStatusCode.Forbidden,
            "forbidden"
        );
        await factory.AssertUnchangedAsync(async () =>
        {
            await (await platform.Client.PostJsonAsync("/v1/platforms", new { name = "Sneaky" })).ReadProblemAsync(
                HttpStatusCode.Forbidden,
                "forbidden"
            );
            await (
                await platform.Client.PostJsonAsync($"/v1/platforms/{platform.Id}/api_keys", new { label = "more" })
            ).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            var revoke = $"/v1/platforms/{platform.Id}/api_keys/{platform.ApiKeyId}";
            return await (await platform.Client.DeleteAsync(revoke)).ReadProblemAsync(
                HttpStatusCode.Forbidden,
                "forbidden"
            );
        });
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_operator_without_a_platform_header_cannot_create_a_customer()
    {
        using var operatorClient = factory.OperatorClient();

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await operatorClient.PostJsonAsync("/v1/customers", new { name = "Ada", email = "ada@example.com" })
            ).ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden")
        );

        Assert.Contains(Caller.ActAsHeader, problem.Detail);
    }

    [Fact]
    public async Task The_operator_acting_as_a_platform_creates_the_customer_in_that_platform()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var operatorClient = factory.OperatorClient();
        operatorClient.DefaultRequestHeaders.Add(Caller.ActAsHeader, platform.Id);

        var customer = await operatorClient.CreateCustomerAsync("Grace Hopper");

        var seen = await platform.Client.GetJsonAsync<CustomerResponse>($"/v1/customers/{customer.Id}");
        Assert.Equal("Grace Hopper", seen.Name);
        Assert.Equal(
            1,
            await factory.CountAsync("customers", $"id = '{customer.Id}' AND platform_id = '{platform.Id}'")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Api_keys_are_stored_only_as_hashes_and_never_listed_with_their_secret()
    {
        var platform = await factory.CreateTestPlatformAsync();

        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM api_keys k WHERE k::text LIKE '%' || @secret || '%'",
            connection
        );
        command.Parameters.AddWithValue("secret", platform.Secret);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(platform.Secret)));
        Assert.Equal(1, await factory.CountAsync("api_keys", $"id = '{platform.ApiKeyId}' AND hash = '{hash}'"));

        using var operatorClient = factory.OperatorClient();
        var keys = (
            await operatorClient.GetJsonAsync<Page<ApiKeyResponse>>($"/v1/platforms/{platform.Id}/api_keys")
        ).Data;
        var key = Assert.Single(keys);
        Assert.Null(key.Secret);
        Assert.Equal(platform.Secret[..12], key.Prefix);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_bearer_scheme_in_lower_case_is_accepted()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var client = factory.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", platform.Secret);

        Assert.Equal(platform.Id, (await client.GetJsonAsync<PlatformResponse>("/v1/platform")).Id);
        await LedgerInvariants.AssertAsync(factory);
    }
}
