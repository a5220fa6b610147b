using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;

namespace Truust.Api.Campaigns;

public sealed class CreateCampaignRequest
{
    /// <example>Solar roofs for the village school</example>
    public string? Name { get; set; }

    /// <summary>DONATION or REWARD (crowdfunding), LOAN (crowdlending).</summary>
    public CampaignKind? Kind { get; set; }

    /// <summary>The project owner, or the borrower.</summary>
    public string? OwnerId { get; set; }

    /// <example>500000</example>
    public long? TargetAmount { get; set; }

    /// <example>EUR</example>
    public string? Currency { get; set; }

    public DateTimeOffset? Deadline { get; set; }

    /// <summary>ALL_OR_NOTHING (default) or KEEP_IT_ALL.</summary>
    public CampaignMode? Mode { get; set; }

    public long? MinContribution { get; set; }

    public long? MaxContribution { get; set; }

    public long? HardCap { get; set; }

    /// <summary>Pay the owner to this bank account of theirs at release (else to their wallet).</summary>
    public string? PayoutBankaccountId { get; set; }

    /// <summary>LOAN only: yearly interest in basis points (500 = 5 %).</summary>
    public long? AnnualInterestBp { get; set; }

    /// <summary>LOAN only: number of monthly instalments (1–360).</summary>
    public int? TermMonths { get; set; }
}

public sealed class CreateCampaignRequestValidator : AbstractValidator<CreateCampaignRequest>
{
    public CreateCampaignRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Kind).NotNull().IsInEnum();
        RuleFor(r => r.Mode).IsInEnum();
        RuleFor(r => r.OwnerId).ValidId("cus");
        RuleFor(r => r.TargetAmount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.Deadline).NotNull();
        RuleFor(r => r.MinContribution).InclusiveBetween(1, Domain.Money.MaxAmountMinor);
        RuleFor(r => r.MaxContribution)
            .InclusiveBetween(1, Domain.Money.MaxAmountMinor)
            .GreaterThanOrEqualTo(r => r.MinContribution)
            .When(r => r.MinContribution is not null);
        RuleFor(r => r.HardCap)
            .InclusiveBetween(1, Domain.Money.MaxAmountMinor)
            .GreaterThanOrEqualTo(r => r.TargetAmount)
            .When(r => r.TargetAmount is not null)
            .WithMessage("hard_cap must be at least target_amount.");
        RuleFor(r => r.PayoutBankaccountId).ValidId("ba").When(r => r.PayoutBankaccountId is not null);
        RuleFor(r => r.AnnualInterestBp).NotNull().InclusiveBetween(0, 10_000).When(r => r.Kind == CampaignKind.Loan);
        RuleFor(r => r.TermMonths).NotNull().InclusiveBetween(1, 360).When(r => r.Kind == CampaignKind.Loan);
        RuleFor(r => r.AnnualInterestBp)
            .Null()
            .When(r => r.Kind != CampaignKind.Loan)
            .WithMessage("annual_interest_bp is for LOAN campaigns only.");
        RuleFor(r => r.TermMonths)
            .Null()
            .When(r => r.Kind != CampaignKind.Loan)
            .WithMessage("term_months is for LOAN campaigns only.");
        RuleFor(r => r.Mode)
            .Must(m => m != CampaignMode.KeepItAll)
            .When(r => r.Kind == CampaignKind.Loan)
            .WithMessage("A LOAN is ALL_OR_NOTHING: a borrower cannot keep part of a loan.");
    }
}

public sealed class CampaignListQuery : PageQuery
{
    [FromQuery(Name = "status")]
    public CampaignStatus? Status { get; set; }
}

public sealed class CampaignListQueryValidator : AbstractValidator<CampaignListQuery>
{
    public CampaignListQueryValidator() => PageRules.Apply(this);
}

public sealed record CampaignResponse(
    string Id,
    string Name,
    CampaignKind Kind,
    CampaignMode Mode,
    CampaignStatus Status,
    string OwnerId,
    long TargetAmount,
    string Currency,
    long Raised,
    long Pending,
    DateTimeOffset Deadline,
    long? MinContribution,
    long? MaxContribution,
    long? HardCap,
    long? FeeAmount,
    long? AnnualInterestBp,
    int? TermMonths,
    string? PayoutBankaccountId,
    string ContributionLink,
    IReadOnlyList<string> AllowedActions,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "campaign";
}

/// <summary>One step of a campaign's status history (the same shape as an order's).</summary>
public sealed record CampaignStatusChangeResponse(
    string Id,
    CampaignStatus From,
    CampaignStatus To,
    string Action,
    CampaignActor Actor,
    string? Reason,
    DateTimeOffset At
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "campaign_status_change";

    public static CampaignStatusChangeResponse Of(CampaignStatusChange c) =>
        new(c.Id, c.From, c.To, WireName.Action(c.Trigger), c.Actor, c.Reason, c.At);
}

public sealed class CreateContributionRequest
{
    public string? ContributorId { get; set; }

    public long? Amount { get; set; }

    /// <summary>ADDON (card), BANKWIRE or WALLET.</summary>
    public PayinType? Type { get; set; }

    /// <summary>For WALLET: the contributor's wallet.</summary>
    public string? WalletId { get; set; }
}

public sealed class CreateContributionRequestValidator : AbstractValidator<CreateContributionRequest>
{
    public CreateContributionRequestValidator()
    {
        RuleFor(r => r.ContributorId).ValidId("cus");
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Type).NotNull().IsInEnum();
        RuleFor(r => r.WalletId).ValidId("wal").When(r => r.Type == PayinType.Wallet);
        RuleFor(r => r.WalletId)
            .Null()
            .When(r => r.Type != PayinType.Wallet)
            .WithMessage("wallet_id is only for WALLET.");
    }
}

public sealed record ContributionResponse(
    string Id,
    string CampaignId,
    string ContributorId,
    long Amount,
    string Currency,
    ContributionStatus Status,
    string? RefundId,
    PayinResponse? Payin,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "contribution";
}

public sealed record CampaignRefundReport(
    string CampaignId,
    int Contributions,
    int Refunds,
    int Succeeded,
    int Pending,
    int Failed,
    long RefundedAmount,
    IReadOnlyList<RefundResponse> Data
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "refund_report";
}

public sealed class CreateRepaymentRequest
{
    /// <summary>Minor units; defaults to what is due on the next unpaid instalment.</summary>
    public long? Amount { get; set; }
}

public sealed class CreateRepaymentRequestValidator : AbstractValidator<CreateRepaymentRequest>
{
    public CreateRepaymentRequestValidator() => RuleFor(r => r.Amount).InclusiveBetween(1, Domain.Money.MaxAmountMinor);
}

public sealed record LenderShare(string LenderId, string WalletId, long Principal, long Interest);

public sealed record RepaymentResponse(
    string Id,
    string CampaignId,
    long Amount,
    long Principal,
    long Interest,
    IReadOnlyList<LenderShare> Lenders,
    CampaignStatus CampaignStatus,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "repayment";
}

public sealed record InstalmentResponse(
    int Number,
    DateTimeOffset DueAt,
    long Principal,
    long Interest,
    long PaidPrincipal,
    long PaidInterest,
    long Due,
    string Status
);

public sealed record ScheduleResponse(
    string CampaignId,
    long Principal,
    long TotalInterest,
    long Paid,
    long Outstanding,
    IReadOnlyList<InstalmentResponse> Instalments
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "loan_schedule";
}
