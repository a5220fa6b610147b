using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>A payin for a whole cart: its money goes into the escrow of every order of the cart.</summary>
public sealed class CartFunding(TruustDbContext db, OrderService orders, LedgerService ledger, TimeProvider clock)
    : EscrowFunding(db, orders, ledger, clock)
{
    public override bool Funds(Payin payin) => payin.Purpose == PayinPurpose.Order && payin.OrderGroupId is not null;

    public override async Task LockAsync(Payin payin, CancellationToken ct) =>
        await Orders.LockGroupAsync(payin.OrderGroupId!, ct);

    protected override IReadOnlyList<Order> Locked(Payin payin) =>
        Db
            .Orders.Local.Where(o => o.OrderGroupId == payin.OrderGroupId)
            .OrderBy(o => o.Id, StringComparer.Ordinal)
            .ToList();
}
