using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Workers;
using Truust.Domain.Platforms;

namespace Truust.Api.Sandbox;

/// <summary>
/// A platform's sandbox clock: read it, move it forward. Moving it wakes every deadline worker once the advance has
/// committed, so what the advance made due (a wire to expire, a campaign to settle, a payout to settle) is handled
/// right away. Only the platform's own offset changes: other platforms keep real time.
/// </summary>
public sealed class SandboxClockService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    WorkerSignals signals,
    TimeProvider clock
)
{
    public async Task<SandboxClockResponse> GetAsync(string platformId, CancellationToken ct)
    {
        var platform = await db.Platforms.AsNoTracking().SingleAsync(p => p.Id == platformId, ct);
        return ToResponse(platform);
    }

    public Task<SandboxClockResponse> AdvanceAsync(string platformId, long seconds, CancellationToken ct) =>
        unitOfWork.RunAsync(
            async () =>
            {
                // The row lock serialises two advances, so both count and neither passes the limit.
                var platform = await Locks.Platform(db, platformId).SingleAsync(ct);
                platform.AdvanceClock(seconds);
                foreach (var timer in signals.Timers)
                {
                    unitOfWork.WakeAfterCommit(timer);
                }

                return ToResponse(platform);
            },
            ct
        );

    private SandboxClockResponse ToResponse(Platform platform)
    {
        var realNow = clock.GetUtcNow();
        return new SandboxClockResponse(platform.Id, platform.Now(realNow), realNow, platform.ClockOffsetSeconds);
    }
}
