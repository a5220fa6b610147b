using Microsoft.EntityFrameworkCore;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>
/// An order's ACCOUNT payout through the bank: the order is locked before the payout (the lock order), the
/// amount is fixed at the intent, and the bank's answer releases the order or blocks its release.
/// </summary>
internal sealed class BankRelease(
    ReleasePosting posting,
    TruustDbContext db,
    OrderService orders,
    OrderQueries orderQueries,
    SellerHoldbacks holdbacks,
    SellerDebts debts,
    TimeProvider clock,
    string payoutId,
    string orderId
) : IBankPayment
{
    private Order _order = null!;

    public async Task<Payout> LockAsync(CancellationToken ct)
    {
        _order = await orders.LockAsync(orderId, ct);
        return await db.Payouts.FirstAsync(p => p.Id == payoutId, ct);
    }

    public async Task<bool> BeginAsync(Payout payout, CancellationToken ct)
    {
        if (_order.Status != OrderStatus.PendingRelease)
        {
            return false;
        }

        if (payout.Status == PayoutStatus.Pending)
        {
            var account = await db.BankAccounts.AsNoTracking().FirstAsync(a => a.Id == payout.BankAccountId, ct);
            // The rolling reserve's hold and the debts recovered are fixed here with the amount the bank is
            // sent; the recovery is reserved on the seller's debts (locked after the order: the lock order), so
            // no other release or withdrawal counts it again before the bank answers (ADR 0012).
            var seller = ReleasePosting.SharesOf(_order, await orderQueries.SplitsOfAsync(_order.Id, ct)).SellerMinor;
            var afterHold = seller - await holdbacks.HoldOfAsync(_order.PlatformId, seller, ct);
            var recovery = await debts.ReserveAsync(_order.PlatformId, _order.SellerId, _order.Currency, afterHold, ct);
            payout.SetDebtRecovery(recovery);
            payout.SetAmount(afterHold - recovery);
            payout.MarkSubmitting(account.Iban, clock.GetUtcNow());
        }

        return true;
    }

    public async Task AcceptedAsync(Payout payout, DateTimeOffset now, CancellationToken ct)
    {
        var seller = ReleasePosting.SharesOf(_order, await orderQueries.SplitsOfAsync(_order.Id, ct)).SellerMinor;
        await posting.PaySellerSideAsync(
            _order,
            LedgerAccounts.BankPayoutRail,
            payout,
            seller - payout.AmountMinor - payout.DebtRecoveryMinor,
            ct
        );
        orders.Apply(_order, OrderTrigger.Release, OrderActor.System);
    }

    public async Task RefusedAsync(Payout payout, DateTimeOffset now, CancellationToken ct)
    {
        // The debts the intent reserved are outstanding again; nothing left escrow.
        await debts.EndReservationAsync(
            _order.PlatformId,
            _order.SellerId,
            _order.Currency,
            payout.DebtRecoveryMinor,
            recovered: false,
            LedgerAccounts.Escrow(_order.Id),
            _order.Id,
            [],
            ct
        );
        orders.Apply(_order, OrderTrigger.RefuseRelease, OrderActor.Gateway, payout.FailureReason);
    }
}
