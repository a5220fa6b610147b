using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Platforms;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// Sign-in to the dashboard: a platform's secret key (that platform only) or the operator key (every platform),
/// checked exactly as the API checks a Bearer key. The session is a cookie of its own scheme whose claims mirror
/// <see cref="Caller"/>; it holds the key's id (or a fingerprint of the operator key), never the key itself, and
/// every request checks that the key is still valid, so revoking a key ends its dashboard sessions at once.
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "Dashboard";
    public const string Policy = "Dashboard";
    public const string CookieName = "truust_dashboard";
    public const string KeyIdClaim = "truust:key_id";
    public const string OperatorFingerprintClaim = "truust:operator_key";

    /// <summary>Longer than any key Truust issues; anything longer is not looked up.</summary>
    public const int MaxKeyLength = 200;

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services
            .AddAuthentication()
            .AddCookie(
                Scheme,
                options =>
                {
                    options.Cookie.Name = CookieName;
                    options.Cookie.Path = "/dashboard";
                    options.Cookie.HttpOnly = true;
                    // Strict: no other site can make the browser send the session, which is also the first line of
                    // defence against cross-site request forgery (antiforgery tokens are the second).
                    options.Cookie.SameSite = SameSiteMode.Strict;
                    options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                    options.CookieManager = new SecureUnlessLoopbackCookieManager();
                    options.LoginPath = "/dashboard/signin";
                    options.LogoutPath = "/dashboard/signout";
                    options.AccessDeniedPath = "/dashboard/signin";
                    options.ReturnUrlParameter = "return_url";
                    // Short and sliding: an unattended browser does not stay signed in for long.
                    options.ExpireTimeSpan = TimeSpan.FromHours(8);
                    options.SlidingExpiration = true;
                    options.Events.OnValidatePrincipal = ValidateAsync;
                }
            );
        services.AddAuthorization(options =>
            options.AddPolicy(
                Policy,
                policy =>
                    policy
                        .AddAuthenticationSchemes(Scheme)
                        .RequireAuthenticatedUser()
                        .RequireClaim(ClaimTypes.Role, Caller.OperatorRole, Caller.PlatformRole)
            )
        );
        services.AddScoped<OrderSearch>();
        services.AddScoped<DashboardReads>();
        return services;
    }

    /// <summary>
    /// The identity a key signs in as, or null when the key is unknown or revoked. The same checks as the API's
    /// Bearer authentication: the operator key compared in constant time, a platform key found by its SHA-256 hash.
    /// </summary>
    public static async Task<ClaimsPrincipal?> SignInAsAsync(
        string? key,
        TruustDbContext db,
        TruustOptions options,
        CancellationToken ct
    )
    {
        key = key?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return null;
        }

        if (
            options.OperatorKey.Length > 0
            && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(key),
                Encoding.UTF8.GetBytes(options.OperatorKey)
            )
        )
        {
            return Principal([
                new Claim(ClaimTypes.NameIdentifier, "operator"),
                new Claim(ClaimTypes.Name, "Operator"),
                new Claim(ClaimTypes.Role, Caller.OperatorRole),
                new Claim(OperatorFingerprintClaim, Fingerprint(options.OperatorKey)),
            ]);
        }

        var hash = ApiKey.HashOf(key);
        var found = await db
            .ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Join(
                db.Platforms,
                k => k.PlatformId,
                p => p.Id,
                (k, p) =>
                    new
                    {
                        k.Id,
                        k.PlatformId,
                        p.Name,
                    }
            )
            .FirstOrDefaultAsync(ct);
        return found is null
            ? null
            : Principal([
                new Claim(ClaimTypes.NameIdentifier, found.Id),
                new Claim(ClaimTypes.Name, found.Name),
                new Claim(ClaimTypes.Role, Caller.PlatformRole),
                new Claim(Caller.PlatformClaim, found.PlatformId),
                new Claim(KeyIdClaim, found.Id),
            ]);
    }

    /// <summary>
    /// Runs on every request that carries the cookie: a revoked platform key, or an operator key that was changed
    /// or removed, ends the session there and then.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal!;
        bool valid;
        if (user.IsInRole(Caller.OperatorRole))
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<TruustOptions>>().Value;
            valid =
                options.OperatorKey.Length > 0
                && user.FindFirstValue(OperatorFingerprintClaim) == Fingerprint(options.OperatorKey);
        }
        else
        {
            var keyId = user.FindFirstValue(KeyIdClaim);
            var platformId = user.FindFirstValue(Caller.PlatformClaim);
            var db = context.HttpContext.RequestServices.GetRequiredService<TruustDbContext>();
            valid =
                keyId is not null
                && platformId is not null
                && await db
                    .ApiKeys.AsNoTracking()
                    .AnyAsync(
                        k => k.Id == keyId && k.PlatformId == platformId && k.RevokedAt == null,
                        context.HttpContext.RequestAborted
                    );
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>
    /// Identifies the operator key without holding it: a session signed in with an older operator key stops
    /// working once the key is changed. Truncated SHA-256 of a high-entropy secret reveals nothing usable.
    /// </summary>
    private static string Fingerprint(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("truust-dashboard:" + key)))[..32];

    private static ClaimsPrincipal Principal(IEnumerable<Claim> claims) =>
        new(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>
    /// Marks the session cookie Secure, except on a plain-http request made to a loopback address by its loopback
    /// name (a developer's own machine, the tests), where a Secure cookie would never come back. Behind a
    /// TLS-terminating proxy the request arrives with the public host name, so the cookie stays Secure there.
    /// </summary>
    private sealed class SecureUnlessLoopbackCookieManager : ICookieManager
    {
        private readonly ChunkingCookieManager _inner = new();

        public string? GetRequestCookie(HttpContext context, string key) => _inner.GetRequestCookie(context, key);

        public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
        {
            options.Secure = !IsPlainLoopback(context);
            _inner.AppendResponseCookie(context, key, value, options);
        }

        public void DeleteCookie(HttpContext context, string key, CookieOptions options)
        {
            options.Secure = !IsPlainLoopback(context);
            _inner.DeleteCookie(context, key, options);
        }

        private static bool IsPlainLoopback(HttpContext context) =>
            !context.Request.IsHttps
            && context.Connection.RemoteIpAddress is { } remote
            && IPAddress.IsLoopback(remote)
            && (
                context.Request.Host.Host == "localhost"
                || (
                    IPAddress.TryParse(context.Request.Host.Host.Trim('[', ']'), out var host)
                    && IPAddress.IsLoopback(host)
                )
            );
    }
}
