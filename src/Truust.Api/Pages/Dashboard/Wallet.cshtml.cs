using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Wallets;
using Truust.Domain.Wallets;

namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/wallets/{id}</c>: a wallet's balance and its movements with the balance after each.</summary>
public sealed class WalletModel(WalletService wallets, WalletHistory history, CustomerService customers)
    : DashboardPageModel
{
    public const int PageSize = 50;

    public Wallet Wallet { get; private set; } = null!;

    public string? OwnerName { get; private set; }

    public Page<WalletTransactionResponse> Movements { get; private set; } = new([], false);

    public async Task OnGetAsync(string id, string? after, CancellationToken ct)
    {
        Wallet = await wallets.FindAsync(Caller, id, ct);
        OwnerName = Wallet.CustomerId is null ? null : (await customers.FindAsync(Caller, Wallet.CustomerId, ct)).Name;
        Movements = await history.TransactionsAsync(
            Caller,
            id,
            new PageQuery { Limit = PageSize, StartingAfter = after is { Length: > 0 and <= 64 } ? after : null },
            ct
        );
        ViewData["Title"] = $"Wallet {Wallet.Id}";
        ViewData["Section"] = "wallets";
    }
}
