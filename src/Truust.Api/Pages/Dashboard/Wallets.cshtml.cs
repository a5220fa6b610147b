
namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/wallets</c>: wallets with their balances, newest first.</summary>
public sealed class WalletsModel(DashboardReads reads) : DashboardPageModel
{
    public DashboardPage<WalletRow> Wallets { get; private set; } = new([], null);

    public string? Customer { get; private set; }

    public async Task OnGetAsync(string? customer, string? after, CancellationToken ct)
    {
        ViewData["Title"] = "Wallets";
        ViewData["Section"] = "wallets";
        Customer = customer is { Length: > 0 and <= 64 } ? customer.Trim() : null;
        Wallets = await reads.WalletsAsync(Caller, Customer, after is { Length: <= 64 } ? after : null, ct);
    }
}
