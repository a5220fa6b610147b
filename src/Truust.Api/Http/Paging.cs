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

/// <summary>A page of a list: <c>{ "object": "list", "data": [...], "has_more": true }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

public static class Paging
{
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
