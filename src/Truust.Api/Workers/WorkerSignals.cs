using Truust.Api.Persistence;

namespace Truust.Api.Workers;

/// <summary>
/// Lets a request wake a worker at once (the release right after validation) instead of waiting for its next
/// poll. Polling stays: a signal lost in a crash is covered by the next round.
/// </summary>
public sealed class WorkerSignal : ICommitSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one pending wake-up is enough.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}

public sealed class WorkerSignals
{
    public WorkerSignal Release { get; } = new();

    public WorkerSignal Refunds { get; } = new();

    public WorkerSignal Webhooks { get; } = new();

    public WorkerSignal WireExpiry { get; } = new();

    public WorkerSignal Settlement { get; } = new();

    public WorkerSignal CampaignDeadlines { get; } = new();

    public WorkerSignal Inspections { get; } = new();

    public WorkerSignal MilestoneInspections { get; } = new();

    public WorkerSignal DisputeDeadlines { get; } = new();

    public WorkerSignal RollingReserve { get; } = new();

    /// <summary>The jobs whose work is a deadline: a sandbox clock advance wakes them all, so what it made due is
    /// handled at once instead of at the next poll.</summary>
    public IEnumerable<WorkerSignal> Timers =>
        [
            WireExpiry,
            Settlement,
            CampaignDeadlines,
            Inspections,
            MilestoneInspections,
            DisputeDeadlines,
            RollingReserve,
        ];
}
