using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Api.Refunds;

namespace Truust.Api.Workers;

public sealed class WorkerOptions
{
    /// <summary>Set false to run no background work in this instance (tests may drive jobs by hand).</summary>
    public bool Enabled { get; set; } = true;

    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>How long a claimed item stays leased to one instance before another may try it.</summary>
    public int LeaseSeconds { get; set; } = 60;

    public int BatchSize { get; set; } = 20;
}

/// <summary>
/// One kind of background work. Items are claimed with FOR UPDATE SKIP LOCKED and leased by pushing their
/// next_attempt_at forward in the same statement, so several API instances share a database without two of
/// them working on the same item, and an item whose worker died is picked up again when its lease ends.
/// </summary>
public interface IWorkerJob
{
    string Name { get; }

    /// <summary>Claims and processes one batch; returns how many items it took.</summary>
    Task<int> RunOnceAsync(CancellationToken ct);
}

/// <summary>Pays out validated orders (WALLET at once, ACCOUNT through the bank).</summary>
public sealed class ReleaseJob(
    TruustDbContext db,
    PayoutService payouts,
    Wallets.WalletFlowService withdrawals,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "release";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                UPDATE payouts SET next_attempt_at = {leaseUntil}
                WHERE id IN (
                    SELECT p.id FROM payouts p JOIN orders o ON o.payout_id = p.id
                    WHERE o.status = 'PENDING_RELEASE' AND p.status IN ('PENDING', 'SUBMITTING') AND p.next_attempt_at <= {now}
                    ORDER BY p.next_attempt_at LIMIT {options.Value.BatchSize}
                    FOR UPDATE OF p SKIP LOCKED)
                RETURNING id AS "Value"
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await payouts.ReleaseAsync(id, ct);
        }

        // Withdrawals whose request died (or could not reach the bank) before recording the bank's answer.
        var stuck = await db
            .Database.SqlQuery<string>(
                $"""
                UPDATE payouts SET next_attempt_at = {leaseUntil}
                WHERE id IN (
                    SELECT id FROM payouts
                    WHERE source_wallet_id IS NOT NULL AND status = 'SUBMITTING' AND next_attempt_at <= {now}
                    ORDER BY next_attempt_at LIMIT {options.Value.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """
            )
            .ToListAsync(ct);
        foreach (var id in stuck)
        {
            await withdrawals.SubmitWithdrawalAsync(id, ct);
        }

        return ids.Count + stuck.Count;
    }
}

/// <summary>Follows ACCOUNT payouts in transit until the bank settles or returns them.</summary>
public sealed class SettlementJob(
    TruustDbContext db,
    PayoutService payouts,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "settlement";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                UPDATE payouts SET next_attempt_at = {leaseUntil}
                WHERE id IN (
                    SELECT id FROM payouts
                    WHERE status = 'IN_TRANSIT' AND settles_at <= {now} AND next_attempt_at <= {now}
                    ORDER BY settles_at LIMIT {options.Value.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await payouts.CheckSettlementAsync(id, ct);
        }

        return ids.Count;
    }
}

/// <summary>Expires bank-wire payins whose deadline passed with no matching wire.</summary>
public sealed class WireExpiryJob(
    TruustDbContext db,
    WireRail wires,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "wire-expiry";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                SELECT id AS "Value" FROM payins
                WHERE status = 'PENDING' AND type = 'BANKWIRE' AND expires_at <= {now}
                ORDER BY expires_at LIMIT {options.Value.BatchSize}
                FOR UPDATE SKIP LOCKED
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await wires.ExpireAsync(id, ct);
        }

        return ids.Count;
    }
}

/// <summary>Retries card and wire refunds until their rail confirms them.</summary>
public sealed class RefundJob(
    TruustDbContext db,
    RefundService refunds,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "refunds";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                UPDATE refunds SET next_attempt_at = {leaseUntil}
                WHERE id IN (
                    SELECT id FROM refunds WHERE status = 'PENDING' AND next_attempt_at <= {now}
                    ORDER BY next_attempt_at LIMIT {options.Value.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await refunds.ExecuteAsync(id, ct);
        }

        return ids.Count;
    }
}

/// <summary>Runs one job in a loop: a batch, then a pause until the poll interval passes or a request wakes
/// it.</summary>
public sealed class JobRunner<TJob>(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner<TJob>> log,
    WorkerSignal? signal = null
) : BackgroundService
    where TJob : IWorkerJob
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                taken = await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One bad item must not stop the worker; the item's lease ends and it is tried again.
                log.LogError(e, "Worker {Job} failed a round", typeof(TJob).Name);
            }

            if (taken >= options.Value.BatchSize)
            {
                continue;
            }

            var pause = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
            try
            {
                if (signal is null)
                {
                    await Task.Delay(pause, stoppingToken);
                }
                else
                {
                    await signal.WaitAsync(pause, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Forgets idempotency keys older than their retention (24 h by default).</summary>
public sealed class IdempotencyPurgeJob(TruustDbContext db, TimeProvider clock) : IWorkerJob
{
    public string Name => "idempotency-purge";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM idempotency_records WHERE ctid IN (
                SELECT ctid FROM idempotency_records WHERE expires_at < {now} LIMIT 1000)
            """,
            ct
        );
        return 0;
    }
}

/// <summary>Settles campaigns whose deadline passed: release to the owner, or refund every contributor.</summary>
public sealed class CampaignDeadlineJob(
    TruustDbContext db,
    Campaigns.CampaignService campaigns,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : IWorkerJob
{
    public string Name => "campaign-deadlines";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = await db
            .Database.SqlQuery<string>(
                $"""
                SELECT id AS "Value" FROM campaigns
                WHERE status IN ('OPEN', 'FUNDED') AND deadline <= {now}
                ORDER BY deadline LIMIT {options.Value.BatchSize}
                FOR UPDATE SKIP LOCKED
                """
            )
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await campaigns.SettleDeadlineAsync(id, ct);
        }

        return ids.Count;
    }
}
