using Microsoft.EntityFrameworkCore;
using Truust.Domain.Campaigns;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Platforms;
using Truust.Domain.Webhooks;

namespace Truust.Api.Persistence;

/// <summary>
/// Every row lock Truust takes (SELECT ... FOR UPDATE), written once here but for two written next to their only
/// users: a seller's open debts (<c>SellerDebts.LockOpenAsync</c> in Payouts/SellerDebt.cs, in id order) and a
/// reserve hold (Payouts/RollingReserve.cs). A lock holds until the unit of work commits, so two requests on one row
/// run one after the other and the second sees the first's result. Locks are taken in one order, so that two units
/// can never wait on each other in opposite orders (a deadlock):
/// <list type="number">
/// <item>what is funded or paid out: an order, the orders of a group in id order, or a campaign;</item>
/// <item>then the payin, payout, refund or reserve hold;</item>
/// <item>then the seller's open debts in the currency, in id order (a release or a bank release's intent recovering
/// or reserving them, a freed hold, a withdrawal; decision 12);</item>
/// <item>then wallets in <see cref="WalletOrder"/> (the ledger posts them in that order), the platform's reserve and
/// fee wallets among them: a refund after release locks every wallet that may pay, and the reserve, before reading
/// a balance.</item>
/// <item>last, only in the statements sent just before the commit, the credit sub-accounts of fee wallets
/// (<see cref="DeferredWalletPostings"/>, in <see cref="WalletOrder"/> too): a transaction holding one of those waits
/// on nothing afterwards (decision 13).</item>
/// </list>
/// A unit skips the steps it does not need but never goes back up the list (a refund after release: the order, then
/// wallets; the seller debt it may open is a new row).
/// </summary>
/// <remarks>
/// The row queries are finished by the caller (<c>SingleAsync</c>, <c>SingleOrDefaultAsync</c>), which says
/// whether a missing row is a 404 or a bug; they lock when they run, inside the caller's transaction.
/// </remarks>
public static class Locks
{
    /// <summary>The order in which wallets are locked: ordinal order of their ids.</summary>
    public static readonly IComparer<string> WalletOrder = StringComparer.Ordinal;

    /// <summary>A platform row, for a change of the platform itself (its sandbox clock); taken alone, before
    /// anything else.</summary>
    public static IQueryable<Platform> Platform(TruustDbContext db, string id) =>
        db.Platforms.FromSqlInterpolated($"SELECT * FROM platforms WHERE id = {id} FOR UPDATE");

    public static IQueryable<Order> Order(TruustDbContext db, string id) =>
        db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE id = {id} FOR UPDATE");

    /// <summary>The orders of a group, locked in id order (a group is paid and cancelled as one).</summary>
    public static IQueryable<Order> OrderGroup(TruustDbContext db, string groupId) =>
        db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE order_group_id = {groupId} ORDER BY id FOR UPDATE");

    public static IQueryable<Campaign> Campaign(TruustDbContext db, string id) =>
        db.Campaigns.FromSqlInterpolated($"SELECT * FROM campaigns WHERE id = {id} FOR UPDATE");

    public static IQueryable<Payin> Payin(TruustDbContext db, string id) =>
        db.Payins.FromSqlInterpolated($"SELECT * FROM payins WHERE id = {id} FOR UPDATE");

    public static IQueryable<Payout> Payout(TruustDbContext db, string id) =>
        db.Payouts.FromSqlInterpolated($"SELECT * FROM payouts WHERE id = {id} FOR UPDATE");

    public static IQueryable<Refund> Refund(TruustDbContext db, string id) =>
        db.Refunds.FromSqlInterpolated($"SELECT * FROM refunds WHERE id = {id} FOR UPDATE");

    /// <summary>A webhook endpoint, locked only to record a failure or a recovery (a success on a healthy endpoint
    /// takes no lock): it is never locked together with any of the rows above.</summary>
    public static IQueryable<WebhookEndpoint> WebhookEndpoint(TruustDbContext db, string id) =>
        db.WebhookEndpoints.FromSqlInterpolated($"SELECT * FROM webhook_endpoints WHERE id = {id} FOR UPDATE");

    /// <summary>Locks a wallet row without changing it (a wallet the ledger both debits and credits by the same
    /// amount must still not change under the posting). Callers go through wallets in <see cref="WalletOrder"/>.
    /// </summary>
    public static Task WalletAsync(TruustDbContext db, string walletId, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM wallets WHERE id = {walletId} FOR UPDATE", ct);
}
