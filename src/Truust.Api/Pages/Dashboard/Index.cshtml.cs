using Microsoft.AspNetCore.Mvc;

namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard</c>: the order list is the dashboard's home.</summary>
public sealed class IndexModel : DashboardPageModel
{
    public IActionResult OnGet() => LocalRedirect("/dashboard/orders");
}
