using System.Text.Json.Nodes;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Disputes;
using Truust.Domain.Events;
using Truust.Domain.Orders;

namespace Truust.Api.Http;

/// <summary>
/// The OpenAPI document (<c>/swagger/v1/swagger.json</c>, committed as <c>docs/openapi.json</c>): what a generated
/// client needs without a cast. Everything here applies to every controller action by convention, so a new endpoint
/// is documented right without per-action attributes: its success response from its return type, Truust's problem
/// schema for every error status it can answer, the idempotency and rate-limit headers, snake_case ids for schemas
/// and operations, required and nullable members as the wire sends them, and enums for the closed sets.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemJson = "application/problem+json";
    public const string DocumentName = "v1";

    public static void AddTruustOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(
                DocumentName,
                new OpenApiInfo
                {
                    Title = "Truust API",
                    Version = "v1",
                    Description =
                        "Escrow payments: take a buyer's money, hold it in escrow, release it to the seller "
                        + "when the platform's conditions are met. Amounts are integers in minor units "
                        + "(1050 EUR = 10.50 EUR). Authenticate with 'Authorization: Bearer <secret key>'. "
                        + "Errors are RFC 9457 application/problem+json with a stable 'code'. A webhook "
                        + "delivery's body is an 'EventResponse', the same as GET /v1/events/{id} answers; its 'data' per "
                        + "event type is described by the event schemas (OrderEvent, PayinEvent, ...) and the "
                        + "callbacks of POST /v1/webhook_endpoints.",
                    Contact = new OpenApiContact { Name = "Truust", Url = new Uri("https://docs.truust.dev") },
                }
            );
            foreach (var xml in new[] { "Truust.Api.xml", "Truust.Domain.xml" })
            {
                var path = Path.Combine(AppContext.BaseDirectory, xml);
                if (File.Exists(path))
                {
                    options.IncludeXmlComments(path);
                }
            }

            options.AddSecurityDefinition(
                "bearer",
                new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Your platform's secret key (sk_test_...), or the operator key.",
                }
            );
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
            });
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomSchemaIds(SchemaId);
            options.CustomOperationIds(OperationId);
            options.SchemaFilter<ContractSchemaFilter>();
            options.OperationFilter<ContractOperationFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
        });
    }

    /// <summary>A schema is named by its type alone (<c>OrderResponse</c>); a page by its item
    /// (<c>OrderResponseList</c>).</summary>
    public static string SchemaId(Type type)
    {
        if (type == typeof(ApiProblem))
        {
            return "Problem";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Page<>))
        {
            return SchemaId(type.GetGenericArguments()[0]) + "List";
        }

        return type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;
    }

    /// <summary><c>Orders_Create</c>: controller and action, which NSwag and Kiota turn into
    /// <c>OrdersClient.CreateAsync</c>.</summary>
    public static string? OperationId(ApiDescription api) =>
        api.ActionDescriptor.RouteValues.TryGetValue("controller", out var controller)
        && api.ActionDescriptor.RouteValues.TryGetValue("action", out var action)
            ? $"{controller}_{action}"
            : null;

    /// <summary>The actions an order can list in <c>allowed_actions</c>.</summary>
    public static IEnumerable<string> OrderActions => Enum.GetValues<OrderTrigger>().Select(t => WireName.Action(t));

    public static IEnumerable<string> CampaignActions =>
        Enum.GetValues<CampaignTrigger>().Select(t => WireName.Action(t));

    public static IEnumerable<string> DisputeActions =>
        Enum.GetValues<DisputeTrigger>().Select(t => WireName.Action(t));

    internal static JsonNode Node(string value) => JsonValue.Create(value);
}

/// <summary>
/// RFC 9457 problem details as Truust sends them (<c>application/problem+json</c>). Documentation only: the body is
/// written by <see cref="Problems"/>; the API tests validate every error against this schema.
/// </summary>
/// <param name="Type">A URL naming the kind of error, e.g. https://docs.truust.dev/errors/invalid_transition.</param>
/// <param name="Title">A short summary of the kind of error.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong with this request, in words.</param>
/// <param name="Instance">The path of the request.</param>
/// <param name="Code">Stable machine-readable code: invalid_transition, validation_failed, ...</param>
/// <param name="TraceId">Quote it to support: it finds the request's logs and trace.</param>
/// <param name="CurrentStatus">With invalid_transition: the object's status now.</param>
/// <param name="AllowedActions">With invalid_transition: the actions allowed in the current status.</param>
/// <param name="Errors">With input errors: messages per snake_case field name.</param>
public sealed record ApiProblem(
    string Type,
    string Title,
    int Status,
    string? Detail,
    string Instance,
    string Code,
    string TraceId,
    string? CurrentStatus,
    IReadOnlyList<string>? AllowedActions,
    IReadOnlyDictionary<string, string[]>? Errors
);

/// <summary>
/// Errors, headers and descriptions every operation under /v1 shares: each error status it can answer as
/// <c>application/problem+json</c> with the <c>Problem</c> schema, <c>Retry-After</c> on 429 and 503,
/// <c>Idempotency-Key</c> on POST with <c>Idempotent-Replayed</c> on its success, <c>Location</c> on 201.
/// </summary>
public sealed class ContractOperationFilter : IOperationFilter
{
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] =
            "Malformed request: unreadable JSON, wrong types, unknown fields or query parameters (malformed_request).",
        [401] = "Missing or unknown API key (unauthenticated).",
        [403] = "The key may not make this call: operator-only action, or an operator call without Truust-Platform.",
        [404] = "No such object for this platform (resource_missing).",
        [409] =
            "Conflict: an action not allowed in the current status (invalid_transition, with allowed_actions), "
            + "a concurrent change, or a request with this Idempotency-Key still in flight.",
        [413] = "The request body is larger than 1 MiB (request_too_large).",
        [415] = "The body is not application/json (unsupported_media_type).",
        [422] =
            "The request breaks a validation or business rule (validation_failed with errors per field, "
            + "insufficient_funds, idempotency_key_reused, ...).",
        [429] = "Rate limited (rate_limited): retry after Retry-After seconds.",
        [503] = "The database is unreachable for a moment (service_unavailable): retry after Retry-After seconds.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var path = context.ApiDescription.RelativePath ?? "";
        if (!path.StartsWith("v1/", StringComparison.Ordinal))
        {
            return;
        }

        operation.Responses ??= new OpenApiResponses();
        AddInferredSuccess(operation, context);
        var method = context.ApiDescription.HttpMethod ?? "GET";
        var isRead = HttpMethods.IsGet(method);
        var hasBody = operation.RequestBody is not null;
        var statuses = new List<int> { 400, 401, 403, 429, 503 };
        if (path.Contains('{', StringComparison.Ordinal) || hasBody)
        {
            statuses.Add(404);
        }

        if (!isRead)
        {
            statuses.Add(409);
        }

        // A body or a query parameter out of range (limit=0) is 422 validation_failed; so is a reused key on a POST.
        if (!isRead || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
        {
            statuses.Add(422);
        }

        if (hasBody)
        {
            statuses.AddRange([413, 415]);
        }

        var problem = context.SchemaGenerator.GenerateSchema(typeof(ApiProblem), context.SchemaRepository);
        foreach (var status in statuses.Concat(operation.Responses.Keys.Select(k => int.Parse(k))).Distinct())
        {
            if (status < 400)
            {
                continue;
            }

            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var response = new OpenApiResponse
            {
                Description = Descriptions.GetValueOrDefault(status, "Error."),
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    [OpenApiContract.ProblemJson] = new OpenApiMediaType { Schema = problem },
                },
            };
            if (status is 429 or 503)
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer),
                };
            }

            operation.Responses[key] = response;
        }

        foreach (var (key, response) in operation.Responses.Where(r => r.Key.StartsWith('2')).ToList())
        {
            if (response is not OpenApiResponse success)
            {
                continue;
            }

            if (success.Content is { } content)
            {
                foreach (var other in content.Keys.Where(k => k != "application/json").ToList())
                {
                    content.Remove(other);
                }
            }

            success.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (HttpMethods.IsPost(method))
            {
                success.Headers[IdempotencyMiddleware.ReplayedHeader] = Header(
                    "'true' when this response is the stored answer to an earlier request with the same "
                        + "Idempotency-Key and body.",
                    JsonSchemaType.String
                );
            }

            if (key == "201")
            {
                success.Headers["Location"] = Header("The URL of the created object.", JsonSchemaType.String);
            }

            if (success.Headers.Count == 0)
            {
                success.Headers = null;
            }

            if (string.IsNullOrEmpty(success.Description) || success.Description is "OK" or "Success")
            {
                success.Description = key switch
                {
                    "201" => "Created.",
                    "204" => "Done; no content.",
                    _ => "OK.",
                };
            }
        }

        if (HttpMethods.IsPost(method))
        {
            operation.Parameters ??= new List<IOpenApiParameter>();
            operation.Parameters.Add(
                new OpenApiParameter
                {
                    Name = IdempotencyMiddleware.Header,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description =
                        "Makes the POST safe to retry: the same key and body replay the stored response "
                        + "(Idempotent-Replayed: true); another body with the key is 422 idempotency_key_reused. "
                        + "Keys are per platform and kept 24 h.",
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        MinLength = 1,
                        MaxLength = IdempotencyMiddleware.MaxKeyLength,
                    },
                    Example = OpenApiContract.Node("b3f1c9e2-order-42"),
                }
            );
        }

        if (string.IsNullOrEmpty(operation.Description))
        {
            operation.Description = operation.Summary;
        }

        if (operation.Parameters is { } parameters)
        {
            foreach (var parameter in parameters.OfType<OpenApiParameter>())
            {
                if (parameter.In == ParameterLocation.Path && string.IsNullOrEmpty(parameter.Description))
                {
                    parameter.Description = "The object's id.";
                }
            }
        }
    }

    /// <summary>
    /// The success response from the action's return type (<c>Task&lt;T&gt;</c>: 200 with T; <c>Task</c>: 204) when
    /// it declares none. ApiExplorer infers it only for an action without any response attribute, so a single
    /// <c>[ProducesResponseType(409)]</c> would otherwise drop the 200 from the document.
    /// </summary>
    private static void AddInferredSuccess(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses!.Keys.Any(k => k.StartsWith('2')))
        {
            return;
        }

        var type = Unwrap(context.MethodInfo.ReturnType);
        if (type == typeof(void))
        {
            operation.Responses["204"] = new OpenApiResponse { Description = "Done; no content." };
        }
        else if (
            !typeof(IActionResult).IsAssignableFrom(type)
            && !typeof(Microsoft.AspNetCore.Mvc.Infrastructure.IConvertToActionResult).IsAssignableFrom(type)
            && type != typeof(object)
        )
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK.",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType
                    {
                        Schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository),
                    },
                },
            };
        }
    }

    private static Type Unwrap(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) ? typeof(void)
        : type.IsGenericType
        && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
        : type;

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new()
        {
            Description = description,
            Schema = new OpenApiSchema { Type = type },
        };
}

/// <summary>
/// Members as the validators and the wire have them: a request member a validator requires without condition is
/// <c>required</c> and not nullable; closed sets of strings (currency, allowed actions, event types) are enums.
/// Responses are made all-required by <see cref="ContractDocumentFilter"/>, since Truust writes every member.
/// </summary>
public sealed class ContractSchemaFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || target.Properties is null)
        {
            return;
        }

        if (context.Type == typeof(ApiProblem))
        {
            DescribeProblem(target, context.SchemaRepository);
            return;
        }

        RequireWhatValidatorsRequire(target, context.Type);
        foreach (var name in target.Properties.Keys.ToList())
        {
            var property = target.Properties[name];
            var (id, values) = name switch
            {
                "currency" => ("Currency", Currency.Codes.Order(StringComparer.Ordinal)),
                "allowed_actions" when context.Type.Name.StartsWith("Campaign", StringComparison.Ordinal) => (
                    "CampaignAction",
                    OpenApiContract.CampaignActions
                ),
                "allowed_actions" when context.Type.Name.StartsWith("Dispute", StringComparison.Ordinal) => (
                    "DisputeAction",
                    OpenApiContract.DisputeActions
                ),
                "allowed_actions" => ("OrderAction", OpenApiContract.OrderActions),
                "event_types" => ("EventTypeSubscription", EventTypes.All.Append("*")),
                "type" when context.Type.Name is "EventResponse" => ("EventType", EventTypes.All),
                _ => (null, []),
            };
            if (id is null || property is not OpenApiSchema { Type: { } type } concrete)
            {
                continue;
            }

            if (type.HasFlag(JsonSchemaType.Array) && concrete.Items is OpenApiSchema)
            {
                concrete.Items = NamedEnum(context.SchemaRepository, id, values);
            }
            else if (type.HasFlag(JsonSchemaType.String))
            {
                target.Properties[name] = type.HasFlag(JsonSchemaType.Null)
                    ? new OpenApiSchema
                    {
                        AllOf = [NamedEnum(context.SchemaRepository, id, values)],
                        Type = JsonSchemaType.Null,
                        Description = concrete.Description,
                        Examples = concrete.Examples,
                    }
                    : new OpenApiSchema
                    {
                        AllOf = [NamedEnum(context.SchemaRepository, id, values)],
                        Description = concrete.Description,
                        Examples = concrete.Examples,
                    };
            }
        }
    }

    /// <summary>A closed set of strings as its own schema, so a generated client gets one named enum.</summary>
    private static IOpenApiSchema NamedEnum(SchemaRepository repository, string id, IEnumerable<string> values)
    {
        if (!repository.Schemas.ContainsKey(id))
        {
            repository.AddDefinition(
                id,
                new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = values.Distinct().Select(OpenApiContract.Node).ToList(),
                }
            );
        }

        return new OpenApiSchemaReference(id);
    }

    private void RequireWhatValidatorsRequire(OpenApiSchema schema, Type type)
    {
        if (services.GetService(typeof(IValidator<>).MakeGenericType(type)) is not IValidator validator)
        {
            return;
        }

        var descriptor = validator.CreateDescriptor();
        foreach (var member in descriptor.GetMembersWithValidators())
        {
            var required = descriptor
                .GetRulesForMember(member.Key)
                .Any(rule =>
                    !rule.HasCondition
                    && !rule.HasAsyncCondition
                    && rule.Components.Any(c =>
                        !c.HasCondition
                        && !c.HasAsyncCondition
                        && c.Validator is INotNullValidator or INotEmptyValidator
                    )
                );
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Key);
            if (!required || !schema.Properties!.TryGetValue(name, out var property))
            {
                continue;
            }

            schema.Required ??= new HashSet<string>();
            schema.Required.Add(name);
            if (property is OpenApiSchema concrete && concrete.Type is { } t)
            {
                concrete.Type = t & ~JsonSchemaType.Null;
            }
            else if (property is OpenApiSchema { AllOf.Count: > 0 } wrapper)
            {
                wrapper.Type = null;
            }
        }
    }

    private static void DescribeProblem(OpenApiSchema schema, SchemaRepository repository)
    {
        schema.Required = new HashSet<string> { "type", "title", "status", "instance", "code", "trace_id" };
        foreach (var property in schema.Properties!.Values.OfType<OpenApiSchema>())
        {
            // Absent rather than null: Truust writes only the members a problem has.
            if (property.Type is { } t)
            {
                property.Type = t & ~JsonSchemaType.Null;
            }
        }

        if (schema.Properties["allowed_actions"] is OpenApiSchema actions)
        {
            actions.Items = NamedEnum(
                repository,
                "AllowedAction",
                OpenApiContract
                    .OrderActions.Concat(OpenApiContract.CampaignActions)
                    .Concat(OpenApiContract.DisputeActions)
                    .Distinct()
            );
        }

        // Extensions a later problem may carry (a future member) must not break a strict client.
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
        schema.Examples =
        [
            new JsonObject
            {
                ["type"] = "https://docs.truust.dev/errors/invalid_transition",
                ["title"] = "Action not allowed in the current status",
                ["status"] = 409,
                ["detail"] = "Cannot validate an order in PUBLISHED. Allowed now: accept, reject, cancel.",
                ["instance"] = "/v1/orders/ord_2x8Jk1/validate",
                ["code"] = "invalid_transition",
                ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                ["current_status"] = "PUBLISHED",
                ["allowed_actions"] = new JsonArray("accept", "reject", "cancel"),
            },
        ];
    }
}

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
