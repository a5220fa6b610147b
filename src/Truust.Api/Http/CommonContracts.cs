using FluentValidation;

namespace Truust.Api.Http;

public static class CommonRules
{
    public const int MaxMetadataKeys = 50;

    /// <summary>Metadata: up to 50 keys of at most 40 characters, values of at most 500.</summary>
    public static IRuleBuilderOptions<T, Dictionary<string, string>?> ValidMetadata<T>(
        this IRuleBuilder<T, Dictionary<string, string>?> rule
    ) =>
        rule.Must(m =>
                m is null
                || (
                    m.Count <= MaxMetadataKeys
                    && m.All(p => p.Key.Length is > 0 and <= 40 && p.Value is { Length: <= 500 })
                )
            )
            .WithMessage(
                $"metadata takes at most {MaxMetadataKeys} keys of 1–40 characters with values of at most 500."
            );

    public static IRuleBuilderOptions<T, string?> ValidCurrency<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .Must(Domain.Currency.IsKnown)
            .WithMessage($"currency must be one of {string.Join(", ", Domain.Currency.Codes)}.");

    public static IRuleBuilderOptions<T, long?> ValidAmount<T>(this IRuleBuilder<T, long?> rule) =>
        rule.NotNull()
            .InclusiveBetween(1, Domain.Money.MaxAmountMinor)
            .WithMessage(
                $"{{PropertyName}} must be an integer number of minor units between 1 and {Domain.Money.MaxAmountMinor}."
            );

    public static IRuleBuilderOptions<T, string?> ValidUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2000)
            .Must(u =>
                u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            )
            .WithMessage("{PropertyName} must be an absolute http(s) URL.");

    public static IRuleBuilderOptions<T, string?> ValidId<T>(this IRuleBuilder<T, string?> rule, string prefix) =>
        rule.NotEmpty()
            .MaximumLength(64)
            .Must(id => id is null || id.StartsWith(prefix + "_", StringComparison.Ordinal))
            .WithMessage($"{{PropertyName}} must be an id starting with '{prefix}_'.");
}

/// <summary>An amount of money on the wire: minor units and a currency.</summary>
public sealed record MoneyDto(long Amount, string Currency);
