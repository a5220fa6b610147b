using System.Net;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Authentication;

/// <summary>
/// A platform sees only its own objects, and another platform's id answers exactly as an id that does not exist
/// (404 resource_missing), so a platform cannot even learn that the object is there.
/// </summary>
public sealed class PlatformIsolationTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    public static TheoryData<string> ReadRoutes =>
        [
            "/v1/customers/{customer}",
            "/v1/customers/{customer}/bank_accounts",
            "/v1/bank_accounts/{bank_account}",
            "/v1/wallets/{wallet}",
        ];

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task Another_platform_object_is_404_resource_missing_like_an_id_that_does_not_exist(string route)
    {
        var (owner, other, ids) = await TwoPlatformsAsync();

        var foreign = await (await other.Client.GetAsync(Fill(route, ids))).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        var missing = await (await other.Client.GetAsync(Fill(route, Missing))).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );

        Assert.Equal(missing.Title, foreign.Title);
        Assert.Equal(missing.Body.GetProperty("type").GetString(), foreign.Body.GetProperty("type").GetString());
        // The positive space: the owner reads the very same object.
        await (await owner.Client.GetAsync(Fill(route, ids))).ReadJsonAsync();
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Another_platform_cannot_update_a_customer()
    {
        var (owner, other, ids) = await TwoPlatformsAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await other.Client.PatchJsonAsync($"/v1/customers/{ids.Customer}", new { name = "Mallory" })
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );

        var customer = await owner.Client.GetJsonAsync<CustomerResponse>($"/v1/customers/{ids.Customer}");
        Assert.Equal("Ada Lovelace", customer.Name);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Another_platform_cannot_add_a_bank_account_to_a_customer()
    {
        var (_, other, ids) = await TwoPlatformsAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await other.Client.PostJsonAsync(
                    $"/v1/customers/{ids.Customer}/bank_accounts",
                    new { holder_name = "Mallory", iban = TestIbans.Germany }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Another_platform_cannot_open_a_wallet_for_a_customer()
    {
        var (_, other, ids) = await TwoPlatformsAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await other.Client.PostJsonAsync("/v1/wallets", new { customer_id = ids.Customer, currency = "USD" })
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Lists_show_only_the_calling_platform_objects()
    {
        var (owner, other, ids) = await TwoPlatformsAsync();
        var otherCustomer = await other.Client.CreateCustomerAsync("Other customer");
        var otherWallet = await other.Client.CreateWalletAsync(otherCustomer.Id);

        var otherCustomers = await other.Client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers?limit=100");
        var otherWallets = await other.Client.GetJsonAsync<Page<WalletResponse>>("/v1/wallets?limit=100");
        var foreignFilter = await other.Client.GetJsonAsync<Page<WalletResponse>>(
            $"/v1/wallets?customer_id={ids.Customer}"
        );
        var ownerCustomers = await owner.Client.GetJsonAsync<Page<CustomerResponse>>("/v1/customers?limit=100");

        Assert.Equal([otherCustomer.Id], otherCustomers.Data.Select(c => c.Id));
        Assert.Equal([otherWallet.Id], otherWallets.Data.Select(w => w.Id));
        Assert.Empty(foreignFilter.Data);
        Assert.Equal([ids.Customer], ownerCustomers.Data.Select(c => c.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    private static readonly Ids Missing = new(
        "cus_0000000000000000000000000a",
        "ba_0000000000000000000000000a",
        "wal_0000000000000000000000000a"
    );

    private static string Fill(string route, Ids ids) =>
        route
            .Replace("{customer}", ids.Customer)
            .Replace("{bank_account}", ids.BankAccount)
            .Replace("{wallet}", ids.Wallet);

    private async Task<(TestPlatform Owner, TestPlatform Other, Ids Ids)> TwoPlatformsAsync()
    {
        var owner = await factory.CreateTestPlatformAsync("Owner");
        var other = await factory.CreateTestPlatformAsync("Other");
        var customer = await owner.Client.CreateCustomerAsync("Ada Lovelace");
        var account = await owner.Client.CreateBankAccountAsync(customer.Id);
        var wallet = await owner.Client.CreateWalletAsync(customer.Id);
        return (owner, other, new Ids(customer.Id, account.Id, wallet.Id));
    }

    private sealed record Ids(string Customer, string BankAccount, string Wallet);
}
