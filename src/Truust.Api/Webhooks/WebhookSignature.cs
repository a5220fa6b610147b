using System.Security.Cryptography;

namespace Truust.Api.Webhooks;

/// <summary>The Standard Webhooks signature: HMAC-SHA256 over "{id}.{timestamp}.{body}", base64, prefixed v1.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(
            secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret
        );
        var mac = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>Checks a <c>webhook-signature</c> header (which may carry several space-separated
    /// signatures).</summary>
    public static bool Verify(string secret, string id, long timestamp, string body, string header)
    {
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(secret, id, timestamp, body));
        return header
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(s), expected));
    }
}
