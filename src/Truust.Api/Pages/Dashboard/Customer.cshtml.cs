using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Domain.Customers;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// <c>/dashboard/customers/{id}</c>: who the customer is, their wallets with balances, their bank accounts (masked)
/// and their latest orders as buyer and as seller.
/// </summary>
public sealed class CustomerModel(CustomerService customers, DashboardReads reads, OrderSearch search)
    : DashboardPageModel
{
    public Customer Customer { get; private set; } = null!;

    public IReadOnlyList<WalletRow> Wallets { get; private set; } = [];

    public IReadOnlyList<BankAccountResponse> BankAccounts { get; private set; } = [];

    public OrderPage Bought { get; private set; } = new([], false, false);

    public OrderPage Sold { get; private set; } = new([], false, false);

    public async Task OnGetAsync(string id, CancellationToken ct)
    {
        Customer = await customers.FindAsync(Caller, id, ct);
        Wallets = (await reads.WalletsAsync(Caller, Customer.Id, null, ct)).Rows;
        BankAccounts = (
            await customers.ListBankAccountsAsync(Caller, Customer.Id, new PageQuery { Limit = PageQuery.MaxLimit }, ct)
        ).Data;
        Bought = await search.PageAsync(Caller, new OrderFilter(Buyer: Customer.Id), null, null, ct);
        Sold = await search.PageAsync(Caller, new OrderFilter(Seller: Customer.Id), null, null, ct);
        ViewData["Title"] = Customer.Name;
        ViewData["Section"] = "customers";
    }
}
