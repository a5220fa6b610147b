using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Truust.Api.Tests.Contract;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// Checks every answer a test client gets against the committed OpenAPI document (docs/openapi.json): the status is
/// one the operation documents, the content type one it lists, and the body valid against its schema (unknown
/// members, missing required ones, wrong types, nulls where none are allowed and values outside an enum all fail).
/// A request to a path or method the document does not have is left alone (404 and 405 are tested elsewhere).
/// A mismatch throws <see cref="ContractViolationException"/>, so the test that made the request fails.
/// </summary>
public sealed class ContractCheck : DelegatingHandler
{
    private static readonly Lazy<OpenApiContractDocument> Document = new(() =>
        new OpenApiContractDocument(File.ReadAllText(RepositoryFiles.Path("docs/openapi.json")))
    );

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return response;
        }

        var body = response.Content is null ? [] : await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var problem = Document.Value.Check(
            request.Method.Method,
            path,
            (int)response.StatusCode,
            response.Content?.Headers.ContentType?.MediaType,
            body
        );
        if (problem is not null)
        {
            throw new ContractViolationException(
                $"{request.Method} {path} answered {(int)response.StatusCode}, which docs/openapi.json does not "
                    + $"allow: {problem}\nBody: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 2000)]}"
            );
        }

        return response;
    }
}

public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>The document's operations, and their response schemas turned into JSON Schema 2020-12.</summary>
public sealed class OpenApiContractDocument
{
    private readonly List<(string Method, string[] Segments, JsonObject Operation)> _operations = [];
    private readonly JsonObject _definitions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContractDocument(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        _definitions = (JsonObject)Convert(document["components"]!["schemas"]!.DeepClone());
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                _operations.Add((method.ToUpperInvariant(), template.Trim('/').Split('/'), operation!.AsObject()));
            }
        }
    }

    /// <summary>What is wrong with the answer, or null when the document allows it.</summary>
    public string? Check(string method, string path, int status, string? mediaType, byte[] body)
    {
        var segments = path.Trim('/').Split('/');
        var operation = _operations.FirstOrDefault(o => o.Method == method && Matches(o.Segments, segments));
        if (operation.Operation is null)
        {
            return null;
        }

        var id = operation.Operation["operationId"]!.GetValue<string>();
        var responses = operation.Operation["responses"]!.AsObject();
        if (responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not JsonObject response)
        {
            return $"{id} documents no {status} (it documents {string.Join(", ", responses.Select(r => r.Key))})";
        }

        if (response["content"] is not JsonObject content)
        {
            return body.Length == 0 ? null : $"{id} {status} documents no body";
        }

        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return $"{id} {status}: content type '{mediaType}' is not one of {string.Join(", ", content.Select(c => c.Key))}";
        }

        var schema = _schemas.GetOrAdd($"{id} {status} {mediaType}", _ => Compile(media["schema"]!));
        if (mediaType == "text/csv")
        {
            // A streamed report: its columns are the NDJSON rows' members, checked through that format.
            return body.Length > 0 ? null : $"{id} {status}: a CSV report has at least its header line";
        }

        if (mediaType == "application/x-ndjson")
        {
            var lines = System.Text.Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var (line, index) in lines.Select((l, i) => (l, i)))
            {
                if (Errors(schema, JsonNode.Parse(line)) is { } lineErrors)
                {
                    return $"{id} {status}: line {index + 1} does not match its schema: {lineErrors}";
                }
            }

            return null;
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return $"{id} {status}: the body is not JSON ({e.Message})";
        }

        return Errors(schema, instance) is { } errors
            ? $"{id} {status}: the body does not match its schema: {errors}"
            : null;
    }

    /// <summary>What is wrong with <paramref name="instance"/> as a <c>components/schemas</c> entry, or null.</summary>
    public string? Validate(string schemaName, JsonNode? instance)
    {
        var schema = _schemas.GetOrAdd(
            $"#/components/schemas/{schemaName}",
            reference => Compile(new JsonObject { ["$ref"] = reference })
        );
        return Errors(schema, instance);
    }

    private static string? Errors(JsonSchema schema, JsonNode? instance)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct()
            .Take(8);
        return string.Join("; ", errors);
    }

    private JsonSchema Compile(JsonNode schema)
    {
        var root = Convert(schema.DeepClone()).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _definitions.DeepClone();
        return JsonSchema.FromText(root.ToJsonString());
    }

    private static bool Matches(string[] template, string[] path) =>
        template.Length == path.Length && template.Zip(path).All(p => p.First.StartsWith('{') || p.First == p.Second);

    /// <summary>OpenAPI 3.0 schema → JSON Schema: components references to $defs, <c>nullable</c> to a null type.</summary>
    private static JsonNode Convert(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        array[i] = Convert(item.DeepClone());
                    }
                }

                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key == "$ref")
                    {
                        obj[key] = obj[key]!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/");
                    }
                    else if (key is not ("example" or "enum") && obj[key] is { } child)
                    {
                        obj[key] = Convert(child.DeepClone());
                    }
                }

                if (obj["nullable"]?.GetValue<bool>() == true)
                {
                    obj.Remove("nullable");
                    if (obj["type"] is JsonValue type)
                    {
                        obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                        if (obj["enum"] is JsonArray values)
                        {
                            values.Add(null);
                        }
                    }
                    else
                    {
                        var inner = new JsonObject();
                        foreach (var key in obj.Select(p => p.Key).ToList())
                        {
                            var value = obj[key];
                            obj.Remove(key);
                            inner[key] = value;
                        }

                        obj["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, inner);
                    }
                }

                return obj;
            default:
                return node;
        }
    }
}
