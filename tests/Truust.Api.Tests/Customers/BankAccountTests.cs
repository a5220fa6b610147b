using System.Net;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Customers;

public sealed class BankAccountTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_bank_account_is_stored_with_the_iban_normalised()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();

        var response = await client.PostJsonAsync(
            $"/v1/customers/{customer.Id}/bank_accounts",
            new
            {
                holder_name = "Ada Lovelace",
                iban = "es91 2100 0418 4502 0005 1332",
                bic = "caixesbbxxx",
            }
        );
        var account = await response.ReadAsync<BankAccountResponse>(HttpStatusCode.Created);

        Assert.StartsWith("ba_", account.Id);
        Assert.Equal($"/v1/bank_accounts/{account.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(TestIbans.Spain, account.Iban);
        Assert.Equal("CAIXESBBXXX", account.Bic);
        Assert.Equal(customer.Id, account.CustomerId);
        Assert.Equal(
            1,
            await factory.CountAsync("bank_accounts", $"id = '{account.Id}' AND iban = '{TestIbans.Spain}'")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Theory]
    [InlineData(TestIbans.Germany)]
    [InlineData(TestIbans.France)]
    [InlineData(TestIbans.Netherlands)]
    [InlineData(TestIbans.UnitedKingdom)]
    public async Task Valid_ibans_of_several_countries_are_accepted(string iban)
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();

        var account = await client.CreateBankAccountAsync(customer.Id, iban);

        Assert.Equal(iban, (await client.GetJsonAsync<BankAccountResponse>($"/v1/bank_accounts/{account.Id}")).Iban);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Bank_accounts_are_masked_in_lists_and_whole_when_fetched_by_id()
    {
        using var client = await factory.CreatePlatformAsync();
        var customer = await client.CreateCustomerAsync();
        var spanish = await client.CreateBankAccountAsync(customer.Id, TestIbans.Spain);
        await Task.Delay(3);
        var german = await client.CreateBankAccountAsync(customer.Id, TestIbans.Germany, "Ada L.");

        var listResponse = await client.GetAsync($"/v1/customers/{customer.Id}/bank_accounts");
        var listBody = await listResponse.Content.ReadAsStringAsync();
        var list = await listResponse.ReadAsync<Page<BankAccountResponse>>();
        var fetched = await client.GetJsonAsync<BankAccountResponse>($"/v1/bank_accounts/{spanish.Id}");

        Assert.Equal([german.Id, spanish.Id], list.Data.Select(a => a.Id));
        Assert.Equal(["DE89**************3000", "ES91****************1332"], list.Data.Select(a => a.Iban));
        Assert.DoesNotContain(TestIbans.Spain, listBody);
        Assert.DoesNotContain(TestIbans.Germany, listBody);
        Assert.Equal(TestIbans.Spain, fetched.Iban);
        Assert.Equal("Ada Lovelace", fetched.HolderName);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Bank_accounts_are_listed_per_customer()
    {
        using var client = await factory.CreatePlatformAsync();
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var adas = await client.CreateBankAccountAsync(ada.Id);
        await client.CreateBankAccountAsync(grace.Id, TestIbans.Germany);

        var list = await client.GetJsonAsync<Page<BankAccountResponse>>($"/v1/customers/{ada.Id}/bank_accounts");

        Assert.Equal([adas.Id], list.Data.Select(a => a.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_bank_account_for_a_customer_that_does_not_exist_is_404_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/customers/cus_00000000000000000000000000/bank_accounts",
                    new { holder_name = "Ada", iban = TestIbans.Spain }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
    }
}
