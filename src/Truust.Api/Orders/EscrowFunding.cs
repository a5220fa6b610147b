using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// A payin whose money goes into orders' escrow: one order's (<see cref="OrderFunding"/>) or every order of a
/// cart's (<see cref="CartFunding"/>). Confirmed money is held in each order's escrow (→ PUBLISHED); a failed or
/// expired payin sends the orders still waiting for it to FAILURE, from where they can be paid again.
/// </summary>
public abstract class EscrowFunding(TruustDbContext db, OrderService orders, LedgerService ledger, TimeProvider clock)
    : IPayinFunding
{
    protected TruustDbContext Db => db;

    protected OrderService Orders => orders;

    public abstract bool Funds(Payin payin);

    public abstract Task LockAsync(Payin payin, CancellationToken ct);

    public async Task FundAsync(Payin payin, string source, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var targets = Locked(payin);
        await ledger.PostAsync(
            targets
                .Select(o => new LedgerTransfer(
                    payin.PlatformId,
                    source,
                    LedgerAccounts.Escrow(o.Id),
                    o.Amount,
                    TransferKind.Payin,
                    payin.Id,
                    o.Id,
                    now
                ))
                .ToList(),
            ct
        );
        foreach (var order in targets)
        {
            order.Hold(order.AmountMinor);
            orders.Apply(order, OrderTrigger.ConfirmPayin, OrderActor.Gateway);
        }
    }

    public Task FailAsync(Payin payin, CancellationToken ct)
    {
        // A declined card is the gateway's answer; an expired wire is Truust's own deadline passing.
        var (actor, reason) =
            payin.Status == PayinStatus.Expired
                ? (OrderActor.System, "bank wire expired")
                : (OrderActor.Gateway, payin.FailureCode);
        foreach (var order in Locked(payin).Where(o => o.PayinId == payin.Id && o.Status == OrderStatus.PendingPublish))
        {
            orders.Apply(order, OrderTrigger.FailPayin, actor, reason);
        }

        return Task.CompletedTask;
    }

    /// <summary>The orders the payin pays for, in id order, as <see cref="LockAsync"/> (or whoever opened the
    /// payin) locked them in this transaction.</summary>
    protected abstract IReadOnlyList<Order> Locked(Payin payin);
}
