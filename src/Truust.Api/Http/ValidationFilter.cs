using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

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
    /// Model binding failures (unparseable JSON, a string where a number belongs, an unknown field) are 400
    /// <c>malformed_request</c>: the request could not be read, so nothing was attempted.
    /// </summary>
    public static IActionResult MalformedRequest(ActionContext context)
    {
        var errors = context
            .ModelState.Where(e => e.Value?.Errors.Count > 0)
            .ToDictionary(
                e => string.IsNullOrEmpty(e.Key) ? "body" : e.Key.TrimStart('$', '.'),
                e =>
                    e.Value!.Errors.Select(x =>
                            string.IsNullOrEmpty(x.ErrorMessage)
                                ? x.Exception?.Message ?? "Invalid value."
                                : x.ErrorMessage
                        )
                        .ToArray()
            );
        var problem = Problems.Create(
            context.HttpContext,
            400,
            "malformed_request",
            "The request could not be read",
            "The body is not valid JSON for this endpoint: "
                + string.Join(" ", errors.SelectMany(e => e.Value).Take(2)),
            errors
        );
        return ProblemResult(problem);
    }

    /// <summary>
    /// A JsonResult, not an ObjectResult: the controllers' [Produces("application/json")] rewrites an ObjectResult's
    /// content type, and these bodies must go out as application/problem+json like every other error.
    /// </summary>
    private static JsonResult ProblemResult(ProblemDetails problem) =>
        new(problem) { StatusCode = problem.Status, ContentType = "application/problem+json" };
}
