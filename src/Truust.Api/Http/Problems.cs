using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Lifecycle;

namespace Truust.Api.Http;

/// <summary>An id that does not exist, or belongs to another platform: both answer 404, so neither leaks.</summary>
public sealed class NotFoundException(string resource, string id) : Exception($"No such {resource}: '{id}'.")
{
    public string Resource { get; } = resource;
}

/// <summary>A request that the caller's key may not make (for instance an operator-only action).</summary>
public sealed class ForbiddenException(string message, string code = "forbidden") : Exception(message)
{
    /// <summary>The problem's machine-readable code (<c>forbidden</c>, or a more precise one).</summary>
    public string Code { get; } = code;
}

/// <summary>
/// Builds RFC 9457 problem details. Every error Truust returns goes through here, so each carries the same
/// shape: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, a stable <c>code</c> and, for input errors,
/// <c>errors</c> keyed by snake_case field name.
/// </summary>
public static class Problems
{
    public static ProblemDetails Create(
        HttpContext context,
        int status,
        string code,
        string title,
        string? detail,
        IDictionary<string, string[]>? errors = null
    )
    {
        var problem = new ProblemDetails
        {
            Type = $"https://docs.truust.dev/errors/{code}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        // The trace id alone (32 hex digits), as trace back-ends search for it; not the whole traceparent.
        problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        return problem;
    }

    public static Task WriteAsync(
        HttpContext context,
        int status,
        string code,
        string title,
        string? detail,
        IDictionary<string, string[]>? errors = null,
        IDictionary<string, object?>? extensions = null
    )
    {
        var problem = Create(context, status, code, title, detail, errors);
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, JsonDefaults.Options, "application/problem+json");
    }
}

/// <summary>
/// The one map from exceptions to HTTP: domain failures become 409/422 with their code, unknown ids 404, an
/// unreachable database 503 with Retry-After, and anything unexpected a 500 that is logged in full but shows the
/// caller only a trace id.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The member of a 409 state conflict that carries the object's current status.</summary>
    public const string CurrentStatusMember = "current_status";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // EF Core evaluates the captured values of a query (caller.RequirePlatform() in a Where) while it compiles it,
        // and wraps what they throw in an InvalidOperationException: unwrapped, a 403 or 404 stays one, not a 500.
        while (
            exception
                is InvalidOperationException
                {
                    InnerException: (DomainException or NotFoundException or ForbiddenException) and var inner,
                }
        )
        {
            exception = inner;
        }

        switch (exception)
        {
            case InvalidTransitionException e:
                await Problems.WriteAsync(
                    context,
                    409,
                    e.Code,
                    "Action not allowed in the current status",
                    InvalidTransitionDetail(e),
                    extensions: new Dictionary<string, object?>
                    {
                        // Not "status": RFC 9457 gives that member the HTTP status code, and a second "status"
                        // member makes the body ambiguous JSON that strict parsers refuse.
                        [CurrentStatusMember] = e.CurrentStatus,
                        ["allowed_actions"] = e.AllowedActions,
                    }
                );
                return true;
            case BusinessRuleException e:
                await Problems.WriteAsync(
                    context,
                    422,
                    e.Code,
                    "The request breaks a business rule",
                    e.Message,
                    e.Field is null ? null : new Dictionary<string, string[]> { [e.Field] = [e.Message] }
                );
                return true;
            case ConflictException e:
                await Problems.WriteAsync(context, 409, e.Code, "Conflict with the current state", e.Message);
                return true;
            case Persistence.Records.IdempotencyLeaseLostException e:
                await Problems.WriteAsync(
                    context,
                    409,
                    "idempotency_lease_lost",
                    "Request superseded",
                    $"A retry with Idempotency-Key '{e.Key}' took this request over; nothing more of it was applied."
                );
                return true;
            case NotFoundException e:
                await Problems.WriteAsync(context, 404, "resource_missing", "Not found", e.Message);
                return true;
            case ForbiddenException e:
                await Problems.WriteAsync(context, 403, e.Code, "Forbidden", e.Message);
                return true;
            case BadHttpRequestException e:
                await Problems.WriteAsync(
                    context,
                    e.StatusCode,
                    e.StatusCode == 413 ? "request_too_large" : "malformed_request",
                    "Bad request",
                    e.Message
                );
                return true;
            case System.Text.DecoderFallbackException:
                // Thrown while MVC transcodes a body from its declared charset (a UTF-8 body sent as charset=utf-16).
                await Problems.WriteAsync(
                    context,
                    400,
                    "malformed_request",
                    "The request could not be read",
                    "The body is not valid text in the charset its Content-Type declares; send UTF-8 JSON."
                );
                return true;
            case PostgresException
            {
                SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            }:
            case Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException:
                await Problems.WriteAsync(
                    context,
                    409,
                    "concurrent_update",
                    "Another request changed this object at the same time",
                    "Retry the request."
                );
                return true;
            case Microsoft.EntityFrameworkCore.DbUpdateException
            {
                InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
            }:
                await Problems.WriteAsync(
                    context,
                    409,
                    "duplicate",
                    "Already exists",
                    "An object with these unique fields was created at the same time; fetch it instead of creating it again."
                );
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return true;
            case var _ when IsUnstorableText(exception):
                // TextInput refuses such text as it arrives; this is the backstop for a path that let one through.
                await Problems.WriteAsync(
                    context,
                    400,
                    "malformed_request",
                    "The request could not be read",
                    "A text value holds a character that cannot be stored, such as NUL."
                );
                return true;
            case var _ when DatabaseOutage.Find(exception) is { } cause:
                // Expected while PostgreSQL restarts or fails over: one line, no stack trace, and a hint to retry.
                logger.LogWarning(
                    "Database unavailable on {Method} {Path}: {Reason}",
                    context.Request.Method,
                    context.Request.Path,
                    cause.Message
                );
                context.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(
                    System.Globalization.CultureInfo.InvariantCulture
                );
                await Problems.WriteAsync(
                    context,
                    503,
                    "service_unavailable",
                    "Service temporarily unavailable",
                    $"Truust cannot reach its database right now. Retry in {DatabaseOutage.RetryAfterSeconds} s."
                );
                return true;
            default:
                logger.LogError(
                    exception,
                    "Unhandled error on {Method} {Path}",
                    context.Request.Method,
                    context.Request.Path
                );
                await Problems.WriteAsync(
                    context,
                    500,
                    "internal_error",
                    "Internal error",
                    "Something went wrong on our side. Quote the trace id if you contact support."
                );
                return true;
        }
    }

    private static bool IsUnstorableText(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (
                e is PostgresException
                {
                    SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter,
                }
            )
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a refused action answers, in wire names; the dashboard shows the same words.</summary>
    public static string InvalidTransitionDetail(InvalidTransitionException e) => e.Message;
}
