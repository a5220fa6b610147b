using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

public sealed class CreatePayinRequest
{
    /// <summary>The order to pay; or give order_group_id to pay a whole cart with one payin.</summary>
    public string? OrderId { get; set; }

    public string? OrderGroupId { get; set; }

    /// <summary>ADDON (card), BANKWIRE or WALLET.</summary>
    public PayinType? Type { get; set; }

    /// <summary>For WALLET: the buyer's wallet to debit.</summary>
    public string? WalletId { get; set; }
}

public sealed class CreatePayinRequestValidator : AbstractValidator<CreatePayinRequest>
{
    public CreatePayinRequestValidator()
    {
        RuleFor(r => r.OrderId).ValidId("ord").When(r => r.OrderGroupId is null);
        RuleFor(r => r.OrderGroupId).ValidId("grp").When(r => r.OrderId is null);
        RuleFor(r => r.OrderGroupId)
            .Null()
            .When(r => r.OrderId is not null)
            .WithMessage("Give order_id or order_group_id, not both.");
        RuleFor(r => r.Type).NotNull().IsInEnum();
        RuleFor(r => r.WalletId).ValidId("wal").When(r => r.Type == PayinType.Wallet);
        RuleFor(r => r.WalletId)
            .Null()
            .When(r => r.Type != PayinType.Wallet)
            .WithMessage("wallet_id is only for WALLET payins.");
    }
}

public sealed record BankwireInstructions(
    string Iban,
    string Bic,
    string Beneficiary,
    string Reference,
    long Amount,
    string Currency,
    DateTimeOffset ExpiresAt
);

public sealed record CardSummary(string Brand, string Last4, string Expiry);

/// <summary>What the buyer must do next, when the payin waits on them (a 3-D Secure challenge).</summary>
public sealed record NextAction(string Type, string Url);

/// <summary>Filters of <c>GET /v1/payins</c>: every attempt, failed ones with their failure reason.</summary>
public sealed class PayinListQuery : PageQuery, ICreatedRange
{
    /// <summary>Payins of this order (a cart's payin has order_group_id instead).</summary>
    [FromQuery(Name = "order_id")]
    public string? OrderId { get; set; }

    /// <summary>Payins of this cart.</summary>
    [FromQuery(Name = "order_group_id")]
    public string? OrderGroupId { get; set; }

    [FromQuery(Name = "status")]
    public PayinStatus? Status { get; set; }

    [FromQuery(Name = "type")]
    public PayinType? Type { get; set; }

    /// <summary>Created at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_gte")]
    public DateTimeOffset? CreatedGte { get; set; }

    /// <summary>Created before this instant (ISO 8601).</summary>
    [FromQuery(Name = "created_lt")]
    public DateTimeOffset? CreatedLt { get; set; }
}

public sealed class PayinListQueryValidator : AbstractValidator<PayinListQuery>
{
    public PayinListQueryValidator()
    {
        PageRules.Apply(this);
        RuleFor(q => q.OrderId).MaximumLength(64);
        RuleFor(q => q.OrderGroupId).MaximumLength(64);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Type).IsInEnum();
        CreatedRange.Rule(this);
    }
}

public sealed record PayinResponse(
    string Id,
    string? OrderId,
    string? OrderGroupId,
    string? WalletId,
    PayinPurpose Purpose,
    PayinType Type,
    PayinStatus Status,
    long Amount,
    string Currency,
    string DirectLink,
    BankwireInstructions? Bankwire,
    CardSummary? Card,
    NextAction? NextAction,
    string? FailureCode,
    string? FailureMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payin";
}

public sealed class CreatePayoutRequest
{
    public string? OrderId { get; set; }

    /// <summary>ACCOUNT (bank account) or WALLET.</summary>
    public PayoutType? Type { get; set; }

    /// <summary>For ACCOUNT: one of the seller's bank accounts.</summary>
    public string? BankaccountId { get; set; }

    /// <summary>For WALLET: the seller's wallet in the order's currency.</summary>
    public string? WalletId { get; set; }
}

public sealed class CreatePayoutRequestValidator : AbstractValidator<CreatePayoutRequest>
{
    public CreatePayoutRequestValidator()
    {
        RuleFor(r => r.OrderId).ValidId("ord");
        RuleFor(r => r.Type).NotNull().IsInEnum();
        RuleFor(r => r.BankaccountId).ValidId("ba").When(r => r.Type == PayoutType.Account);
        RuleFor(r => r.WalletId).ValidId("wal").When(r => r.Type == PayoutType.Wallet);
        RuleFor(r => r.BankaccountId)
            .Null()
            .When(r => r.Type == PayoutType.Wallet)
            .WithMessage("bankaccount_id is only for ACCOUNT payouts.");
        RuleFor(r => r.WalletId)
            .Null()
            .When(r => r.Type == PayoutType.Account)
            .WithMessage("wallet_id is only for WALLET payouts.");
    }
}

public sealed record PayoutResponse(
    string Id,
    string? OrderId,
    string CustomerId,
    PayoutType Type,
    PayoutStatus Status,
    long Amount,
    string Currency,
    string? BankaccountId,
    string? WalletId,
    string? SourceWalletId,
    string? FailureReason,
    DateTimeOffset? SettlesAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PaidAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payout";

    public static PayoutResponse From(Payout p) =>
        new(
            p.Id,
            p.OrderId,
            p.CustomerId,
            p.Type,
            p.Status,
            p.AmountMinor,
            p.Currency,
            p.BankAccountId,
            p.DestinationWalletId,
            p.SourceWalletId,
            p.FailureReason,
            p.SettlesAt,
            p.CreatedAt,
            p.UpdatedAt,
            p.PaidAt
        );
}

public sealed class CreateRefundRequest
{
    /// <summary>Minor units; defaults to everything the order still holds.</summary>
    public long? Amount { get; set; }

    public string? Reason { get; set; }

    /// <summary>After release only: whether the platform's fee wallet gives back the platform's part of the refund
    /// (else the platform's reserve pays that part).</summary>
    public bool? RefundFee { get; set; }
}

public sealed class CreateRefundRequestValidator : AbstractValidator<CreateRefundRequest>
{
    public CreateRefundRequestValidator()
    {
        RuleFor(r => r.Amount).InclusiveBetween(1, Domain.Money.MaxAmountMinor);
        RuleFor(r => r.Reason).MaximumLength(500);
    }
}

public sealed record RefundResponse(
    string Id,
    string? OrderId,
    string PayinId,
    PayinType Rail,
    RefundStatus Status,
    long Amount,
    string Currency,
    string? Reason,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "refund";

    public static RefundResponse From(Refund r) =>
        new(
            r.Id,
            r.OrderId,
            r.PayinId,
            r.Rail,
            r.Status,
            r.AmountMinor,
            r.Currency,
            r.Reason,
            r.FailureReason,
            r.CreatedAt,
            r.UpdatedAt
        );
}
