using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Api.Http;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

public sealed class CreateWalletRequest
{
    /// <example>cus_01jd9x3k5t7v9w2y4z6b8c0d2f</example>
    public string? CustomerId { get; set; }

    /// <example>EUR</example>
    public string? Currency { get; set; }
}

public sealed class CreateWalletRequestValidator : AbstractValidator<CreateWalletRequest>
{
    public CreateWalletRequestValidator()
    {
        RuleFor(r => r.CustomerId).ValidId("cus");
        RuleFor(r => r.Currency).ValidCurrency();
    }
}

public sealed class WalletListQuery : PageQuery
{
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "customer_id")]
    public string? CustomerId { get; set; }
}

public sealed class WalletListQueryValidator : AbstractValidator<WalletListQuery>
{
    public WalletListQueryValidator() => PageRules.Apply(this);
}

/// <summary>A wallet and its balance in minor units.</summary>
public sealed record WalletResponse(
    string Id,
    string? CustomerId,
    string Currency,
    long Balance,
    WalletKind Kind,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "wallet";

    public static WalletResponse From(Wallet w) =>
        new(w.Id, w.CustomerId, w.Currency, w.BalanceMinor, w.Kind, w.CreatedAt);
}
