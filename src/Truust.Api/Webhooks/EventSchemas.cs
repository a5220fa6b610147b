using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Truust.Api.Webhooks;

/// <summary>
/// Describes each event family of <see cref="EventPayloads.Families"/> in the OpenAPI document: a schema per family
/// (<c>OrderEvent</c>: an <c>EventResponse</c> whose <c>type</c> is one of the family's types and whose <c>data</c>
/// is its payload), and a callback per family on <c>POST /v1/webhook_endpoints</c> (OpenAPI 3.0's way to say what
/// Truust POSTs to the endpoint's <c>url</c>).
/// </summary>
public sealed class EventSchemas : IDocumentFilter
{
    public const string Envelope = "EventResponse";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = context.SchemaRepository.Schemas;
        if (!schemas.TryGetValue(Envelope, out var found) || found is not OpenApiSchema envelope)
        {
            return;
        }

        var callbacks = new Dictionary<string, IOpenApiCallback>();
        foreach (var family in EventPayloads.Families)
        {
            var before = schemas.Keys.ToHashSet();
            var data = context.SchemaGenerator.GenerateSchema(family.Data, context.SchemaRepository);
            // Truust writes every member of a payload, null when it has none, as in the responses.
            foreach (var id in schemas.Keys.Except(before))
            {
                if (schemas[id] is OpenApiSchema { Properties.Count: > 0 } added)
                {
                    added.Required = new HashSet<string>(added.Properties.Keys);
                }
            }

            var properties = new Dictionary<string, IOpenApiSchema>(envelope.Properties!)
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = family.Types.Select(t => (JsonNode)JsonValue.Create(t)).ToList(),
                },
                ["data"] = data,
            };
            schemas[family.Schema] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description =
                    $"An {Envelope} of type {string.Join(", ", family.Types)}: its data is a {SchemaName(data)}.",
                Properties = properties,
                Required = new HashSet<string>(properties.Keys),
                AdditionalPropertiesAllowed = false,
            };
            callbacks[family.Schema] = Callback(family);
        }

        var create = document.Paths["/v1/webhook_endpoints"].Operations?[HttpMethod.Post];
        if (create is not null)
        {
            create.Callbacks = callbacks;
        }
    }

    private static string SchemaName(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference reference ? reference.Reference.Id! : "object";

    private static OpenApiCallback Callback(EventPayloads.Family family) =>
        new()
        {
            PathItems = new Dictionary<RuntimeExpression, IOpenApiPathItem>
            {
                [RuntimeExpression.Build("{$request.body#/url}")] = new OpenApiPathItem
                {
                    Operations = new Dictionary<HttpMethod, OpenApiOperation>
                    {
                        [HttpMethod.Post] = new()
                        {
                            OperationId = $"Webhooks_{family.Schema}",
                            Summary = $"Truust delivers {string.Join(", ", family.Types)} to the endpoint's url.",
                            Description =
                                "Signed with the endpoint's secret (webhook-id, webhook-timestamp, "
                                + "webhook-signature). Answer 2xx, "
                                + "or the delivery is retried later.",
                            Tags = new HashSet<OpenApiTagReference> { new("Webhooks") },
                            RequestBody = new OpenApiRequestBody
                            {
                                Required = true,
                                Content = new Dictionary<string, IOpenApiMediaType>
                                {
                                    ["application/json"] = new OpenApiMediaType
                                    {
                                        Schema = new OpenApiSchemaReference(family.Schema),
                                    },
                                },
                            },
                            Responses = new OpenApiResponses
                            {
                                ["200"] = new OpenApiResponse { Description = "Received." },
                            },
                        },
                    },
                },
            },
        };
}
