using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// What a payin pays for: an order, a cart, a wallet top-up or a campaign contribution. Each has one
/// implementation in its own feature folder; payins and their rails reach what they fund only through this, so
/// Payins knows neither orders nor campaigns. Whoever opens a payin (an order's buyer, a contributor, a wallet's
/// owner) locks and checks its target itself and then hands the payin to <see cref="PayinService.AddAsync"/>.
/// </summary>
public interface IPayinFunding
{
    /// <summary>Whether <paramref name="payin"/> pays for this kind of target.</summary>
    bool Funds(Payin payin);

    /// <summary>
    /// Locks what the payin pays for, in the transaction that records the payin's outcome and before the payin row
    /// itself: the order every writer takes (orders in id order, or the campaign; then the payin; then wallets), so
    /// recording an outcome cannot deadlock with a cancel or a close. <see cref="FundAsync"/> and
    /// <see cref="FailAsync"/> then work on the rows locked here.
    /// </summary>
    Task LockAsync(Payin payin, CancellationToken ct);

    /// <summary>
    /// The payin's money is confirmed (the payin has just SUCCEEDED): it moves from the ledger account
    /// <paramref name="source"/> into what the payin pays for.
    /// </summary>
    Task FundAsync(Payin payin, string source, CancellationToken ct);

    /// <summary>The payin has just failed or expired (its status says which): its target stops waiting for
    /// it.</summary>
    Task FailAsync(Payin payin, CancellationToken ct);
}
