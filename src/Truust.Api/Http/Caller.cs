using System.Security.Claims;

namespace Truust.Api.Http;

/// <summary>
/// Who is calling: a platform through its API key, or the operator. The operator acts across platforms; with a
/// <c>Truust-Platform</c> header it acts as that platform (to create objects on its behalf).
/// </summary>
public sealed record Caller(string? PlatformId, bool IsOperator, bool IsLive = false)
{
    /// <summary>Set to <c>true</c> for a live key: the sandbox helpers refuse it.</summary>
    public const string LiveClaim = "truust:live";

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

    /// <summary>
    /// The platform of a sandbox call. Only test keys (and the operator, which is development-only) drive the sandbox:
    /// a live key moving a clock or faking a chargeback would change real obligations.
    /// </summary>
    public string RequireSandboxPlatform()
    {
        var platformId = RequirePlatform();
        return IsLive
            ? throw new ForbiddenException(
                "The sandbox helpers take a test key (sk_test_...); this is a live key.",
                "sandbox_only"
            )
            : platformId;
    }

    /// <summary>Whether this caller may see an object of <paramref name="platformId"/>.</summary>
    public bool CanSee(string platformId) =>
        IsOperator ? PlatformId is null || PlatformId == platformId : PlatformId == platformId;

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(PlatformClaim), user.IsInRole(OperatorRole), user.FindFirstValue(LiveClaim) == "true");
}
