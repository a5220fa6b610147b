using System.Text.Json.Serialization;
using FluentValidation;
using Truust.Api.Http;

namespace Truust.Api.Sandbox;

/// <summary>Card details for the sandbox card gateway. Only brand, last four and expiry are ever kept.</summary>
public sealed class SandboxCardRequest
{
    /// <example>4242424242424242</example>
    public string? Number { get; set; }

    /// <example>12</example>
    public int? ExpMonth { get; set; }

    /// <example>2030</example>
    public int? ExpYear { get; set; }

    /// <example>123</example>
    public string? Cvc { get; set; }

    public string? HolderName { get; set; }
}

public sealed class SandboxCardRequestValidator : AbstractValidator<SandboxCardRequest>
{
    public SandboxCardRequestValidator()
    {
        RuleFor(r => r.Number).NotEmpty().Matches("^[0-9 ]{12,23}$").WithMessage("number must be 12–19 digits.");
        RuleFor(r => r.ExpMonth).NotNull().InclusiveBetween(1, 12);
        RuleFor(r => r.ExpYear).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(r => r.Cvc).NotEmpty().Matches("^[0-9]{3,4}$").WithMessage("cvc must be 3 or 4 digits.");
        RuleFor(r => r.HolderName).MaximumLength(200);
    }
}

public sealed class SandboxChallengeRequest
{
    /// <summary>true: the buyer passes 3-D Secure; false: they fail it.</summary>
    public bool? Authenticated { get; set; }
}

public sealed class SandboxChallengeRequestValidator : AbstractValidator<SandboxChallengeRequest>
{
    public SandboxChallengeRequestValidator() => RuleFor(r => r.Authenticated).NotNull();
}

/// <summary>A wire arriving on Truust's escrow account.</summary>
public sealed class SandboxBankwireRequest
{
    /// <summary>The reference the buyer wrote on the wire (from the payin's instructions).</summary>
    public string? Reference { get; set; }

    public long? Amount { get; set; }

    public string? Currency { get; set; }

    /// <summary>The account the wire came from; a refund goes back there.</summary>
    /// <example>DE89370400440532013000</example>
    public string? SenderIban { get; set; }
}

public sealed class SandboxBankwireRequestValidator : AbstractValidator<SandboxBankwireRequest>
{
    public SandboxBankwireRequestValidator()
    {
        RuleFor(r => r.Reference).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.SenderIban).NotEmpty().MaximumLength(64);
    }
}

public sealed class SandboxPayoutFailRequest
{
    public string? Reason { get; set; }
}

public sealed class SandboxPayoutFailRequestValidator : AbstractValidator<SandboxPayoutFailRequest>
{
    public SandboxPayoutFailRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}

public sealed record IncomingWireResponse(
    string Id,
    string Reference,
    long Amount,
    string Currency,
    string Status,
    string? PayinId,
    DateTimeOffset ReceivedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "incoming_wire";
}

/// <summary>How far to move a platform's sandbox clock forward: exactly one of seconds, hours or days.</summary>
public sealed class SandboxClockAdvanceRequest
{
    /// <example>3600</example>
    public long? Seconds { get; set; }

    /// <example>72</example>
    public long? Hours { get; set; }

    /// <example>31</example>
    public long? Days { get; set; }

    /// <summary>The advance in seconds (after validation: exactly one unit is set, and it is in range). Not part of
    /// the request body: in the document, a client (or the hostile-input test) would send it and see it ignored.
    /// </summary>
    [JsonIgnore]
    public long TotalSeconds => Seconds ?? (Hours is { } h ? h * 3600 : Days!.Value * 86_400);
}

public sealed class SandboxClockAdvanceRequestValidator : AbstractValidator<SandboxClockAdvanceRequest>
{
    private const long MaxSeconds = Domain.Platforms.Platform.MaxClockAdvanceSeconds;

    public SandboxClockAdvanceRequestValidator()
    {
        RuleFor(r => r)
            .Must(r => new[] { r.Seconds, r.Hours, r.Days }.Count(v => v is not null) == 1)
            .WithName("seconds")
            .OverridePropertyName("seconds")
            .WithMessage("Give exactly one of seconds, hours or days.");
        RuleFor(r => r.Seconds).InclusiveBetween(1, MaxSeconds);
        RuleFor(r => r.Hours).InclusiveBetween(1, MaxSeconds / 3600);
        RuleFor(r => r.Days).InclusiveBetween(1, MaxSeconds / 86_400);
    }
}

/// <summary>A platform's sandbox clock: its now is real time plus <c>offset_seconds</c>.</summary>
public sealed record SandboxClockResponse(
    string PlatformId,
    DateTimeOffset Now,
    DateTimeOffset RealNow,
    long OffsetSeconds
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "sandbox_clock";
}
