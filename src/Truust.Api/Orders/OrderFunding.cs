using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>A payin for one order: its money goes into that order's escrow.</summary>
public sealed class OrderFunding(TruustDbContext db, OrderService orders, LedgerService ledger, TimeProvider clock)
    : EscrowFunding(db, orders, ledger, clock)
{
    public override bool Funds(Payin payin) => payin.Purpose == PayinPurpose.Order && payin.OrderGroupId is null;

    public override async Task LockAsync(Payin payin, CancellationToken ct) =>
        await Orders.LockAsync(payin.OrderId!, ct);

    protected override IReadOnlyList<Order> Locked(Payin payin) => [Db.Orders.Local.Single(o => o.Id == payin.OrderId)];
}
