namespace Truust.Api.Persistence.Records;

/// <summary>
/// A POST's Idempotency-Key, the hash of its request, and (once done) its response. Claimed before the request
/// runs, so a key can never start two effects; <see cref="EffectCommitted"/> is set inside the very transaction that
/// commits the request's effect, so after a crash a retry knows whether the money already moved.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Scope { get; init; }

    public required string Key { get; init; }

    public required string RequestHash { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>IN_FLIGHT or DONE.</summary>
    public required string Status { get; set; }

    public int? ResponseStatus { get; set; }

    public string? ResponseContentType { get; set; }

    public byte[]? ResponseBody { get; set; }

    public bool EffectCommitted { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LockedUntil { get; set; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>A stand-in for an existing record, attached only to update <see cref="EffectCommitted"/>.</summary>
    public static IdempotencyRecord Marker(string scope, string key) =>
        new()
        {
            Scope = scope,
            Key = key,
            RequestHash = string.Empty,
            Method = string.Empty,
            Path = string.Empty,
            Status = string.Empty,
            CreatedAt = default,
            LockedUntil = default,
            ExpiresAt = default,
        };
}
