using System.Security.Cryptography;
using System.Text;

namespace Truust.Domain.Platforms;

/// <summary>
/// A platform's secret API key. Only its SHA-256 hash is stored: the key itself is shown once, at creation.
/// A fast hash is right here because keys carry 160 random bits; a slow password hash would only slow every call.
/// </summary>
public sealed class ApiKey
{
    private ApiKey()
    {
        Id = PlatformId = Hash = Prefix = string.Empty;
    }

    private ApiKey(string platformId, string secret, string? label, DateTimeOffset now)
    {
        Id = Ids.New("key");
        PlatformId = platformId;
        Hash = HashOf(secret);
        Prefix = secret[..12];
        Label = label;
        CreatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Hash { get; private set; }

    /// <summary>The first characters of the key, so people can tell their keys apart.</summary>
    public string Prefix { get; private set; }

    public string? Label { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>The prefix of a test key: it may drive the sandbox (its clock, chargebacks).</summary>
    public const string TestPrefix = "sk_test_";

    /// <summary>The prefix of a live key: the sandbox helpers refuse it.</summary>
    public const string LivePrefix = "sk_live_";

    /// <summary>Whether the key is a live key (its stored prefix says so; its secret is never stored).</summary>
    public bool IsLive => Prefix.StartsWith(LivePrefix, StringComparison.Ordinal);

    /// <summary>Creates a key and returns its secret, which is never stored.</summary>
    public static (ApiKey Key, string Secret) Create(
        string platformId,
        string? label,
        DateTimeOffset now,
        bool live = false
    )
    {
        var secret = $"{(live ? LivePrefix : TestPrefix)}{Ids.Secret()}";
        return (new ApiKey(platformId, secret, label, now), secret);
    }

    /// <summary>A key with a known secret, for the seeded demo platform only.</summary>
    public static ApiKey FromKnownSecret(string platformId, string secret, DateTimeOffset now) =>
        new(platformId, secret, "demo", now);

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
