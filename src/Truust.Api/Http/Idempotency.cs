using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Persistence.Records;

namespace Truust.Api.Http;

public sealed class IdempotencyOptions
{
    public int RetentionHours { get; set; } = 24;

    /// <summary>How long a request may hold its key before a retry may take over (it died before any effect).</summary>
    public int LeaseSeconds { get; set; } = 60;
}

/// <summary>
/// Idempotency-Key on POST /v1/...: the same key and body replays the stored response (header
/// <c>Idempotent-Replayed: true</c>); the same key with another body is 422 <c>idempotency_key_reused</c>; the same
/// key while the first request still runs is 409 <c>idempotency_request_in_flight</c>. Keys are per platform.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(
        HttpContext context,
        TruustDbContext db,
        RequestIdempotency requestIdempotency,
        TimeProvider clock,
        IOptions<IdempotencyOptions> options
    )
    {
        var key = context.Request.Headers[Header].ToString();
        if (
            !HttpMethods.IsPost(context.Request.Method)
            || key.Length == 0
            || !context.Request.Path.StartsWithSegments("/v1")
            || context.User.Identity?.IsAuthenticated != true
        )
        {
            await next(context);
            return;
        }

        if (key.Length > MaxKeyLength)
        {
            await Problems.WriteAsync(
                context,
                400,
                "invalid_idempotency_key",
                "Invalid Idempotency-Key",
                $"An Idempotency-Key has at most {MaxKeyLength} characters."
            );
            return;
        }

        var caller = Caller.From(context.User);
        var scope = caller.PlatformId ?? "operator";
        var hash = await HashRequestAsync(context.Request);
        var now = clock.GetUtcNow();
        var lease = now.AddSeconds(options.Value.LeaseSeconds);
        var claimed =
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO idempotency_records (scope, key, request_hash, method, path, status, effect_committed, created_at, locked_until, expires_at)
                VALUES ({scope}, {key}, {hash}, {context.Request.Method}, {context.Request.Path.Value}, 'IN_FLIGHT', false, {now}, {lease}, {now.AddHours(
                    options.Value.RetentionHours
                )})
                ON CONFLICT DO NOTHING
                """
            ) == 1;

        if (!claimed)
        {
            var existing = await db
                .IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key);
            if (existing is null)
            {
                // Purged between our insert and read: a fresh request would be correct, but asking for a retry is
                // simpler.
                await InFlight(context);
                return;
            }

            if (existing.RequestHash != hash)
            {
                await Problems.WriteAsync(
                    context,
                    422,
                    "idempotency_key_reused",
                    "Idempotency-Key reused",
                    $"Idempotency-Key '{key}' was used with a different request ({existing.Method} {existing.Path}). "
                        + "Use a new key for a new request."
                );
                return;
            }

            if (existing.Status == "DONE")
            {
                context.Response.StatusCode = existing.ResponseStatus!.Value;
                context.Response.ContentType = existing.ResponseContentType;
                context.Response.Headers[ReplayedHeader] = "true";
                await context.Response.Body.WriteAsync(existing.ResponseBody ?? []);
                return;
            }

            var takenOver =
                !existing.EffectCommitted
                && existing.LockedUntil <= now
                && await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    UPDATE idempotency_records SET locked_until = {lease}
                    WHERE scope = {scope} AND key = {key} AND status = 'IN_FLIGHT' AND locked_until = {existing.LockedUntil}
                    """
                ) == 1;
            if (!takenOver)
            {
                if (existing.EffectCommitted && existing.LockedUntil <= now)
                {
                    await Problems.WriteAsync(
                        context,
                        409,
                        "idempotency_response_lost",
                        "Request took effect; response lost",
                        $"The request with Idempotency-Key '{key}' took effect, but its response was lost. Fetch the object it created or changed."
                    );
                    return;
                }

                await InFlight(context);
                return;
            }
        }

        requestIdempotency.Current = (scope, key);
        var originalBody = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            context.Response.Body = originalBody;
            await ReleaseAsync(db, scope, key);
            throw;
        }

        context.Response.Body = originalBody;
        var status = context.Response.StatusCode;
        var body = buffer.ToArray();
        var storable = status < 500 && status is not (409 or 429);
        var committed = await db
            .IdempotencyRecords.AsNoTracking()
            .Where(r => r.Scope == scope && r.Key == key)
            .Select(r => r.EffectCommitted)
            .FirstOrDefaultAsync();
        if (storable || committed)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE idempotency_records SET status = 'DONE', response_status = {status},
                    response_content_type = {context.Response.ContentType}, response_body = {body}
                WHERE scope = {scope} AND key = {key}
                """
            );
        }
        else
        {
            await ReleaseAsync(db, scope, key);
        }

        await originalBody.WriteAsync(body);
    }

    /// <summary>A request that failed before any effect frees its key, so the client can simply retry.</summary>
    private static Task ReleaseAsync(TruustDbContext db, string scope, string key) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM idempotency_records WHERE scope = {scope} AND key = {key} AND effect_committed = false"
        );

    private static Task InFlight(HttpContext context) =>
        Problems.WriteAsync(
            context,
            409,
            "idempotency_request_in_flight",
            "Request in flight",
            "A request with this Idempotency-Key is still being processed; retry after it completes."
        );

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        long total = 0;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            total += read;
            if (total > ServiceSetup.MaxRequestBodyBytes)
            {
                throw new BadHttpRequestException("Request body too large.", 413);
            }

            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
