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
        UnitOfWork unitOfWork,
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
        var claim = new IdempotencyRecord
        {
            Scope = scope,
            Key = key,
            RequestHash = hash,
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? "/",
            Status = IdempotencyStore.InFlight,
            CreatedAt = now,
            LockedUntil = lease,
            ExpiresAt = now.AddHours(options.Value.RetentionHours),
        };
        var ct = context.RequestAborted;
        if (!await unitOfWork.BeginRequestAsync(claim, ct))
        {
            var existing = await db
                .IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
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

            if (existing.Status == IdempotencyStore.Done)
            {
                context.Response.StatusCode = existing.ResponseStatus!.Value;
                context.Response.ContentType = existing.ResponseContentType;
                context.Response.Headers[ReplayedHeader] = "true";
                await context.Response.Body.WriteAsync(existing.ResponseBody ?? [], ct);
                return;
            }

            // Only a request that committed before an outside call leaves its key IN_FLIGHT where others can see
            // it. Its lease is taken over once it has ended: when nothing of it took effect, the retry runs afresh;
            // when part of it did, only an endpoint that can pick up where the dead request stopped is re-run.
            var resumable = context.GetEndpoint()?.Metadata.GetMetadata<ResumableAfterCrashAttribute>() is not null;
            var takenOver =
                (!existing.EffectCommitted || resumable)
                && existing.LockedUntil <= now
                && await unitOfWork.TakeOverRequestAsync(existing, lease, resume: resumable, ct);
            if (!takenOver)
            {
                if (existing.EffectCommitted && existing.LockedUntil <= now)
                {
                    await Problems.WriteAsync(
                        context,
                        409,
                        "idempotency_response_lost",
                        "Request took effect; response lost",
                        $"The request with Idempotency-Key '{key}' took effect, but its response was lost. "
                            + "Fetch the object it created or changed."
                    );
                    return;
                }

                await InFlight(context);
                return;
            }
        }

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
            await unitOfWork.AbandonRequestAsync();
            throw;
        }

        context.Response.Body = originalBody;
        var status = context.Response.StatusCode;
        var body = buffer.ToArray();
        var storable = status < 500 && status is not (409 or 429);
        var effect = requestIdempotency.EffectPending || requestIdempotency.EffectCommitted;
        var completed = await unitOfWork.CompleteRequestAsync(
            storable || effect ? new StoredResponse(status, context.Response.ContentType, body) : null,
            ct
        );
        if (!completed)
        {
            // A retry took the key over while this request ran: none of this request's effect was committed after
            // that, and the retry's own answer is the one the client keeps.
            context.Response.Headers.Clear();
            await Problems.WriteAsync(
                context,
                409,
                "idempotency_lease_lost",
                "Request superseded",
                $"A retry with Idempotency-Key '{key}' took this request over; its answer is the one that counts."
            );
            return;
        }

        await originalBody.WriteAsync(body, ct);
    }

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

/// <summary>
/// Marks an endpoint whose request, if the process dies after part of it committed (a card sent to the processor),
/// can be re-run under the same Idempotency-Key and picks up where the dead one stopped, so the retry gets a real
/// answer instead of <c>409 idempotency_response_lost</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResumableAfterCrashAttribute : Attribute;
