using Microsoft.Extensions.Options;
using Truust.Api.Persistence;

namespace Truust.Api;

/// <summary>A setting that cannot be used, found while the host is built; its message names the setting.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);

/// <summary>The reasons a start fails that the operator fixes in the configuration: said in one line, no stack
/// trace.</summary>
public static class StartFailure
{
    public static string? Reason(Exception e) =>
        e switch
        {
            OptionsValidationException invalid => string.Join(" ", invalid.Failures),
            InvalidSettingException or LocalPostgresUnavailableException => e.Message,
            AggregateException all when all.InnerExceptions.All(i => Reason(i) is not null) => string.Join(
                " ",
                all.InnerExceptions.Select(i => Reason(i))
            ),
            _ => null,
        };
}
