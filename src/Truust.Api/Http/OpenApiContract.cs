using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Disputes;
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

    /// <summary>The document's generator; <paramref name="eventTypes"/> is the closed set of event types (the
    /// webhooks' families), listed as the <c>EventType</c> enum.</summary>
    public static void AddTruustOpenApi(this IServiceCollection services, IReadOnlyList<string> eventTypes)
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
            options.SchemaFilter<ContractSchemaFilter>(eventTypes);
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
