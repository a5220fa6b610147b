using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>The dashboard's order filters, as typed into the filter form (all optional).</summary>
public sealed record OrderFilter(
    OrderStatus? Status = null,
    string? Buyer = null,
    string? Seller = null,
    DateOnly? CreatedFrom = null,
    DateOnly? CreatedTo = null,
    string? Search = null,
    string? PlatformId = null
)
{
    /// <summary>Longer terms are no name, id or metadata value Truust stores (metadata values are ≤ 500).</summary>
    public const int MaxTermLength = 500;
}

/// <summary>Orders and amount of one status and currency in the filtered set.</summary>
public sealed record StatusTotal(OrderStatus Status, string Currency, int Count, long AmountMinor);

/// <summary>One row of the order list, with the names people recognise.</summary>
public sealed record OrderRow(Order Order, string? BuyerName, string SellerName, string PlatformName);

/// <summary>One page of the order list: newest first, with cursors both ways.</summary>
public sealed record OrderPage(IReadOnlyList<OrderRow> Rows, bool HasNewer, bool HasOlder);

/// <summary>One line of the CSV export.</summary>
public sealed record OrderExportRow(
    string Id,
    DateTimeOffset CreatedAt,
    OrderStatus Status,
    string Name,
    long AmountMinor,
    string Currency,
    long HeldMinor,
    string? BuyerId,
    string? BuyerName,
    string SellerId,
    string SellerName,
    string PlatformId,
    Dictionary<string, string> Metadata
);

/// <summary>
/// The dashboard's order search. Everything is computed by PostgreSQL: a page is one keyset range scan on the id
/// (ids start with their creation time, so id order is newest first), the totals are one GROUP BY over the filtered
/// set, and the export streams rows as they are read. Nothing loads the whole list into memory, so a platform with
/// a million orders costs the same page render as one with fifty.
/// </summary>
public sealed class OrderSearch(TruustDbContext db)
{
    public const int PageSize = 50;

    /// <summary>An export is bounded like every list; past this the dashboard asks for narrower filters.</summary>
    public const int MaxExportRows = 100_000;

    public async Task<IReadOnlyList<StatusTotal>> TotalsAsync(Caller caller, OrderFilter filter, CancellationToken ct)
    {
        var totals = await Filtered(caller, filter)
            .GroupBy(o => new { o.Status, o.Currency })
            .Select(g => new
            {
                g.Key.Status,
                g.Key.Currency,
                Count = g.Count(),
                Amount = g.Sum(o => o.AmountMinor),
            })
            .ToListAsync(ct);
        return totals
            .Select(t => new StatusTotal(t.Status, t.Currency, t.Count, t.Amount))
            .OrderBy(t => t.Status)
            .ThenBy(t => t.Currency, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The page after <paramref name="after"/> (older orders) or before <paramref name="before"/> (newer ones), or
    /// the newest page when neither is given.
    /// </summary>
    public async Task<OrderPage> PageAsync(
        Caller caller,
        OrderFilter filter,
        string? after,
        string? before,
        CancellationToken ct
    )
    {
        var orders = Filtered(caller, filter).AsNoTracking();
        List<Order> rows;
        bool hasNewer,
            hasOlder;
        if (before is not null)
        {
            rows = await orders
                .Where(o => string.Compare(o.Id, before) > 0)
                .OrderBy(o => o.Id)
                .Take(PageSize + 1)
                .ToListAsync(ct);
            hasNewer = rows.Count > PageSize;
            rows = rows.Take(PageSize).Reverse().ToList();
            hasOlder = true;
        }
        else
        {
            if (after is not null)
            {
                orders = orders.Where(o => string.Compare(o.Id, after) < 0);
            }

            rows = await orders.OrderByDescending(o => o.Id).Take(PageSize + 1).ToListAsync(ct);
            hasOlder = rows.Count > PageSize;
            rows = rows.Take(PageSize).ToList();
            hasNewer = after is not null;
        }

        var customerIds = rows.SelectMany(o => new[] { o.SellerId, o.BuyerId }).OfType<string>().Distinct().ToList();
        var names = await db
            .Customers.AsNoTracking()
            .Where(c => customerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var platformIds = rows.Select(o => o.PlatformId).Distinct().ToList();
        var platforms = await db
            .Platforms.AsNoTracking()
            .Where(p => platformIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var listed = rows.Select(o => new OrderRow(
                o,
                o.BuyerId is null ? null : names.GetValueOrDefault(o.BuyerId),
                names.GetValueOrDefault(o.SellerId, o.SellerId),
                platforms.GetValueOrDefault(o.PlatformId, o.PlatformId)
            ))
            .ToList();
        return new OrderPage(listed, hasNewer, hasOlder);
    }

    /// <summary>The filtered list, newest first, read as it is written (at most <see cref="MaxExportRows"/>).</summary>
    public async IAsyncEnumerable<OrderExportRow> ExportAsync(
        Caller caller,
        OrderFilter filter,
        [EnumeratorCancellation] CancellationToken ct
    )
    {
        var rows =
            from o in Filtered(caller, filter).AsNoTracking()
            join s in db.Customers on o.SellerId equals s.Id
            join b in db.Customers on o.BuyerId equals b.Id into buyers
            from b in buyers.DefaultIfEmpty()
            orderby o.Id descending
            select new OrderExportRow(
                o.Id,
                o.CreatedAt,
                o.Status,
                o.Name,
                o.AmountMinor,
                o.Currency,
                o.HeldMinor,
                o.BuyerId,
                b == null ? null : b.Name,
                o.SellerId,
                s.Name,
                o.PlatformId,
                o.Metadata
            );
        await foreach (var row in rows.Take(MaxExportRows).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return row;
        }
    }

    /// <summary>The orders the caller may see that match the filter; every predicate has an index behind it.</summary>
    public IQueryable<Order> Filtered(Caller caller, OrderFilter filter)
    {
        var orders = filter.Search is { Length: > 0 } term ? Matching(term) : db.Orders;
        if (caller.PlatformId is { } own)
        {
            orders = orders.Where(o => o.PlatformId == own);
        }
        else if (filter.PlatformId is { Length: > 0 } platformId)
        {
            orders = orders.Where(o => o.PlatformId == platformId);
        }

        if (filter.Status is { } status)
        {
            orders = orders.Where(o => o.Status == status);
        }

        if (filter.Buyer is { Length: > 0 } buyer)
        {
            var buyers = CustomersMatching(caller, buyer);
            orders = orders.Where(o => o.BuyerId != null && buyers.Contains(o.BuyerId));
        }

        if (filter.Seller is { Length: > 0 } seller)
        {
            var sellers = CustomersMatching(caller, seller);
            orders = orders.Where(o => sellers.Contains(o.SellerId));
        }

        if (filter.CreatedFrom is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            orders = orders.Where(o => o.CreatedAt >= start);
        }

        if (filter.CreatedTo is { } to)
        {
            // The "to" date is inclusive: everything before the next midnight, UTC.
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            orders = orders.Where(o => o.CreatedAt < end);
        }

        return orders;
    }

    /// <summary>
    /// Orders whose id is the term, whose name contains it (any case; the trigram index ix_orders_name_trgm), or
    /// with a metadata value equal to it (the GIN index ix_orders_metadata answers <c>@?</c> with a <c>$.*</c>
    /// path). The term reaches SQL only as parameters.
    /// </summary>
    private IQueryable<Order> Matching(string term)
    {
        var pattern = "%" + EscapeLike(term) + "%";
        var metadataPath = $"$.* ? (@ == {JsonSerializer.Serialize(term)})";
        return db.Orders.FromSqlInterpolated(
            $"""
            SELECT * FROM orders
            WHERE id = {term} OR name ILIKE {pattern} ESCAPE '\' OR metadata @? CAST({metadataPath} AS jsonpath)
            """
        );
    }

    /// <summary>A customer id, or customers whose name or email contains the text.</summary>
    private IQueryable<string> CustomersMatching(Caller caller, string text)
    {
        var customers = caller.PlatformId is { } own ? db.Customers.Where(c => c.PlatformId == own) : db.Customers;
        if (text.StartsWith("cus_", StringComparison.Ordinal))
        {
            return customers.Where(c => c.Id == text).Select(c => c.Id);
        }

        var pattern = "%" + EscapeLike(text) + "%";
        return customers
            .Where(c => EF.Functions.ILike(c.Name, pattern, "\\") || EF.Functions.ILike(c.Email, pattern, "\\"))
            .Select(c => c.Id);
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
