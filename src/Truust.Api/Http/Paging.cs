using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Truust.Domain;

namespace Truust.Api.Http;

/// <summary>Cursor pagination parameters: newest first, <c>limit</c> per page, continuing after an id.</summary>
public class PageQuery
{
    public const int MaxLimit = 100;

    /// <summary>How many objects per page (1–100, default 20).</summary>
    [FromQuery(Name = "limit")]
    public int? Limit { get; set; }

    /// <summary>The last id of the previous page: the page starts after it.</summary>
    [FromQuery(Name = "starting_after")]
    public string? StartingAfter { get; set; }

    /// <summary>Not a parameter: without BindNever the OpenAPI document lists it as a query parameter.</summary>
    [BindNever]
    public int EffectiveLimit => Limit ?? 20;
}

public sealed class PageQueryValidator : AbstractValidator<PageQuery>
{
    public PageQueryValidator() => PageRules.Apply(this);
}

public static class PageRules
{
    public static void Apply<T>(AbstractValidator<T> validator)
        where T : PageQuery
    {
        validator.RuleFor(q => q.Limit).InclusiveBetween(1, PageQuery.MaxLimit);
        validator.RuleFor(q => q.StartingAfter).MaximumLength(64);
    }
}

/// <summary>
/// A page of a list: <c>{ "object": "list", "data": [...], "has_more": true, "next_cursor": "ord_..." }</c>. Every
/// list of the API answers this envelope; pass <c>next_cursor</c> as <c>starting_after</c> for the next page.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore)
{
    private static readonly Func<T, string?> IdOf = IdAccessor();

    [JsonPropertyOrder(-1)]
    public string Object => "list";

    /// <summary>The id of the last item when there is a next page (pass it as starting_after), else null.</summary>
    public string? NextCursor => HasMore && Data.Count > 0 ? IdOf(Data[^1]) : null;

    private static Func<T, string?> IdAccessor()
    {
        var property = typeof(T).GetProperty("Id");
        return property?.PropertyType == typeof(string) ? item => (string?)property.GetValue(item) : _ => null;
    }
}

public static class Paging
{
    /// <summary>
    /// A page of a short list that belongs to one object (an order's history, ledger or refunds), already read in
    /// its own order: the items after <c>starting_after</c>, at most <c>limit</c>.
    /// </summary>
    public static Page<T> Slice<T>(IReadOnlyList<T> all, PageQuery page, Func<T, string> id)
    {
        var start = 0;
        if (page.StartingAfter is { } after)
        {
            var index = all.ToList().FindIndex(item => id(item) == after);
            if (index < 0)
            {
                throw new NotFoundException("starting_after", after);
            }

            start = index + 1;
        }

        var limit = page.EffectiveLimit;
        return new Page<T>(all.Skip(start).Take(limit).ToList(), all.Count > start + limit);
    }

    /// <summary>
    /// Newest first by id. Ids start with their creation time, so "after" in the list means a smaller id, and a
    /// page is one index range scan however deep the caller pages.
    /// </summary>
    public static async Task<Page<TOut>> PageAsync<T, TOut>(
        IQueryable<T> query,
        PageQuery page,
        Func<T, TOut> map,
        CancellationToken ct
    )
        where T : class, IHasId
    {
        if (page.StartingAfter is { } after)
        {
            query = query.Where(e => string.Compare(e.Id, after) < 0);
        }

        var limit = page.EffectiveLimit;
        var rows = await query.OrderByDescending(e => e.Id).Take(limit + 1).AsNoTracking().ToListAsync(ct);
        return new Page<TOut>(rows.Take(limit).Select(map).ToList(), rows.Count > limit);
    }
}
