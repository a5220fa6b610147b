using System.Text.Json;

namespace Truust.Api.Tests.Reliability;

/// <summary>The JSON kinds a value in the OpenAPI document can have, as far as hostile input cares.</summary>
public enum ValueKind
{
    String,
    Integer,
    Int32,
    Number,
    Boolean,
    Enum,
    DateTime,
    Array,
    Object,
    Map,
}

/// <summary>
/// What the OpenAPI document declares for one value: its kind, the names of an enum, the fields of an object, the
/// items of an array or the values of a map (<c>metadata</c>).
/// </summary>
public sealed record ValueShape(
    ValueKind Kind,
    IReadOnlyList<string> EnumValues,
    IReadOnlyList<FieldShape> Fields,
    ValueShape? Items
)
{
    public static ValueShape Of(ValueKind kind) => new(kind, [], [], null);
}

public sealed record FieldShape(string Name, ValueShape Shape);

/// <summary>One operation of the document: method, path template, parameters, and the body it reads, if any.</summary>
public sealed record OperationShape(
    string Method,
    string Template,
    IReadOnlyList<FieldShape> PathParameters,
    IReadOnlyList<FieldShape> QueryParameters,
    ValueShape? Body
)
{
    public string Name => $"{Method} {Template}";

    public bool IsRead => Method == "GET";

    public override string ToString() => Name;
}

/// <summary>Reads every path and method of the API's own OpenAPI document, resolving <c>$ref</c>s.</summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<OperationShape> Read(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = new List<OperationShape>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                {
                    continue;
                }

                var parameters = operation.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().ToList()
                    : [];
                operations.Add(
                    new OperationShape(
                        method.ToUpperInvariant(),
                        path.Name,
                        Parameters(parameters, "path", schemas),
                        Parameters(parameters, "query", schemas),
                        operation.TryGetProperty("requestBody", out var body)
                            ? Shape(body.GetProperty("content").EnumerateObject().First().Value, schemas, 0)
                            : null
                    )
                );
            }
        }

        return operations;
    }

    private static List<FieldShape> Parameters(List<JsonElement> parameters, string where, JsonElement schemas) =>
        parameters
            .Where(p => p.GetProperty("in").GetString() == where)
            .Select(p => new FieldShape(p.GetProperty("name").GetString()!, Shape(p, schemas, 0)))
            .ToList();

    /// <summary>The shape of an element's <c>schema</c> (parameter, media type), or of the schema itself.</summary>
    private static ValueShape Shape(JsonElement element, JsonElement schemas, int depth)
    {
        var schema = element.TryGetProperty("schema", out var inner) ? inner : element;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        if (schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1)
        {
            // A reference with its own description or nullability: { "allOf": [ { "$ref": ... } ], ... }.
            return Shape(all[0], schemas, depth);
        }

        if (schema.TryGetProperty("enum", out var names))
        {
            return new ValueShape(
                ValueKind.Enum,
                names.EnumerateArray().Select(n => n.GetString()!).ToList(),
                [],
                null
            );
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "object";
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (type)
        {
            case "integer":
                return ValueShape.Of(format == "int32" ? ValueKind.Int32 : ValueKind.Integer);
            case "number":
                return ValueShape.Of(ValueKind.Number);
            case "boolean":
                return ValueShape.Of(ValueKind.Boolean);
            case "string":
                return ValueShape.Of(format == "date-time" ? ValueKind.DateTime : ValueKind.String);
            case "array":
                return new ValueShape(ValueKind.Array, [], [], Shape(schema.GetProperty("items"), schemas, depth + 1));
        }

        if (schema.TryGetProperty("properties", out var properties) && depth < 4)
        {
            var fields = properties
                .EnumerateObject()
                .Select(p => new FieldShape(p.Name, Shape(p.Value, schemas, depth + 1)))
                .ToList();
            return new ValueShape(ValueKind.Object, [], fields, null);
        }

        var isMap = schema.TryGetProperty("additionalProperties", out var values);
        return isMap && values.ValueKind == JsonValueKind.Object
            ? new ValueShape(ValueKind.Map, [], [], Shape(values, schemas, depth + 1))
            : ValueShape.Of(ValueKind.Object);
    }
}
