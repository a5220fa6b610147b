using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// <c>/dashboard/signin</c>: a secret key in, a session cookie out. The key is checked and dropped: it is never
/// echoed back into the form, stored in the cookie or logged.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(TruustDbContext db, IOptions<TruustOptions> options, SignInThrottle throttle)
    : DashboardPageModel
{
    [BindProperty(Name = "key")]
    public string? Key { get; set; }

    [BindProperty(Name = "return_url", SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(Name = "signed_out", SupportsGet = true)]
    public bool SignedOut { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        ViewData["Title"] = "Sign in";
        return User.IsInRole(Caller.OperatorRole) || User.IsInRole(Caller.PlatformRole)
            ? LocalRedirect(Destination)
            : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ViewData["Title"] = "Sign in";
        var principal = await DashboardAuthentication.SignInAsAsync(Key, db, options.Value, ct);
        Key = null;
        if (principal is null && throttle.RecordFailure(HttpContext.Connection.RemoteIpAddress) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Error = $"Too many failed sign-ins from your address. Wait {seconds} s, then try again.";
            var limited = Page();
            limited.StatusCode = StatusCodes.Status429TooManyRequests;
            return limited;
        }

        if (principal is null)
        {
            Error =
                "This key is not valid, or it has been revoked. Use a platform's secret key (sk_...) or the "
                + "operator key.";
            var page = Page();
            page.StatusCode = StatusCodes.Status401Unauthorized;
            return page;
        }

        await HttpContext.SignInAsync(
            DashboardAuthentication.Scheme,
            principal,
            new AuthenticationProperties { IsPersistent = false }
        );
        return LocalRedirect(Destination);
    }

    /// <summary>Back where the visitor was sent from, if that was a dashboard page; the order list otherwise.</summary>
    private string Destination =>
        ReturnUrl is { } url
        && Url.IsLocalUrl(url)
        && url.StartsWith("/dashboard/", StringComparison.Ordinal)
        && !url.StartsWith("/dashboard/signin", StringComparison.Ordinal)
            ? url
            : "/dashboard/orders";
}
