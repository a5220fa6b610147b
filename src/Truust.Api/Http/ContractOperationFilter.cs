using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Truust.Api.Http;

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
