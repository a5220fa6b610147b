using System.Security.Claims;

namespace Truust.Api.Http;

/// <summary>
/// Who is calling: a platform through its API key, or the operator. The operator acts across platforms; with a
/// <c>Truust-Platform</c> header it acts as that platform (to create objects on its behalf).
/// </summary>
public sealed record Caller(string? PlatformId, bool IsOperator)
{
    public const string PlatformClaim = "truust:platform_id";

    /// <summary>The id of the key that authenticated the call (<c>operator</c> for the operator key).</summary>
    public const string KeyIdClaim = "truust:key_id";
    public const string OperatorRole = "operator";
    public const string PlatformRole = "platform";
    public const string ActAsHeader = "Truust-Platform";

    /// <summary>The platform the call acts for; an operator call without a platform header has none.</summary>
    public string RequirePlatform() =>
        PlatformId
        ?? throw new ForbiddenException(
            $"This call needs a platform: use a platform key, or as the operator send the '{ActAsHeader}' header."
        );

    /// <summary>Whether this caller may see an object of <paramref name="platformId"/>.</summary>
    public bool CanSee(string platformId) =>
        IsOperator ? PlatformId is null || PlatformId == platformId : PlatformId == platformId;

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(PlatformClaim), user.IsInRole(OperatorRole));
}
