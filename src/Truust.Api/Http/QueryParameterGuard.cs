using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Truust.Api.Http;

/// <summary>
/// A query parameter the action does not take is a 400 naming it, for every /v1 action: a misspelt filter
/// (<c>stauts=PAID</c>) or an unsupported option (<c>expand</c>, <c>ending_before</c>) would otherwise be ignored and
/// answer 200 with unfiltered data. What an action takes is read from ApiExplorer, the same source as the OpenAPI
/// document, so the document and this guard never disagree and a new endpoint is covered without any code.
/// </summary>
public sealed class QueryParameterGuard(IApiDescriptionGroupCollectionProvider explorer) : IResourceFilter
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _allowed = new();

    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var query = context.HttpContext.Request.Query;
        if (query.Count == 0 || context.ActionDescriptor.AttributeRouteInfo?.Template?.StartsWith("v1/") != true)
        {
            return;
        }

        var allowed = _allowed.GetOrAdd(context.ActionDescriptor.Id, _ => QueryNamesOf(context.ActionDescriptor.Id));
        var unknown = query.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var takes = allowed.Count == 0 ? "none" : string.Join(", ", allowed.Order(StringComparer.Ordinal));
        var problem = Problems.Create(
            context.HttpContext,
            400,
            "unknown_parameter",
            "Unknown query parameter",
            $"This endpoint does not take {string.Join(", ", unknown.Select(u => $"'{u}'"))}; it takes: {takes}.",
            unknown.ToDictionary(u => u, _ => new[] { "Not a parameter of this endpoint." })
        );
        context.Result = ValidationFilter.ProblemResult(problem);
    }

    public void OnResourceExecuted(ResourceExecutedContext context) { }

    private HashSet<string> QueryNamesOf(string actionId) =>
        explorer
            .ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .Where(d => d.ActionDescriptor.Id == actionId)
            .SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Query)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
