using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Customers;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Pages.Dashboard;

/// <summary>A wallet with the name of whom it belongs to.</summary>
public sealed record WalletRow(Wallet Wallet, string? OwnerName, string PlatformName);

/// <summary>A customer with the platform they belong to.</summary>
public sealed record CustomerRow(Customer Customer, string PlatformName);

/// <summary>A campaign with the platform it belongs to.</summary>
public sealed record CampaignRow(Campaign Campaign, string OwnerName, string PlatformName);

/// <summary>A page of a dashboard list: newest first, continuing after the last id shown.</summary>
public sealed record DashboardPage<T>(IReadOnlyList<T> Rows, string? NextAfter);

/// <summary>
/// Read-only lists for the dashboard that the API's services do not offer across platforms: the operator sees
/// every platform's wallets, customers and campaigns, a platform only its own. Each list is a keyset page on the
/// (platform_id, id) indexes.
/// </summary>
public sealed class DashboardReads(TruustDbContext db)
{
    public const int PageSize = 50;

    public async Task<DashboardPage<WalletRow>> WalletsAsync(
        Caller caller,
        string? customerId,
        string? after,
        CancellationToken ct
    )
    {
        var wallets = db.Wallets.AsNoTracking();
        if (caller.PlatformId is { } own)
        {
            wallets = wallets.Where(w => w.PlatformId == own);
        }

        if (customerId is { Length: > 0 })
        {
            wallets = wallets.Where(w => w.CustomerId == customerId);
        }

        var page = await PageOfAsync(wallets, after, ct);
        var ownerIds = page.Select(w => w.CustomerId).OfType<string>().Distinct().ToList();
        var owners = await db
            .Customers.AsNoTracking()
            .Where(c => ownerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var platforms = await PlatformNamesAsync(page.Select(w => w.PlatformId), ct);
        var rows = page.Take(PageSize)
            .Select(w => new WalletRow(
                w,
                w.CustomerId is null ? null : owners.GetValueOrDefault(w.CustomerId),
                platforms[w.PlatformId]
            ))
            .ToList();
        return new DashboardPage<WalletRow>(rows, page.Count > PageSize ? page[PageSize - 1].Id : null);
    }

    public async Task<DashboardPage<CustomerRow>> CustomersAsync(
        Caller caller,
        string? search,
        string? after,
        CancellationToken ct
    )
    {
        var customers = db.Customers.AsNoTracking();
        if (caller.PlatformId is { } own)
        {
            customers = customers.Where(c => c.PlatformId == own);
        }

        if (search is { Length: > 0 })
        {
            var pattern = "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            customers = customers.Where(c =>
                c.Id == search
                || EF.Functions.ILike(c.Name, pattern, "\\")
                || EF.Functions.ILike(c.Email, pattern, "\\")
            );
        }

        var page = await PageOfAsync(customers, after, ct);
        var platforms = await PlatformNamesAsync(page.Select(c => c.PlatformId), ct);
        return new DashboardPage<CustomerRow>(
            page.Take(PageSize).Select(c => new CustomerRow(c, platforms[c.PlatformId])).ToList(),
            page.Count > PageSize ? page[PageSize - 1].Id : null
        );
    }

    public async Task<DashboardPage<CampaignRow>> CampaignsAsync(Caller caller, string? after, CancellationToken ct)
    {
        var campaigns = db.Campaigns.AsNoTracking();
        if (caller.PlatformId is { } own)
        {
            campaigns = campaigns.Where(c => c.PlatformId == own);
        }

        var page = await PageOfAsync(campaigns, after, ct);
        var ownerIds = page.Select(c => c.OwnerId).Distinct().ToList();
        var owners = await db
            .Customers.AsNoTracking()
            .Where(c => ownerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var platforms = await PlatformNamesAsync(page.Select(c => c.PlatformId), ct);
        return new DashboardPage<CampaignRow>(
            page.Take(PageSize)
                .Select(c => new CampaignRow(
                    c,
                    owners.GetValueOrDefault(c.OwnerId, c.OwnerId),
                    platforms[c.PlatformId]
                ))
                .ToList(),
            page.Count > PageSize ? page[PageSize - 1].Id : null
        );
    }

    /// <summary>The payins that funded or tried to fund an order (its own, or its cart's), oldest first.</summary>
    public async Task<IReadOnlyList<Payin>> PayinsOfOrderAsync(
        string orderId,
        string? orderGroupId,
        CancellationToken ct
    ) =>
        await db
            .Payins.AsNoTracking()
            .Where(p => p.OrderId == orderId || (orderGroupId != null && p.OrderGroupId == orderGroupId))
            .OrderBy(p => p.Id)
            .ToListAsync(ct);

    public async Task<IReadOnlyList<Payout>> PayoutsOfOrderAsync(string orderId, CancellationToken ct) =>
        await db.Payouts.AsNoTracking().Where(p => p.OrderId == orderId).OrderBy(p => p.Id).ToListAsync(ct);

    public async Task<string> PlatformNameAsync(string platformId, CancellationToken ct) =>
        (await PlatformNamesAsync([platformId], ct))[platformId];

    private async Task<Dictionary<string, string>> PlatformNamesAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        var names = await db
            .Platforms.AsNoTracking()
            .Where(p => wanted.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        foreach (var id in wanted)
        {
            names.TryAdd(id, id);
        }

        return names;
    }

    private static async Task<List<T>> PageOfAsync<T>(IQueryable<T> rows, string? after, CancellationToken ct)
        where T : class, IHasId
    {
        if (after is { Length: > 0 })
        {
            rows = rows.Where(r => string.Compare(r.Id, after) < 0);
        }

        return await rows.OrderByDescending(r => r.Id).Take(PageSize + 1).ToListAsync(ct);
    }
}
