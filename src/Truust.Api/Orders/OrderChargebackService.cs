using Microsoft.EntityFrameworkCore;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// A sandbox chargeback: the cardholder's bank reverses a card payment while the escrow holds it. The processor
/// takes the money back first (as a real one does, before telling the merchant); Truust then empties the escrow of
/// every order the payin funded back to the card rail and cancels them by the table's <c>chargeback</c> rows, in
/// one commit. Whether the money is still held is checked before the processor is told, and again under the
/// order lock: an order released meanwhile would leave the processor's chargeback without a ledger entry, which
/// reconciliation then reports (as a real chargeback after release would be: the platform's loss).
/// </summary>
public sealed class OrderChargebackService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    PayinService payins,
    LedgerService ledger,
    EventOutbox events,
    SimulatedCardGateway processor,
    PlatformClock clock
)
{
    public async Task<PayinResponse> ChargeBackAsync(Caller caller, string payinId, CancellationToken ct)
    {
        var payin = await payins.FindAsync(caller, payinId, ct);
        if (payin.Purpose != PayinPurpose.Order)
        {
            throw new ConflictException(
                "chargeback_not_possible",
                $"Payin {payin.Id} paid a {WireName.Of(payin.Purpose)}; the sandbox charges back order payins only."
            );
        }

        // The checks a chargeback must pass, before the processor is told: nothing is recorded on a refusal.
        var held = await unitOfWork.RunAsync(() => LockAndCheckAsync(payin.Id, ct), ct);
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        await processor.ChargeBackAsync(payin.Id, new Money(held, Currency.Of(payin.Currency)), ct);
        await unitOfWork.RunAsync(
            async () =>
            {
                var (tracked, targets) = await LockAsync(payin.Id, ct);
                await CheckAsync(tracked, targets, ct);
                var now = await clock.NowAsync(tracked.PlatformId, ct);
                var transfers = new List<LedgerTransfer>();
                foreach (var order in targets)
                {
                    var amount = order.ChargeBack();
                    orders.Apply(order, OrderTrigger.Chargeback, OrderActor.Gateway, "card payment charged back");
                    transfers.Add(
                        new LedgerTransfer(
                            order.PlatformId,
                            LedgerAccounts.Escrow(order.Id),
                            LedgerAccounts.CardRail,
                            new Money(amount, Currency.Of(order.Currency)),
                            TransferKind.Chargeback,
                            SimulatedCardGateway.ChargebackReference(tracked.Id),
                            order.Id,
                            now
                        )
                    );
                }

                await ledger.PostAsync(transfers, ct);
                tracked.ChargeBack(now);
                events.PayinChanged(tracked);
                return tracked;
            },
            ct
        );
        return payins.ToResponse(await payins.FindAsync(caller, payin.Id, ct));
    }

    /// <summary>Locks the payin's orders and then the payin (the lock order), and checks a chargeback may
    /// proceed; returns what the escrow holds, which is what the processor takes back.</summary>
    private async Task<long> LockAndCheckAsync(string payinId, CancellationToken ct)
    {
        var (payin, targets) = await LockAsync(payinId, ct);
        await CheckAsync(payin, targets, ct);
        return targets.Sum(o => o.HeldMinor);
    }

    private async Task<(Payin Payin, List<Order> Orders)> LockAsync(string payinId, CancellationToken ct)
    {
        var unlocked = await db.Payins.AsNoTracking().FirstAsync(p => p.Id == payinId, ct);
        var targets = unlocked.OrderGroupId is { } groupId
            ? (await orders.LockGroupAsync(groupId, ct)).Where(o => o.PayinId == payinId).ToList()
            : [await orders.LockAsync(unlocked.OrderId!, ct)];
        var payin = await Locks.Payin(db, payinId).SingleAsync(ct);
        return (payin, targets);
    }

    /// <summary>
    /// A chargeback needs a succeeded card payin whose money every order it funded still holds, in a status the
    /// table lets the gateway charge back from. Otherwise it is a 409 and nothing changes.
    /// </summary>
    private async Task CheckAsync(Payin payin, List<Order> targets, CancellationToken ct)
    {
        if (payin.Type != PayinType.Addon || payin.Status != PayinStatus.Succeeded)
        {
            throw new ConflictException(
                "chargeback_not_possible",
                $"Only a succeeded card (ADDON) payin can be charged back; payin {payin.Id} is a "
                    + $"{WireName.Of(payin.Type)} payin that is {WireName.Of(payin.Status)}."
            );
        }

        foreach (var order in targets)
        {
            // Under the order lock the payout's status holds still: the release worker locks the order first too.
            var payoutStatus = order.PayoutId is null
                ? (PayoutStatus?)null
                : await db.Payouts.Where(p => p.Id == order.PayoutId).Select(p => p.Status).FirstAsync(ct);
            order.EnsureCan(OrderTrigger.Chargeback, OrderActor.Gateway, payoutStatus);
            if (order.HeldMinor == 0)
            {
                throw new ConflictException(
                    "money_not_held",
                    $"Order {order.Id} no longer holds the money of payin {payin.Id}; there is nothing to charge back."
                );
            }
        }
    }
}
