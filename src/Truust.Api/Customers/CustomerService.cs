using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Banking;
using Truust.Domain.Customers;

namespace Truust.Api.Customers;

/// <summary>Customers (buyers and sellers) and their bank accounts.</summary>
public sealed class CustomerService(TruustDbContext db,
    UnitOfWork unitOfWork, TimeProvider clock)
{
    public async Task<CustomerResponse> CreateAsync(Caller caller, CreateCustomerRequest request, CancellationToken ct)
    {
        var customer = new Customer(
            caller.RequirePlatform(),
            request.Name!,
            request.Email!,
            request.Type ?? CustomerType.Person,
            request.Metadata ?? new(),
            clock.GetUtcNow()
        );
        db.Customers.Add(customer);
        await unitOfWork.SaveAsync(ct);
        return CustomerResponse.From(customer);
    }

    /// <summary>The caller's customer, or 404, also when it exists but belongs to another platform.</summary>
    public async Task<Customer> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct);
        return customer is not null && caller.CanSee(customer.PlatformId)
            ? customer
            : throw new NotFoundException("customer", id);
    }

    public Task<Page<CustomerResponse>> ListAsync(Caller caller, PageQuery page, CancellationToken ct) =>
        Paging.PageAsync(
            db.Customers.Where(c => c.PlatformId == caller.RequirePlatform()),
            page,
            CustomerResponse.From,
            ct
        );

    public async Task<CustomerResponse> UpdateAsync(
        Caller caller,
        string id,
        UpdateCustomerRequest request,
        CancellationToken ct
    )
    {
        var customer = await FindAsync(caller, id, ct);
        customer.Update(request.Name, request.Email, request.Type, request.Metadata, clock.GetUtcNow());
        await unitOfWork.SaveAsync(ct);
        return CustomerResponse.From(customer);
    }

    public async Task<BankAccountResponse> AddBankAccountAsync(
        Caller caller,
        string customerId,
        CreateBankAccountRequest request,
        CancellationToken ct
    )
    {
        var customer = await FindAsync(caller, customerId, ct);
        var iban = Iban.Parse(request.Iban!);
        var account = new BankAccount(
            customer.PlatformId,
            customer.Id,
            request.HolderName!,
            iban,
            request.Bic?.ToUpperInvariant(),
            clock.GetUtcNow()
        );
        db.BankAccounts.Add(account);
        await unitOfWork.SaveAsync(ct);
        return BankAccountResponse.From(account, masked: false);
    }

    public async Task<Page<BankAccountResponse>> ListBankAccountsAsync(
        Caller caller,
        string customerId,
        PageQuery page,
        CancellationToken ct
    )
    {
        var customer = await FindAsync(caller, customerId, ct);
        return await Paging.PageAsync(
            db.BankAccounts.Where(a => a.CustomerId == customer.Id),
            page,
            a => BankAccountResponse.From(a, masked: true),
            ct
        );
    }

    public async Task<BankAccount> FindBankAccountAsync(Caller caller, string id, CancellationToken ct)
    {
        var account = await db.BankAccounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        return account is not null && caller.CanSee(account.PlatformId)
            ? account
            : throw new NotFoundException("bank_account", id);
    }
}
