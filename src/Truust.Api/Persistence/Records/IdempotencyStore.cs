using Microsoft.EntityFrameworkCore;

namespace Truust.Api.Persistence.Records;

/// <summary>A response kept for replay: what the client was (or would have been) sent.</summary>
public sealed record StoredResponse(int Status, string? ContentType, byte[] Body);

/// <summary>The Idempotency-Key the request in this scope holds, and what it has done under it.</summary>
public sealed class RequestIdempotency
{
    /// <summary>The key, and its lease end, which is also its fencing token: a take-over sets a new one.</summary>
    public (string Scope, string Key, DateTimeOffset Token)? Current { get; set; }

    /// <summary>An effect is in the open request transaction (it lands when that commits).</summary>
    public bool EffectPending { get; set; }

    /// <summary>An effect of this request has committed.</summary>
    public bool EffectCommitted { get; set; }

    /// <summary>
    /// This request re-runs a key whose earlier holder died after committing part of its work (a card sent to the
    /// processor): the endpoint picks up where that one stopped instead of starting again.
    /// </summary>
    public bool Resumed { get; set; }
}

/// <summary>Thrown when a request's Idempotency-Key lease was taken over by a retry: it must not commit.</summary>
public sealed class IdempotencyLeaseLostException(string key)
    : Exception($"The lease on Idempotency-Key '{key}' was taken over by another request.")
{
    public string Key { get; } = key;
}

/// <summary>
/// The statements on idempotency records, each fenced by the lease the request holds (<c>locked_until</c>): a request
/// whose lease a retry took over changes nothing of the key any more.
/// </summary>
public static class IdempotencyStore
{
    public const string InFlight = "IN_FLIGHT";
    public const string Done = "DONE";

    public static async Task<bool> TryInsertAsync(TruustDbContext db, IdempotencyRecord claim, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO idempotency_records (scope, key, request_hash, method, path, status, effect_committed,
                created_at, locked_until, expires_at)
            VALUES ({claim.Scope}, {claim.Key}, {claim.RequestHash}, {claim.Method}, {claim.Path}, {InFlight}, false,
                {claim.CreatedAt}, {claim.LockedUntil}, {claim.ExpiresAt})
            ON CONFLICT DO NOTHING
            """,
            ct
        ) == 1;

    public static async Task<bool> TryTakeOverAsync(
        TruustDbContext db,
        IdempotencyRecord stale,
        DateTimeOffset lease,
        bool evenAfterEffect,
        CancellationToken ct
    ) =>
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE idempotency_records SET locked_until = {lease}
            WHERE scope = {stale.Scope} AND key = {stale.Key} AND status = {InFlight}
                AND (effect_committed = false OR {evenAfterEffect}) AND locked_until = {stale.LockedUntil}
            """,
            ct
        ) == 1;

    public static async Task MarkEffectAsync(TruustDbContext db, RequestIdempotency request, CancellationToken ct)
    {
        var (scope, key, token) = request.Current!.Value;
        var marked = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE idempotency_records SET effect_committed = true
            WHERE scope = {scope} AND key = {key} AND locked_until = {token}
            """,
            ct
        );
        if (marked != 1)
        {
            throw new IdempotencyLeaseLostException(key);
        }
    }

    /// <summary>Stores the response under the key; false when the lease was taken over (fenced off).</summary>
    public static async Task<bool> CompleteAsync(
        TruustDbContext db,
        RequestIdempotency request,
        StoredResponse response,
        CancellationToken ct
    )
    {
        var (scope, key, token) = request.Current!.Value;
        var effect = request.EffectPending || request.EffectCommitted;
        return await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE idempotency_records SET status = {Done}, response_status = {response.Status},
                    response_content_type = {response.ContentType}, response_body = {response.Body},
                    effect_committed = effect_committed OR {effect}
                WHERE scope = {scope} AND key = {key} AND locked_until = {token}
                """,
                ct
            ) == 1;
    }

    /// <summary>Frees a key whose request took no effect, so a retry runs at once.</summary>
    public static async Task<bool> ReleaseAsync(TruustDbContext db, RequestIdempotency request, CancellationToken ct)
    {
        var (scope, key, token) = request.Current!.Value;
        return await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                DELETE FROM idempotency_records
                WHERE scope = {scope} AND key = {key} AND locked_until = {token} AND effect_committed = false
                """,
                ct
            ) == 1;
    }
}
