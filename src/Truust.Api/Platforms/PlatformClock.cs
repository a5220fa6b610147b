using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence;
using Truust.Domain.Platforms;

namespace Truust.Api.Platforms;

/// <summary>
/// A platform's "now": real time (the application's <see cref="TimeProvider"/>) plus the platform's sandbox clock
/// offset (<see cref="Platform.ClockOffsetSeconds"/>). Every timer of a platform and the history its actions write
/// read this, so a sandbox that advanced its clock sees deadlines fire and history in one consistent time, while
/// other platforms keep real time. The workers' claims compare in SQL instead (<see cref="PlatformClockSql"/>), row by
/// row against each row's platform. Leases, idempotency and webhook retries stay on real time: they are Truust's
/// business, not the platform's.
/// </summary>
/// <remarks>
/// Scoped: the offset is read once per platform per scope (a request, or one round of a worker), so a unit of work
/// reads one consistent "now" and pays one small query for it, and the next request or round sees an advance.
/// </remarks>
public sealed class PlatformClock(TruustDbContext db, TimeProvider clock)
{
    // Compiled once: read on most requests that change an order.
    private static readonly Func<TruustDbContext, string, CancellationToken, Task<long>> OffsetAsync =
        EF.CompileAsyncQuery(
            (TruustDbContext db, string id, CancellationToken ct) =>
                db.Platforms.AsNoTracking().Where(p => p.Id == id).Select(p => p.ClockOffsetSeconds).FirstOrDefault()
        );

    private static readonly Func<TruustDbContext, string, long> OffsetOf = EF.CompileQuery(
        (TruustDbContext db, string id) =>
            db.Platforms.AsNoTracking().Where(p => p.Id == id).Select(p => p.ClockOffsetSeconds).FirstOrDefault()
    );

    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    /// <summary>The platform's now.</summary>
    public async Task<DateTimeOffset> NowAsync(string platformId, CancellationToken ct)
    {
        if (!_offsets.TryGetValue(platformId, out var offset))
        {
            offset = await OffsetAsync(db, platformId, ct);
            _offsets[platformId] = offset;
        }

        return clock.GetUtcNow().AddSeconds(offset);
    }

    /// <summary>
    /// The platform's now, for the synchronous apply paths (an order's or a campaign's transition, which a unit of
    /// work reaches after it has locked the row, and locking an order reads the offset already). A miss reads it
    /// synchronously: one indexed primary-key read, once per scope.
    /// </summary>
    public DateTimeOffset Now(string platformId)
    {
        if (!_offsets.TryGetValue(platformId, out var offset))
        {
            offset = OffsetOf(db, platformId);
            _offsets[platformId] = offset;
        }

        return clock.GetUtcNow().AddSeconds(offset);
    }

    /// <summary>
    /// Takes the offset from a platform row this scope has just read (creating an order reads the platform for its
    /// fee and policy), so the transition that follows does not read it again, synchronously. An offset this scope
    /// already holds is kept: one scope, one "now".
    /// </summary>
    public void Remember(Platform platform) => _offsets.TryAdd(platform.Id, platform.ClockOffsetSeconds);
}
