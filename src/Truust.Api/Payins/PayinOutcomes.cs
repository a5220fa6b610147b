using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence;
using Truust.Api.Webhooks;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// A payin's outcome and what it does to the payin's target, through the <see cref="IPayinFunding"/> for that
/// target, inside the transaction that records the outcome. The card rail, the wire rail and a WALLET payin's
/// immediate debit all record their outcome here.
/// </summary>
public sealed class PayinOutcomes(
    TruustDbContext db,
    IEnumerable<IPayinFunding> fundings,
    EventOutbox events,
    TimeProvider clock
)
{
    /// <summary>
    /// Locks what the payin funds and then the payin itself (the lock order, see
    /// <see cref="IPayinFunding.LockAsync"/>), and returns the payin, tracked.
    /// </summary>
    public async Task<Payin> LockAsync(string payinId, CancellationToken ct) =>
        await LockAsync(await db.Payins.AsNoTracking().FirstAsync(p => p.Id == payinId, ct), ct);

    /// <summary>Locks what <paramref name="read"/> (the payin as read before any lock) funds and then the payin,
    /// and returns the payin, tracked.</summary>
    public async Task<Payin> LockAsync(Payin read, CancellationToken ct)
    {
        await FundingOf(read).LockAsync(read, ct);
        return await Locks.Payin(db, read.Id).SingleAsync(ct);
    }

    /// <summary>The payin's money arrived from <paramref name="source"/>: it succeeds and funds its target.</summary>
    public async Task SucceedAsync(Payin payin, string source, string? senderIban, CancellationToken ct)
    {
        payin.Succeed(clock.GetUtcNow(), senderIban);
        events.PayinChanged(payin);
        await FundingOf(payin).FundAsync(payin, source, ct);
    }

    /// <summary>The payin has just failed or expired: that is announced, and its target stops waiting for it.</summary>
    public async Task FailedAsync(Payin payin, CancellationToken ct)
    {
        events.PayinChanged(payin);
        await FundingOf(payin).FailAsync(payin, ct);
    }

    private IPayinFunding FundingOf(Payin payin) => fundings.Single(f => f.Funds(payin));
}
