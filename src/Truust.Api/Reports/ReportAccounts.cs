using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;

namespace Truust.Api.Reports;

/// <summary>
/// The ledger account names a report filter may take (ADR 0002), and whether the caller may see one: a wallet or an
/// escrow of another platform is a 404, as its id would be anywhere else. Rail and suspense accounts are shared by
/// every platform; a platform sees only its own transfers on them, because every report also filters on the platform.
/// </summary>
public static partial class ReportAccounts
{
    public static bool IsWellFormed(string account) => AccountPattern().IsMatch(account);

    /// <summary>A 404 when the account names a wallet, order or campaign the caller may not see (or none).</summary>
    public static async Task EnsureVisibleAsync(
        TruustDbContext db,
        Caller caller,
        string? account,
        CancellationToken ct
    )
    {
        if (account is null)
        {
            return;
        }

        var separator = account.IndexOf(':', StringComparison.Ordinal);
        var family = account[..separator];
        var id = account[(separator + 1)..];
        string? owner = family switch
        {
            "wallet" => await db.Wallets.Where(w => w.Id == id).Select(w => w.PlatformId).FirstOrDefaultAsync(ct),
            "escrow" when id.StartsWith("ord_", StringComparison.Ordinal) => await db
                .Orders.Where(o => o.Id == id)
                .Select(o => o.PlatformId)
                .FirstOrDefaultAsync(ct),
            "escrow" => await db.Campaigns.Where(c => c.Id == id).Select(c => c.PlatformId).FirstOrDefaultAsync(ct),
            _ => caller.PlatformId ?? "",
        };
        if (owner is null || !caller.CanSee(owner))
        {
            throw new NotFoundException("account", account);
        }
    }

    [GeneratedRegex(
        "^(wallet:wal_[A-Za-z0-9]{1,60}|escrow:(ord|cmp)_[A-Za-z0-9]{1,60}|world:(card|bankwire|bank_payouts)"
            + "|suspense:[a-z_]{1,40})$"
    )]
    private static partial Regex AccountPattern();
}
