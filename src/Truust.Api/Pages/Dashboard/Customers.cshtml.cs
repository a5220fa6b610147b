
namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/customers</c>: buyers, sellers and campaign owners, searchable by name or email.</summary>
public sealed class CustomersModel(DashboardReads reads) : DashboardPageModel
{
    public DashboardPage<CustomerRow> Customers { get; private set; } = new([], null);

    public string? Search { get; private set; }

    public async Task OnGetAsync(string? q, string? after, CancellationToken ct)
    {
        ViewData["Title"] = "Customers";
        ViewData["Section"] = "customers";
        Search = q is { Length: > 0 and <= 200 } ? q.Trim() : null;
        Customers = await reads.CustomersAsync(Caller, Search, after is { Length: <= 64 } ? after : null, ct);
    }
}
