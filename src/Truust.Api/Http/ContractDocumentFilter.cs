using FluentValidation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Truust.Api.Http;

/// <summary>
/// Whole-document fixes: every member of a response schema is required (Truust writes each, null when it has no
/// value), and the framework's own problem schemas, which no response uses any more, are dropped.
/// </summary>
public sealed class ContractDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        // Fixed rather than the request's host, so the document is the same wherever it is served (docs/openapi.json).
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "http://localhost:5080",
                Description = "A local Truust (dotnet run --project src/Truust.Api); use your own base URL.",
            },
        ];
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var fromResponses = new HashSet<string>();
        var pending = new Stack<IOpenApiSchema>();
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
            {
                foreach (var media in response.Content?.Values.AsEnumerable() ?? [])
                {
                    if (media.Schema is { } schema)
                    {
                        pending.Push(schema);
                    }
                }
            }
        }

        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                var id = reference.Reference.Id!;
                if (fromResponses.Add(id) && schemas.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }

        foreach (var id in fromResponses.Where(id => id != "Problem"))
        {
            if (schemas.TryGetValue(id, out var schema) && schema is OpenApiSchema { Properties.Count: > 0 } s)
            {
                s.Required = new HashSet<string>(s.Properties.Keys);
            }
        }

        foreach (var unused in schemas.Keys.Where(k => k.Contains("ProblemDetails", StringComparison.Ordinal)))
        {
            schemas.Remove(unused);
        }
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? [])
            .Concat(schema.AllOf ?? [])
            .Concat(schema.OneOf ?? [])
            .Concat(schema.AnyOf ?? [])
            .Concat(schema.Items is { } items ? [items] : [])
            .Concat(schema.AdditionalProperties is { } more ? [more] : []);
}
