namespace Truust.Api.Workers;

/// <summary>
/// One kind of background work. Items are claimed through <see cref="Persistence.Claims"/>: locked with FOR UPDATE
/// SKIP LOCKED and leased in the same statement, so several API instances share a database without two of them
/// working on the same item, and an item whose worker died is picked up again when its lease ends.
/// </summary>
public interface IWorkerJob
{
    string Name { get; }

    /// <summary>Claims and processes one batch; returns how many items it took.</summary>
    Task<int> RunOnceAsync(CancellationToken ct);
}
