using System.Security.Cryptography;

namespace Truust.Domain;

/// <summary>
/// Opaque, prefixed identifiers such as <c>ord_01jd9x…</c>: 48 bits of milliseconds (so ids sort by creation
/// and cursor pagination can page by id) followed by 80 random bits (so they cannot be guessed or enumerated).
/// Within one millisecond a process's ids still increase (the random part steps forward by a random amount).
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case.

    private static readonly UInt128 RandomMask = (UInt128.One << 80) - 1;

    // The last id handed out, swapped with a compare-and-exchange: no lock, so threads making ids at once never wait
    // on each other (a global lock here queued every request's inserts behind one another).
    private static Last _last = new(0, 0);

    public static string New(string prefix)
    {
        // Drawn outside the retry loop: the random bits and the clock are the costly part.
        var random = RandomBits();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var milliseconds = now;
            var next = random;
            if (milliseconds <= last.Milliseconds)
            {
                // Same millisecond (or the wall clock stepped back): without this, two rows written in one
                // millisecond (a history's steps, a posting's transfers) would read back in random order. Step
                // forward by a random amount rather than by one, so an id does not give away its neighbour.
                milliseconds = last.Milliseconds;
                next = last.Random + 1 + (random & uint.MaxValue);
                if (next > RandomMask)
                {
                    milliseconds++;
                    next &= RandomMask;
                }
            }

            var made = new Last(milliseconds, next);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _last, made, last), last))
            {
                return $"{prefix}_{Encode(milliseconds, next)}";
            }
        }
    }

    private sealed record Last(long Milliseconds, UInt128 Random);

    /// <summary>A secret of <paramref name="bytes"/> random bytes in base32, for capability links and keys.</summary>
    public static string Secret(int bytes = 20)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base32(buffer);
    }

    private static UInt128 RandomBits()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt128(bytes) & RandomMask;
    }

    private static string Encode(long milliseconds, UInt128 random)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        for (var i = 0; i < 10; i++)
        {
            bytes[6 + i] = (byte)(random >> (8 * (9 - i)));
        }

        return Base32(bytes)[..26];
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0,
            bits = 0,
            index = 0;
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
