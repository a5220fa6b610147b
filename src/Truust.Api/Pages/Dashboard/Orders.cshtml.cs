using System.Globalization;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// <c>/dashboard/orders</c>: the colour-coded order list with its filters, search, totals per status and CSV export
/// (<c>?handler=csv</c> with the same filters).
/// </summary>
public sealed class OrdersModel(OrderSearch search) : DashboardPageModel
{
    /// <summary>Metadata as readable JSON in the export (accents stay as they are; CSV quoting escapes).</summary>
    private static readonly JsonSerializerOptions MetadataJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [BindProperty(Name = "status", SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(Name = "buyer", SupportsGet = true)]
    public string? Buyer { get; set; }

    [BindProperty(Name = "seller", SupportsGet = true)]
    public string? Seller { get; set; }

    [BindProperty(Name = "from", SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(Name = "to", SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(Name = "q", SupportsGet = true)]
    public string? Search { get; set; }

    /// <summary>Operator only: one platform's orders.</summary>
    [BindProperty(Name = "platform", SupportsGet = true)]
    public string? Platform { get; set; }

    [BindProperty(Name = "after", SupportsGet = true)]
    public string? After { get; set; }

    [BindProperty(Name = "before", SupportsGet = true)]
    public string? Before { get; set; }

    public Dictionary<string, string> Errors { get; } = [];

    public OrderFilter Filter { get; private set; } = new();

    public IReadOnlyList<StatusTotal> Totals { get; private set; } = [];

    public OrderPage Results { get; private set; } = new([], false, false);

    public int TotalCount => Totals.Sum(t => t.Count);

    public bool Filtered => Filter != new OrderFilter();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "Orders";
        ViewData["Section"] = "orders";
        Filter = ReadFilter();
        Totals = await search.TotalsAsync(Caller, Filter, ct);
        Results = await search.PageAsync(Caller, Filter, Plausible(After), Plausible(Before), ct);
        if (Errors.Count == 0)
        {
            return Page();
        }

        var page = Page();
        page.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return page;
    }

    /// <summary>The filtered list as CSV, streamed row by row as PostgreSQL returns it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        Filter = ReadFilter();
        if (Errors.Count > 0)
        {
            return ProblemPage(
                StatusCodes.Status400BadRequest,
                new DashboardProblem("Cannot export", string.Join(' ', Errors.Values))
            );
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition =
            $"attachment; filename=\"truust-orders-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteAsync(
            Csv.Line(
                "id",
                "created_at",
                "status",
                "name",
                "amount",
                "currency",
                "amount_minor",
                "held_minor",
                "buyer_id",
                "buyer_name",
                "seller_id",
                "seller_name",
                "platform_id",
                "metadata"
            )
        );
        await foreach (var row in search.ExportAsync(Caller, Filter, ct))
        {
            await writer.WriteAsync(
                Csv.Line(
                    row.Id,
                    row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    DashboardFormat.Wire(row.Status),
                    row.Name,
                    DashboardFormat.PlainAmount(row.AmountMinor, row.Currency),
                    row.Currency,
                    row.AmountMinor.ToString(CultureInfo.InvariantCulture),
                    row.HeldMinor.ToString(CultureInfo.InvariantCulture),
                    row.BuyerId,
                    row.BuyerName,
                    row.SellerId,
                    row.SellerName,
                    row.PlatformId,
                    row.Metadata.Count == 0 ? null : JsonSerializer.Serialize(row.Metadata, MetadataJson)
                )
            );
        }

        return new EmptyResult();
    }

    /// <summary>The current filters as query values, with <paramref name="changes"/> applied (null removes).</summary>
    public Dictionary<string, string?> Query(params (string Name, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["status"] = Status,
            ["buyer"] = Buyer,
            ["seller"] = Seller,
            ["from"] = From,
            ["to"] = To,
            ["q"] = Search,
            ["platform"] = Platform,
        };
        foreach (var (name, value) in changes)
        {
            values[name] = value;
        }

        return values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Key, v => v.Value);
    }

    public string Link(params (string Name, string? Value)[] changes) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/dashboard/orders", Query(changes));

    private OrderFilter ReadFilter()
    {
        OrderStatus? status = null;
        if (!string.IsNullOrWhiteSpace(Status))
        {
            status = DashboardFormat
                .Statuses.Cast<OrderStatus?>()
                .FirstOrDefault(s => DashboardFormat.Wire(s!.Value) == Status.Trim().ToUpperInvariant());
            if (status is null)
            {
                Errors["status"] = $"There is no status '{Status}'.";
            }
        }

        var from = ReadDate(From, "from");
        var to = ReadDate(To, "to");
        if (from > to)
        {
            Errors["to"] = "The end date is before the start date.";
        }

        return new OrderFilter(
            status,
            Text(Buyer, "buyer"),
            Text(Seller, "seller"),
            from,
            to,
            Text(Search, "q"),
            Caller.IsOperator ? Text(Platform, "platform") : null
        );
    }

    private DateOnly? ReadDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (
            DateOnly.TryParseExact(
                value.Trim(),
                "yyyy-MM-dd",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var date
            )
        )
        {
            return date;
        }

        Errors[field] = $"Write the date as YYYY-MM-DD ('{value}' is not one).";
        return null;
    }

    private string? Text(string? value, string field)
    {
        var text = value?.Trim();
        if (text is { Length: > OrderFilter.MaxTermLength })
        {
            Errors[field] = $"At most {OrderFilter.MaxTermLength} characters.";
            return null;
        }

        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? Plausible(string? id) => id is { Length: > 0 and <= 64 } ? id : null;
}
