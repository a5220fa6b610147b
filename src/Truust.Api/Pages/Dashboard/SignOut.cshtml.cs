using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/signout</c>: a POST (with its antiforgery token) ends the session.</summary>
public sealed class SignOutModel : DashboardPageModel
{
    public void OnGet() => ViewData["Title"] = "Sign out";

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        return LocalRedirect("/dashboard/signin?signed_out=true");
    }
}
