using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Domain.Platforms;

namespace Truust.Api.Http;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> authentication. A platform key is looked up by its SHA-256 hash; the
/// operator key is compared in constant time. Failures answer 401 problem+json without saying which part was wrong.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<TruustOptions> truust,
    TruustDbContext db,
    ReadCache<CachedApiKey?> keys
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <secret key>'.");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var operatorKey = truust.Value.OperatorKey;
        if (
            operatorKey.Length > 0
            && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(secret),
                Encoding.UTF8.GetBytes(operatorKey)
            )
        )
        {
            var claims = new List<Claim>
            {
                new(ClaimTypes.Role, Caller.OperatorRole),
                new(ClaimTypes.Name, "operator"),
                new(Caller.KeyIdClaim, "operator"),
            };
            var actAs = Request.Headers[Caller.ActAsHeader].ToString();
            if (actAs.Length > 0)
            {
                if (!await db.Platforms.AnyAsync(p => p.Id == actAs))
                {
                    return AuthenticateResult.Fail($"No such platform: '{actAs}'.");
                }

                claims.Add(new Claim(Caller.PlatformClaim, actAs));
            }

            return Success(claims);
        }

        var hash = ApiKey.HashOf(secret);
        // Served from memory for a few seconds; a revocation commits a change that makes every process forget it at
        // once (ReadCacheGeneration), so a revoked key is refused by the next request.
        var key = await keys.GetAsync(
            hash,
            () =>
                db
                    .ApiKeys.AsNoTracking()
                    .Where(k => k.Hash == hash && k.RevokedAt == null)
                    .Select(k => new CachedApiKey(k.Id, k.PlatformId, k.Prefix))
                    .FirstOrDefaultAsync()
        );
        if (key is null)
        {
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        }

        return Success([
            new Claim(ClaimTypes.Role, Caller.PlatformRole),
            new Claim(Caller.PlatformClaim, key.PlatformId),
            new Claim(ClaimTypes.Name, key.Id),
            new Claim(Caller.KeyIdClaim, key.Id),
            new Claim(
                Caller.LiveClaim,
                key.Prefix.StartsWith(ApiKey.LivePrefix, StringComparison.Ordinal) ? "true" : "false"
            ),
        ]);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(
            Context,
            401,
            "unauthenticated",
            "Authentication required",
            failure ?? "Send your secret key as 'Authorization: Bearer <secret key>'."
        );
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, 403, "forbidden", "Forbidden", "This key may not make this call.");

    private AuthenticateResult Success(IEnumerable<Claim> claims)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}

/// <summary>What a valid platform key resolves to; cached by <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed record CachedApiKey(string Id, string PlatformId, string Prefix);
