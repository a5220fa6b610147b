using System.Net;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Wallets;

namespace Truust.Api.Tests.Wallets;

public sealed class WalletTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_new_wallet_is_201_with_a_zero_balance_and_reads_back_the_same()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();

        var response = await client.PostJsonAsync("/v1/wallets", new { customer_id = customer.Id, currency = "EUR" });
        var wallet = await response.ReadAsync<WalletResponse>(HttpStatusCode.Created);

        Assert.StartsWith("wal_", wallet.Id);
        Assert.Equal($"/v1/wallets/{wallet.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            (customer.Id, "EUR", 0L, WalletKind.Customer),
            (wallet.CustomerId, wallet.Currency, wallet.Balance, wallet.Kind)
        );
        var fetched = await client.GetJsonAsync<WalletResponse>($"/v1/wallets/{wallet.Id}");
        Assert.Equal((wallet.Id, 0L, "EUR"), (fetched.Id, fetched.Balance, fetched.Currency));
        var json = await (await client.GetAsync($"/v1/wallets/{wallet.Id}")).ReadJsonAsync();
        Assert.Equal("CUSTOMER", json.GetProperty("kind").GetString());
        Assert.Equal(0, json.GetProperty("balance").GetInt64());
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_second_wallet_in_the_same_currency_is_409_and_another_currency_is_fine()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();
        await client.CreateWalletAsync(customer.Id, "EUR");

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync("/v1/wallets", new { customer_id = customer.Id, currency = "EUR" })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "wallet_exists")
        );
        var dollars = await client.CreateWalletAsync(customer.Id, "USD");

        Assert.Equal("USD", dollars.Currency);
        Assert.Equal(2, await factory.CountAsync("wallets", $"customer_id = '{customer.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Wallets_are_listed_by_customer()
    {
        using var client = await factory.CreatePlatformAsync();
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var adaEuros = await client.CreateWalletAsync(ada.Id, "EUR");
        await Task.Delay(3);
        var adaPounds = await client.CreateWalletAsync(ada.Id, "GBP");
        await Task.Delay(3);
        var graceEuros = await client.CreateWalletAsync(grace.Id, "EUR");

        var adas = await client.GetJsonAsync<Page<WalletResponse>>($"/v1/wallets?customer_id={ada.Id}");
        var all = await client.GetJsonAsync<Page<WalletResponse>>("/v1/wallets");
        var paged = await client.GetJsonAsync<Page<WalletResponse>>($"/v1/wallets?customer_id={ada.Id}&limit=1");

        Assert.Equal([adaPounds.Id, adaEuros.Id], adas.Data.Select(w => w.Id));
        Assert.Equal([graceEuros.Id, adaPounds.Id, adaEuros.Id], all.Data.Select(w => w.Id));
        Assert.Equal([adaPounds.Id], paged.Data.Select(w => w.Id));
        Assert.True(paged.HasMore);
        Assert.All(all.Data, w => Assert.Equal(0, w.Balance));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wallet_for_a_customer_that_does_not_exist_is_404_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/wallets",
                    new { customer_id = "cus_00000000000000000000000000", currency = "EUR" }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
    }

    [Fact]
    public async Task A_wallet_id_that_does_not_exist_is_404_resource_missing()
    {
        using var client = await factory.CreatePlatformAsync();

        await (await client.GetAsync("/v1/wallets/wal_00000000000000000000000000")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
    }
}
