using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Truust.Domain;

namespace Truust.Api.Http;

/// <summary>
/// Members as the validators and the wire have them: a request member a validator requires without condition is
/// <c>required</c> and not nullable; closed sets of strings (currency, allowed actions, event types) are enums.
/// Responses are made all-required by <see cref="ContractDocumentFilter"/>, since Truust writes every member. The
/// event types are the webhooks' closed set, handed in by <see cref="OpenApiContract.AddTruustOpenApi"/>.
/// </summary>
public sealed class ContractSchemaFilter(IServiceProvider services, IReadOnlyList<string> eventTypes) : ISchemaFilter
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
                "event_types" => ("EventTypeSubscription", eventTypes.Append("*")),
                "type" when context.Type.Name is "EventResponse" => ("EventType", eventTypes),
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
