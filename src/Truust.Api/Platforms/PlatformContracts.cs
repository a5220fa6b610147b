using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Domain.Orders;
using Truust.Domain.Platforms;

namespace Truust.Api.Platforms;

public sealed class CreatePlatformRequest
{
    /// <example>Acme Marketplace</example>
    public string? Name { get; set; }

    /// <summary>Default fee in basis points of the order amount (250 = 2.5 %).</summary>
    /// <example>250</example>
    public long? FeePercentBp { get; set; }

    /// <summary>Default fixed fee in minor units; the higher of the two applies.</summary>
    /// <example>100</example>
    public long? FeeFixed { get; set; }
}

public sealed class CreatePlatformRequestValidator : AbstractValidator<CreatePlatformRequest>
{
    public CreatePlatformRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.FeePercentBp).InclusiveBetween(0, 10_000);
        RuleFor(r => r.FeeFixed).InclusiveBetween(0, Domain.Money.MaxAmountMinor);
    }
}

public sealed class UpdatePlatformRequest
{
    public long? FeePercentBp { get; set; }

    public long? FeeFixed { get; set; }

    /// <summary>The release policy new orders take by default; omitted fields keep their value.</summary>
    public ReleasePolicyRequest? ReleasePolicy { get; set; }

    /// <summary>The rolling reserve: the share of each seller's release kept back in the platform's reserve, freed
    /// to the seller after the days pass. A share of 0 turns it off.</summary>
    public RollingReserveRequest? RollingReserve { get; set; }
}

public sealed class RollingReserveRequest
{
    /// <summary>Basis points of the seller's part of each release (0 to 5000).</summary>
    /// <example>1000</example>
    public int? ShareBp { get; set; }

    /// <summary>Days each hold is kept, by the platform's clock (1 to 366).</summary>
    /// <example>30</example>
    public int? Days { get; set; }
}

public sealed class RollingReserveRequestValidator : AbstractValidator<RollingReserveRequest>
{
    public RollingReserveRequestValidator()
    {
        RuleFor(r => r.ShareBp).NotNull().InclusiveBetween(0, Platform.MaxRollingReserveBp);
        RuleFor(r => r.Days).InclusiveBetween(1, Platform.MaxRollingReserveDays);
        RuleFor(r => r.Days).NotNull().When(r => r.ShareBp > 0);
    }
}

public sealed class UpdatePlatformRequestValidator : AbstractValidator<UpdatePlatformRequest>
{
    public UpdatePlatformRequestValidator()
    {
        RuleFor(r => r.FeePercentBp).InclusiveBetween(0, 10_000);
        RuleFor(r => r.FeeFixed).InclusiveBetween(0, Domain.Money.MaxAmountMinor);
        RuleFor(r => r.ReleasePolicy!)
            .SetValidator(new ReleasePolicyRequestValidator())
            .When(r => r.ReleasePolicy is not null);
        RuleFor(r => r.RollingReserve!)
            .SetValidator(new RollingReserveRequestValidator())
            .When(r => r.RollingReserve is not null);
    }
}

/// <summary>
/// When an order's money may go to the seller without the platform saying so, and how disputes are timed. Every
/// field is optional: an omitted one keeps the current (or the platform's) value.
/// </summary>
public sealed class ReleasePolicyRequest
{
    /// <summary>Hours the buyer has to inspect the goods once delivered (0 to 8760).</summary>
    /// <example>72</example>
    public int? InspectionHours { get; set; }

    /// <summary>Whether the inspection window's end validates the order by itself (actor <c>system</c>).</summary>
    /// <example>true</example>
    public bool? AutoValidate { get; set; }

    /// <summary>Hours the seller has to answer a dispute (1 to 8760).</summary>
    /// <example>72</example>
    public int? SellerResponseHours { get; set; }

    /// <summary>Hours the buyer has to answer the seller (1 to 8760).</summary>
    /// <example>72</example>
    public int? BuyerResponseHours { get; set; }

    /// <summary>Who wins when the party a dispute waits for stays silent: COUNTERPARTY (the silent one loses),
    /// BUYER or SELLER.</summary>
    public SilenceWinner? SilenceWinner { get; set; }

    public ReleasePolicy ApplyTo(ReleasePolicy current) =>
        current.With(InspectionHours, AutoValidate, SellerResponseHours, BuyerResponseHours, SilenceWinner);
}

public sealed class ReleasePolicyRequestValidator : AbstractValidator<ReleasePolicyRequest>
{
    public ReleasePolicyRequestValidator()
    {
        RuleFor(r => r.InspectionHours).InclusiveBetween(0, ReleasePolicy.MaxHours);
        RuleFor(r => r.SellerResponseHours).InclusiveBetween(1, ReleasePolicy.MaxHours);
        RuleFor(r => r.BuyerResponseHours).InclusiveBetween(1, ReleasePolicy.MaxHours);
        RuleFor(r => r.SilenceWinner).IsInEnum();
    }
}

public sealed record ReleasePolicyResponse(
    int InspectionHours,
    bool AutoValidate,
    int SellerResponseHours,
    int BuyerResponseHours,
    SilenceWinner SilenceWinner
)
{
    public static ReleasePolicyResponse From(ReleasePolicy p) =>
        new(p.InspectionHours, p.AutoValidate, p.SellerResponseHours, p.BuyerResponseHours, p.SilenceWinner);
}

public sealed class CreateApiKeyRequest
{
    public string? Label { get; set; }

    /// <summary><c>test</c> (default, <c>sk_test_...</c>) or <c>live</c> (<c>sk_live_...</c>, refused by the
    /// sandbox helpers).</summary>
    /// <example>test</example>
    public string? Mode { get; set; }
}

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator()
    {
        RuleFor(r => r.Label).MaximumLength(100);
        RuleFor(r => r.Mode).Must(m => m is null or "test" or "live").WithMessage("mode is 'test' or 'live'.");
    }
}

public sealed record PlatformResponse(
    string Id,
    string Name,
    long FeePercentBp,
    long FeeFixed,
    ReleasePolicyResponse ReleasePolicy,
    RollingReserveResponse RollingReserve,
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "platform";

    public static PlatformResponse From(Platform p) =>
        new(
            p.Id,
            p.Name,
            p.FeePercentBp,
            p.FeeFixedMinor,
            ReleasePolicyResponse.From(p.ReleasePolicy),
            new RollingReserveResponse(p.RollingReserveBp, p.RollingReserveDays),
            p.CreatedAt
        );
}

/// <summary>An API key. <c>secret</c> is present only in the response that created it.</summary>
public sealed record ApiKeyResponse(
    string Id,
    string PlatformId,
    string Prefix,
    string Mode,
    string? Label,
    string? Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "api_key";

    public static ApiKeyResponse From(ApiKey k, string? secret = null) =>
        new(k.Id, k.PlatformId, k.Prefix, k.IsLive ? "live" : "test", k.Label, secret, k.CreatedAt, k.RevokedAt);
}

public sealed record CreatedPlatformResponse(PlatformResponse Platform, ApiKeyResponse ApiKey);
