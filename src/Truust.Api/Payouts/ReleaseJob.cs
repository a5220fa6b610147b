using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Api.Telemetry;
using Truust.Api.Wallets;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>Pays out validated orders (WALLET at once, ACCOUNT through the bank).</summary>
public sealed class ReleaseJob(
    TruustDbContext db,
    PayoutService payouts,
    WalletFlowService withdrawals,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "release";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var batch = options.Value.BatchSize;
        var releases = new ClaimQuery(
            "payouts",
            "p",
            $"""
            o.status = {WireName.Of(OrderStatus.PendingRelease)}
            AND p.status IN ({WireName.Of(PayoutStatus.Pending)}, {WireName.Of(PayoutStatus.Submitting)})
            """,
            "p.next_attempt_at"
        )
        {
            Joins = "JOIN orders o ON o.payout_id = p.id",
        };
        var ids = await db.ClaimAsync(releases, now, leaseUntil, batch, ct);
        await db.HandleEachAsync(
            releases,
            ids,
            now,
            leaseUntil,
            async id =>
            {
                using var span = TruustTelemetry.Source.HasListeners()
                    ? TruustTelemetry.StartWork("truust.release", await TraceParentAsync(id, ct), ("truust.payout_id", id))
                    : null;
                await payouts.ReleaseAsync(id, ct);
            },
            ct
        );

        // Withdrawals whose request died (or could not reach the bank) before recording the bank's answer.
        var stuckWithdrawals = new ClaimQuery(
            "payouts",
            "p",
            $"p.source_wallet_id IS NOT NULL AND p.status = {WireName.Of(PayoutStatus.Submitting)}",
            "p.next_attempt_at"
        );
        var stuck = await db.ClaimAsync(stuckWithdrawals, now, leaseUntil, batch, ct);
        await db.HandleEachAsync(
            stuckWithdrawals,
            stuck,
            now,
            leaseUntil,
            id => withdrawals.SubmitWithdrawalAsync(id, ct),
            ct
        );

        return ids.Count + stuck.Count;
    }

    /// <summary>The trace of the request that made the payout's order due (its validation), to continue it.</summary>
    private Task<string?> TraceParentAsync(string payoutId, CancellationToken ct) =>
        db
            .Orders.Where(o => o.PayoutId == payoutId)
            .Select(o => EF.Property<string?>(o, OrderConfiguration.ReleaseTraceParent))
            .FirstOrDefaultAsync(ct);
}
