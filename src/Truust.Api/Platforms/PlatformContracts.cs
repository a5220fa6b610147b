using System.Text.Json.Serialization;
using FluentValidation;
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
}

public sealed class UpdatePlatformRequestValidator : AbstractValidator<UpdatePlatformRequest>
{
    public UpdatePlatformRequestValidator()
    {
        RuleFor(r => r.FeePercentBp).InclusiveBetween(0, 10_000);
        RuleFor(r => r.FeeFixed).InclusiveBetween(0, Domain.Money.MaxAmountMinor);
    }
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
    DateTimeOffset CreatedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "platform";

    public static PlatformResponse From(Platform p) => new(p.Id, p.Name, p.FeePercentBp, p.FeeFixedMinor, p.CreatedAt);
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
