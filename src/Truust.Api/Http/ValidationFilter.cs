using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Truust.Api.Http;

/// <summary>
/// Validates every action argument that has a FluentValidation validator before the action runs. A failure is a
/// 422 <c>validation_failed</c> naming each field, and the action (so the database) is never reached.
/// </summary>
public sealed class ValidationFilter(IServiceProvider services) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var argument in context.ActionArguments.Values)
        {
            if (argument is null)
            {
                continue;
            }

            var validatorType = typeof(IValidator<>).MakeGenericType(argument.GetType());
            if (services.GetService(validatorType) is not IValidator validator)
            {
                continue;
            }

            var result = await validator.ValidateAsync(
                new ValidationContext<object>(argument),
                context.HttpContext.RequestAborted
            );
            foreach (var failure in result.Errors)
            {
                var key = failure.PropertyName;
                if (!errors.TryGetValue(key, out var list))
                {
                    errors[key] = list = [];
                }

                list.Add(failure.ErrorMessage);
            }
        }

        if (errors.Count > 0)
        {
            var detail = string.Join(" ", errors.SelectMany(e => e.Value).Take(3));
            var problem = Problems.Create(
                context.HttpContext,
                422,
                "validation_failed",
                "The request is not valid",
                detail,
                errors.ToDictionary(e => e.Key, e => e.Value.ToArray())
            );
            context.Result = ProblemResult(problem);
            return;
        }

        await next();
    }

    /// <summary>Makes FluentValidation name fields as the JSON does: <c>bankaccount_id</c>,
    /// <c>splits[0].amount</c>.</summary>
    public static void UseSnakeCaseNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
    }

    /// <summary>
    /// Model binding failures (unparseable JSON, a string where a number belongs, an unknown field, a control
    /// character) are 400 <c>malformed_request</c>: the request could not be read, so nothing was attempted. Each
    /// error names its field by JSON path and says what JSON belongs there, never which .NET type failed to bind.
    /// </summary>
    public static IActionResult MalformedRequest(ActionContext context)
    {
        var bodyType = context
            .ActionDescriptor.Parameters.FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body)
            ?.ParameterType;
        var errors = new Dictionary<string, List<string>>();
        foreach (var (key, entry) in context.ModelState)
        {
            foreach (var error in entry.Errors)
            {
                var raw = string.IsNullOrEmpty(error.ErrorMessage)
                    ? error.Exception?.Message ?? "Invalid value."
                    : error.ErrorMessage;
                var (field, message) = JsonInputErrors.Describe(key, raw, bodyType);
                field = string.IsNullOrEmpty(key) ? "body" : field;
                if (!errors.TryGetValue(field, out var list))
                {
                    errors[field] = list = [];
                }

                list.Add(message);
            }
        }

        var problem = Problems.Create(
            context.HttpContext,
            400,
            "malformed_request",
            "The request could not be read",
            (
                context.ModelState.Keys.Any(k => k.Length == 0 || k.StartsWith('$'))
                    ? "The body is not valid JSON for this endpoint: "
                    : "The request could not be read: "
            ) + string.Join(" ", errors.Take(2).Select(e => $"{(e.Key.Length == 0 ? "body" : e.Key)}: {e.Value[0]}")),
            errors.ToDictionary(e => e.Key, e => e.Value.ToArray())
        );
        return ProblemResult(problem);
    }

    /// <summary>
    /// A JsonResult, not an ObjectResult: the controllers' [Produces("application/json")] rewrites an ObjectResult's
    /// content type, and these bodies must go out as application/problem+json like every other error.
    /// </summary>
    internal static JsonResult ProblemResult(ProblemDetails problem) =>
        new(problem) { StatusCode = problem.Status, ContentType = "application/problem+json" };
}
