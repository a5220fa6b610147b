using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Customers;

/// <summary>Buyers and sellers, and their bank accounts.</summary>
[Route("v1")]
public sealed class CustomersController(CustomerService customers) : ApiControllerBase
{
    /// <summary>Creates a customer.</summary>
    [HttpPost("customers")]
    [ProducesResponseType<CustomerResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Create(CreateCustomerRequest request, CancellationToken ct)
    {
        var customer = await customers.CreateAsync(Caller, request, ct);
        return Created($"/v1/customers/{customer.Id}", customer);
    }

    /// <summary>Gets a customer. Another platform's customer is a 404.</summary>
    [HttpGet("customers/{id}")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<CustomerResponse> Get(string id, CancellationToken ct) =>
        CustomerResponse.From(await customers.FindAsync(Caller, id, ct));

    /// <summary>Lists customers, newest first.</summary>
    [HttpGet("customers")]
    public Task<Page<CustomerResponse>> List([FromQuery] PageQuery page, CancellationToken ct) =>
        customers.ListAsync(Caller, page, ct);

    /// <summary>Updates the fields given; absent fields stay as they are.</summary>
    [HttpPatch("customers/{id}")]
    public Task<CustomerResponse> Update(string id, UpdateCustomerRequest request, CancellationToken ct) =>
        customers.UpdateAsync(Caller, id, request, ct);

    /// <summary>Adds a bank account. The IBAN is checked (country length, mod-97) and stored normalised.</summary>
    [HttpPost("customers/{id}/bank_accounts")]
    [ProducesResponseType<BankAccountResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> AddBankAccount(string id, CreateBankAccountRequest request, CancellationToken ct)
    {
        var account = await customers.AddBankAccountAsync(Caller, id, request, ct);
        return Created($"/v1/bank_accounts/{account.Id}", account);
    }

    /// <summary>Lists a customer's bank accounts, IBANs masked.</summary>
    [HttpGet("customers/{id}/bank_accounts")]
    public Task<Page<BankAccountResponse>> ListBankAccounts(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => customers.ListBankAccountsAsync(Caller, id, page, ct);

    /// <summary>Gets a bank account with its whole IBAN.</summary>
    [HttpGet("bank_accounts/{id}")]
    public async Task<BankAccountResponse> GetBankAccount(string id, CancellationToken ct) =>
        BankAccountResponse.From(await customers.FindBankAccountAsync(Caller, id, ct), masked: false);
}
