using System.Security.Cryptography;

namespace Truust.Domain;

/// <summary>
/// Opaque, prefixed identifiers such as <c>ord_01jd9x…</c>: 48 bits of milliseconds (so ids sort by creation
/// and cursor pagination can page by id) followed by 80 random bits (so they cannot be guessed or enumerated).
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case.

    public static string New(string prefix) => $"{prefix}_{Encode(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())}";

    /// <summary>A secret of <paramref name="bytes"/> random bytes in base32, for capability links and keys.</summary>
    public static string Secret(int bytes = 20)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base32(buffer);
    }

    private static string Encode(long milliseconds)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Base32(bytes)[..26];
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, index = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[index++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[index++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, index);
    }
}
