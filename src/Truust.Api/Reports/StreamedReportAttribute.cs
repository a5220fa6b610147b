using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Truust.Api.Reports;

/// <summary>
/// Marks an action whose 200 is a streamed report: <c>application/x-ndjson</c> (each line a <paramref name="row"/>)
/// and <c>text/csv</c>, and, when <paramref name="json"/> is given, also <c>application/json</c> with that schema.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StreamedReportAttribute(Type row, bool ndjson = true, Type? json = null) : Attribute
{
    public Type Row => row;

    public bool Ndjson => ndjson;

    public Type? Json => json;
}

/// <summary>Documents the media types of <see cref="StreamedReportAttribute"/> actions in OpenAPI.</summary>
public sealed class StreamedReportOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var report = context
            .MethodInfo.GetCustomAttributes(typeof(StreamedReportAttribute), false)
            .OfType<StreamedReportAttribute>()
            .FirstOrDefault();
        if (report is null)
        {
            return;
        }

        var content = new Dictionary<string, IOpenApiMediaType>();
        if (report.Json is { } json)
        {
            content["application/json"] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(json, context.SchemaRepository),
            };
        }

        if (report.Ndjson)
        {
            content[StreamedRows<object>.NdjsonMediaType] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(report.Row, context.SchemaRepository),
            };
        }

        content[StreamedRows<object>.CsvMediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = report.Ndjson
                ? $"The rows, streamed: one JSON object per line ({report.Row.Name}), or CSV with a header line."
                : "The report as JSON, or CSV with a header line.",
            Content = content,
        };
    }
}
