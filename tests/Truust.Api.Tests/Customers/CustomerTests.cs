using System.Net;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Customers;

namespace Truust.Api.Tests.Customers;

public sealed class CustomerTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_created_customer_is_201_with_its_location_and_reads_back_the_same()
    {
        using var client = await factory.CreatePlatformAsync();

        var response = await client.PostJsonAsync(
            "/v1/customers",
            new
            {
                name = "Ada Lovelace",
                email = "ada@example.com",
                type = "COMPANY",
                metadata = new Dictionary<string, string> { ["crm_id"] = "42", ["Tier"] = "gold" },
            }
        );
        var created = await response.ReadAsync<CustomerResponse>(HttpStatusCode.Created);

        Assert.StartsWith("cus_", created.Id);
        Assert.Equal($"/v1/customers/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            ("Ada Lovelace", "ada@example.com", CustomerType.Company),
            (created.Name, created.Email, created.Type)
        );
        Assert.Equal(new Dictionary<string, string> { ["crm_id"] = "42", ["Tier"] = "gold" }, created.Metadata);
        var fetched = await client.GetJsonAsync<CustomerResponse>($"/v1/customers/{created.Id}");
        Assert.Equal(
            (created.Id, created.Name, created.Email, created.Type),
            (fetched.Id, fetched.Name, fetched.Email, fetched.Type)
        );
        Assert.Equal(created.Metadata, fetched.Metadata);
        Assert.Equal(created.CreatedAt, fetched.CreatedAt, TimeSpan.FromMilliseconds(1));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_customer_is_json_in_snake_case_with_upper_case_enums()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();

        var json = await (await client.GetAsync($"/v1/customers/{customer.Id}")).ReadJsonAsync();

        Assert.Equal("customer", json.GetProperty("object").GetString());
        Assert.Equal("PERSON", json.GetProperty("type").GetString());
        Assert.True(json.TryGetProperty("created_at", out _));
        Assert.True(json.TryGetProperty("updated_at", out _));
        Assert.False(json.TryGetProperty("createdAt", out _));
        Assert.False(json.TryGetProperty("platform_id", out _));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Customers_are_listed_newest_first_with_cursor_pagination()
    {
        using var client = await factory.CreatePlatformAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.CreateCustomerAsync($"Customer {i}")).Id);
            // Ids order by their creation millisecond; two in the same millisecond have no defined order.
            await Task.Delay(3);
        }

        var newestFirst = Enumerable.Reverse(ids).ToList();

        var all = await client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers");
        var first = await client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers?limit=2");
        var second = await client.GetJsonAsync<Page<CustomerResponse>>(
            $"/v1/customers?limit=2&starting_after={first.Data[^1].Id}"
        );
        var last = await client.GetJsonAsync<Page<CustomerResponse>>(
            $"/v1/customers?limit=2&starting_after={second.Data[^1].Id}"
        );

        Assert.Equal(newestFirst, all.Data.Select(c => c.Id));
        Assert.False(all.HasMore);
        Assert.Equal(newestFirst[..2], first.Data.Select(c => c.Id));
        Assert.True(first.HasMore);
        Assert.Equal(newestFirst[2..4], second.Data.Select(c => c.Id));
        Assert.True(second.HasMore);
        Assert.Equal(newestFirst[4..], last.Data.Select(c => c.Id));
        Assert.False(last.HasMore);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_customer_has_no_more()
    {
        using var client = await factory.CreatePlatformAsync();
        await client.CreateCustomerAsync();
        await client.CreateCustomerAsync();

        var page = await client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers?limit=2");
        var json = await (await client.GetAsync("/v1/customers?limit=2")).ReadJsonAsync();

        Assert.Equal(2, page.Data.Count);
        Assert.False(page.HasMore);
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.False(json.GetProperty("has_more").GetBoolean());
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_empty_list_is_an_empty_page()
    {
        using var client = await factory.CreatePlatformAsync();

        var page = await client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers");

        Assert.Empty(page.Data);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Patching_a_customer_changes_only_the_fields_given()
    {
        using var client = await factory.CreatePlatformAsync();
        var created = await client.CreateCustomerAsync(
            "Ada Lovelace",
            "ada@example.com",
            new Dictionary<string, string> { ["a"] = "1" }
        );
        factory.Clock.Advance(TimeSpan.FromHours(2));

        var renamed = await (
            await client.PatchJsonAsync($"/v1/customers/{created.Id}", new { name = "Ada King" })
        ).ReadAsync<CustomerResponse>();

        Assert.Equal("Ada King", renamed.Name);
        Assert.Equal("ada@example.com", renamed.Email);
        Assert.Equal(CustomerType.Person, renamed.Type);
        Assert.Equal(created.Metadata, renamed.Metadata);
        Assert.Equal(created.CreatedAt, renamed.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(created.CreatedAt + TimeSpan.FromHours(2), renamed.UpdatedAt, TimeSpan.FromMilliseconds(1));
        var fetched = await client.GetJsonAsync<CustomerResponse>($"/v1/customers/{created.Id}");
        Assert.Equal(("Ada King", "ada@example.com"), (fetched.Name, fetched.Email));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Patching_metadata_replaces_the_whole_object()
    {
        using var client = await factory.CreatePlatformAsync();
        var created = await client.CreateCustomerAsync(
            metadata: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }
        );

        var updated = await (
            await client.PatchJsonAsync(
                $"/v1/customers/{created.Id}",
                new { metadata = new Dictionary<string, string> { ["c"] = "3" }, type = "COMPANY" }
            )
        ).ReadAsync<CustomerResponse>();

        Assert.Equal(new Dictionary<string, string> { ["c"] = "3" }, updated.Metadata);
        Assert.Equal(CustomerType.Company, updated.Type);
        Assert.Equal(created.Name, updated.Name);
        var fetched = await client.GetJsonAsync<CustomerResponse>($"/v1/customers/{created.Id}");
        Assert.Equal(updated.Metadata, fetched.Metadata);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_customer_id_that_does_not_exist_is_404_resource_missing()
    {
        using var client = await factory.CreatePlatformAsync();

        var problem = await (await client.GetAsync("/v1/customers/cus_00000000000000000000000000")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PatchJsonAsync("/v1/customers/cus_00000000000000000000000000", new { name = "x" })
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );

        Assert.Contains("cus_00000000000000000000000000", problem.Detail);
    }

    [Fact]
    public async Task Metadata_over_the_limits_is_422()
    {
        using var client = await factory.CreatePlatformAsync();
        var tooMany = Enumerable.Range(0, CommonRules.MaxMetadataKeys + 1).ToDictionary(i => $"k{i}", i => "v");
        var keyTooLong = new Dictionary<string, string> { [new string('k', 41)] = "v" };

        foreach (var metadata in new[] { tooMany, keyTooLong })
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (
                    await client.PostJsonAsync(
                        "/v1/customers",
                        new
                        {
                            name = "Ada",
                            email = "ada@example.com",
                            metadata,
                        }
                    )
                ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
            );
            Assert.Equal(["metadata"], problem.Errors.Keys);
        }
        await LedgerInvariants.AssertAsync(factory);
    }
}
