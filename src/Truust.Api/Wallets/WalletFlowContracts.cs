using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

public sealed class CreateTopupRequest
{
    /// <summary>ADDON (card) or BANKWIRE.</summary>
    public PayinType? Type { get; set; }

    /// <example>5000</example>
    public long? Amount { get; set; }
}

public sealed class CreateTopupRequestValidator : AbstractValidator<CreateTopupRequest>
{
    public CreateTopupRequestValidator()
    {
        RuleFor(r => r.Type)
            .NotNull()
            .IsInEnum()
            .Must(t => t != PayinType.Wallet)
            .WithMessage("type must be ADDON or BANKWIRE.");
        RuleFor(r => r.Amount).ValidAmount();
    }
}

public sealed class CreateTransferRequest
{
    public string? FromWalletId { get; set; }

    public string? ToWalletId { get; set; }

    public long? Amount { get; set; }

    public string? Description { get; set; }
}

public sealed class CreateTransferRequestValidator : AbstractValidator<CreateTransferRequest>
{
    public CreateTransferRequestValidator()
    {
        RuleFor(r => r.FromWalletId).ValidId("wal");
        RuleFor(r => r.ToWalletId)
            .ValidId("wal")
            .NotEqual(r => r.FromWalletId)
            .WithMessage("to_wallet_id must differ from from_wallet_id.");
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Description).MaximumLength(500);
    }
}

public sealed class TransferLegRequest
{
    public string? FromWalletId { get; set; }

    public string? ToWalletId { get; set; }

    public long? Amount { get; set; }
}

public sealed class CreateTransferBatchRequest
{
    public const int MaxLegs = 1000;

    /// <summary>Up to 1,000 legs, applied all together or not at all.</summary>
    public List<TransferLegRequest>? Legs { get; set; }

    public string? Description { get; set; }
}

public sealed class CreateTransferBatchRequestValidator : AbstractValidator<CreateTransferBatchRequest>
{
    public CreateTransferBatchRequestValidator()
    {
        RuleFor(r => r.Legs)
            .NotEmpty()
            .Must(l => l is null || l.Count <= CreateTransferBatchRequest.MaxLegs)
            .WithMessage($"A batch has 1 to {CreateTransferBatchRequest.MaxLegs} legs.");
        // ChildRules passes over a null item, which the service would then dereference: a 500, not a 422.
        RuleForEach(r => r.Legs)
            .NotNull()
            .WithMessage("legs holds a null; each leg is an object.")
            .ChildRules(leg =>
            {
                leg.RuleFor(l => l.FromWalletId).ValidId("wal");
                leg.RuleFor(l => l.ToWalletId)
                    .ValidId("wal")
                    .NotEqual(l => l.FromWalletId)
                    .WithMessage("to_wallet_id must differ from from_wallet_id.");
                leg.RuleFor(l => l.Amount).ValidAmount();
            });
        RuleFor(r => r.Description).MaximumLength(500);
    }
}

public sealed record TransferResponse(
    string Id,
    string FromWalletId,
    string ToWalletId,
    long Amount,
    string Currency,
    string? Description,
    string? BatchId,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "transfer";

    public static TransferResponse From(WalletTransfer t) =>
        new(t.Id, t.FromWalletId, t.ToWalletId, t.AmountMinor, t.Currency, t.Description, t.BatchId, t.CreatedAt);
}

public sealed record TransferBatchResponse(string Id, int LegCount, IReadOnlyList<TransferResponse> Transfers)
{
    [JsonPropertyOrder(-1)]
    public string Object => "transfer_batch";
}

public sealed class CreateWithdrawalRequest
{
    public string? BankaccountId { get; set; }

    public long? Amount { get; set; }
}

public sealed class CreateWithdrawalRequestValidator : AbstractValidator<CreateWithdrawalRequest>
{
    public CreateWithdrawalRequestValidator()
    {
        RuleFor(r => r.BankaccountId).ValidId("ba");
        RuleFor(r => r.Amount).ValidAmount();
    }
}

/// <summary>One movement of a wallet, with the balance right after it.</summary>
public sealed record WalletTransactionResponse(
    string Id,
    TransferKind Kind,
    string Direction,
    long Amount,
    string Currency,
    string Counterpart,
    string Reference,
    string? OrderId,
    long BalanceAfter,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "wallet_transaction";
}

public sealed class CreateOrderGroupRequest
{
    public string? BuyerId { get; set; }

    /// <example>EUR</example>
    public string? Currency { get; set; }

    public string? BuyerConfirmedUrl { get; set; }

    public string? BuyerDeniedUrl { get; set; }

    /// <summary>One order per seller: seller_id, name, amount (and optional fee_amount, splits, metadata).</summary>
    public List<CreateOrderRequest>? Orders { get; set; }
}

public sealed class CreateOrderGroupRequestValidator : AbstractValidator<CreateOrderGroupRequest>
{
    public const int MaxOrders = 50;

    public CreateOrderGroupRequestValidator()
    {
        RuleFor(r => r.BuyerId).ValidId("cus");
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.BuyerConfirmedUrl).ValidUrl();
        RuleFor(r => r.BuyerDeniedUrl).ValidUrl();
        RuleFor(r => r.Orders)
            .NotEmpty()
            .Must(o => o is null || o.Count <= MaxOrders)
            .WithMessage($"A group has 1 to {MaxOrders} orders.");
        // ChildRules passes over a null item, which the service would then dereference: a 500, not a 422.
        RuleForEach(r => r.Orders)
            .NotNull()
            .WithMessage("orders holds a null; each order is an object.")
            .ChildRules(order =>
            {
                order.RuleFor(o => o.Name).NotEmpty().MaximumLength(200);
                order.RuleFor(o => o.Amount).ValidAmount();
                order.RuleFor(o => o.SellerId).ValidId("cus");
                order.RuleFor(o => o.FeeAmount).InclusiveBetween(0, Domain.Money.MaxAmountMinor);
                order.RuleFor(o => o.Metadata).ValidMetadata();
                order.RuleFor(o => o.BuyerId).Null().WithMessage("The group's buyer_id applies to every order.");
                order.RuleFor(o => o.Currency).Null().WithMessage("The group's currency applies to every order.");
                order.RuleFor(o => o.SellerConfirmedUrl).ValidUrl();
                order.RuleFor(o => o.SellerDeniedUrl).ValidUrl();
                order
                    .RuleFor(o => o.BuyerConfirmedUrl)
                    .Null()
                    .WithMessage("The group's buyer_confirmed_url applies to every order.");
                order
                    .RuleFor(o => o.BuyerDeniedUrl)
                    .Null()
                    .WithMessage("The group's buyer_denied_url applies to every order.");
                order
                    .RuleFor(o => o.Splits)
                    .Must(x => x is null || x.Count <= CreateOrderRequestValidator.MaxSplits)
                    .WithMessage($"An order takes at most {CreateOrderRequestValidator.MaxSplits} splits.");
            });
    }
}

public sealed record OrderGroupResponse(
    string Id,
    string BuyerId,
    string Currency,
    long Amount,
    IReadOnlyList<OrderResponse> Orders,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "order_group";
}

public sealed class FeeQuery
{
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "amount")]
    public long? Amount { get; set; }

    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "currency")]
    public string? Currency { get; set; }
}

public sealed class FeeQueryValidator : AbstractValidator<FeeQuery>
{
    public FeeQueryValidator()
    {
        RuleFor(q => q.Amount).ValidAmount();
        RuleFor(q => q.Currency).ValidCurrency();
    }
}

public sealed record FeeQuoteResponse(
    long Amount,
    string Currency,
    long Fee,
    long Net,
    long FeePercentBp,
    long FeeFixed
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "fee_quote";
}
