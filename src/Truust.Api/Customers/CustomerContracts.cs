using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Api.Http;
using Truust.Domain.Customers;

namespace Truust.Api.Customers;

public sealed class CreateCustomerRequest
{
    /// <example>Ada Lovelace</example>
    public string? Name { get; set; }

    /// <example>ada@example.com</example>
    public string? Email { get; set; }

    /// <summary>PERSON (default) or COMPANY.</summary>
    public CustomerType? Type { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class CreateCustomerRequestValidator : AbstractValidator<CreateCustomerRequest>
{
    public CreateCustomerRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.Type).IsInEnum();
        RuleFor(r => r.Metadata).ValidMetadata();
    }
}

public sealed class UpdateCustomerRequest
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public CustomerType? Type { get; set; }

    /// <summary>Replaces the whole metadata object when present.</summary>
    public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class UpdateCustomerRequestValidator : AbstractValidator<UpdateCustomerRequest>
{
    public UpdateCustomerRequestValidator()
    {
        RuleFor(r => r.Name).MinimumLength(1).MaximumLength(200);
        RuleFor(r => r.Email).MaximumLength(254).EmailAddress();
        RuleFor(r => r.Type).IsInEnum();
        RuleFor(r => r.Metadata).ValidMetadata();
    }
}

public sealed record CustomerResponse(
    string Id,
    string Name,
    string Email,
    CustomerType Type,
    Dictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "customer";

    public static CustomerResponse From(Customer c) =>
        new(c.Id, c.Name, c.Email, c.Type, c.Metadata, c.CreatedAt, c.UpdatedAt);
}

public sealed class CreateBankAccountRequest
{
    /// <example>Ada Lovelace</example>
    public string? HolderName { get; set; }

    /// <summary>Spaces and lower case are accepted; it is stored normalised.</summary>
    /// <example>ES91 2100 0418 4502 0005 1332</example>
    public string? Iban { get; set; }

    /// <example>CAIXESBBXXX</example>
    public string? Bic { get; set; }
}

public sealed class CreateBankAccountRequestValidator : AbstractValidator<CreateBankAccountRequest>
{
    public CreateBankAccountRequestValidator()
    {
        RuleFor(r => r.HolderName).NotEmpty().MaximumLength(200);
        // The IBAN's own checks (country length, mod-97) run in the domain and answer 422 invalid_iban.
        RuleFor(r => r.Iban).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Bic)
            .Matches("^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$")
            .WithMessage("bic must be 8 or 11 letters and digits (ISO 9362).");
    }
}

/// <summary>A bank account. <c>iban</c> is masked in lists and shown whole only when fetched by id.</summary>
public sealed record BankAccountResponse(
    string Id,
    string CustomerId,
    string HolderName,
    string Iban,
    string? Bic,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "bank_account";

    public static BankAccountResponse From(BankAccount a, bool masked) =>
        new(
            a.Id,
            a.CustomerId,
            a.HolderName,
            masked ? Domain.Banking.Iban.Parse(a.Iban).Masked : a.Iban,
            a.Bic?.ToUpperInvariant(),
            a.CreatedAt
        );
}
