using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Wallets;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Refunds;

/// <summary>
/// Refunds after release (ADR 0012): the buyer gets the money back along the payin's rail, and the money comes back
/// from the seller side in a fixed order: the seller's part (from the wallet the seller was paid to, as far as it
/// still holds it), the splits' parts pro rata, the platform's part (from its fee wallet only when
/// <c>refund_fee</c> is asked), and the platform's reserve for every shortfall. What the seller could not give back
/// becomes a <see cref="SellerDebt"/>. One commit: the money comes into the order's escrow and leaves it for the
/// buyer in one posting, so nothing stays held; a reserve too small to cover the shortfall changes nothing (409).
/// </summary>
public sealed class ReleasedOrderRefunds(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    OrderQueries orderQueries,
    OrderRefundService refunding,
    RefundService refunds,
    WalletService wallets,
    PlatformReserve reserve,
    SellerDebts debts,
    TimeProvider clock
)
{
    /// <summary>
    /// <c>POST /v1/orders/{id}/refunds</c>: a RELEASED order is clawed back here; any other goes to
    /// <see cref="OrderRefundService"/> (a released order stays released, so the choice cannot go stale).
    /// </summary>
    public async Task<RefundResponse> RefundAsync(
        Caller caller,
        string id,
        CreateRefundRequest request,
        CancellationToken ct
    )
    {
        var found = await orderQueries.FindAsync(caller, id, ct);
        if (found.Status != OrderStatus.Released)
        {
            return await refunding.RefundAsync(caller, id, request, ct);
        }

        var refund = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(caller, id, ct);
                order.EnsureCan(OrderTrigger.Refund, caller.IsOperator ? OrderActor.Operator : OrderActor.Platform);
                var payin = await db.Payins.FirstAsync(p => p.Id == order.PayinId, ct);
                var payout = await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == order.PayoutId, ct);
                var amount = request.Amount ?? order.AmountMinor - order.RefundedMinor;
                return await refunds.StartAfterReleaseAsync(
                    order,
                    payin,
                    amount,
                    request.Reason,
                    r => SourcesAsync(order, payout, r, amount, request.RefundFee == true, ct),
                    ct
                );
            },
            ct
        );
        await refunds.ExecuteAsync(refund.Id, ct);
        return RefundResponse.From(await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refund.Id, ct));
    }

    /// <summary>The transfers that bring <paramref name="amountMinor"/> back into the order's escrow.</summary>
    private async Task<IReadOnlyList<LedgerTransfer>> SourcesAsync(
        Order order,
        Payout payout,
        Refund refund,
        long amountMinor,
        bool refundFee,
        CancellationToken ct
    )
    {
        var escrow = LedgerAccounts.Escrow(order.Id);
        var currency = Currency.Of(order.Currency);
        var released = await ReleasedAsync(order, ct);
        // What earlier refunds after release took already: all refunds less those made before the release.
        var refundedBeforeRelease = order.AmountMinor - released.TotalMinor;
        var clawedBefore = order.RefundedMinor - amountMinor - refundedBeforeRelease;
        var before = released.Liabilities(clawedBefore);
        var after = released.Liabilities(clawedBefore + amountMinor);
        var sellerPart = after.Seller - before.Seller;
        var platformPart = after.Platform - before.Platform;
        var splitsTotal = after.Splits.Sum() - before.Splits.Sum();
        var splitParts = after.Splits.Zip(before.Splits, (a, b) => a - b).ToArray();
        if (splitParts.Any(p => p < 0))
        {
            // Largest remainder is not monotone in its total (the Alabama paradox): share this refund's part alone.
            splitParts = Allocation.LargestRemainder(splitsTotal, released.Splits.Select(s => s.Minor).ToList());
        }

        // Every wallet that may pay, locked in the one wallet order before its balance is read.
        var sellerWallet = payout.Type == PayoutType.Wallet && sellerPart > 0 ? payout.DestinationWalletId : null;
        var feeWallet =
            refundFee && platformPart > 0
                ? (await wallets.GetOrCreateFeeWalletAsync(order.PlatformId, order.Currency, ct)).Id
                : null;
        var reserveWallet = (await reserve.GetOrCreateWalletAsync(order.PlatformId, order.Currency, ct)).Id;
        var payers = new List<(string WalletId, long OwedMinor, TransferKind Kind)>();
        if (sellerWallet is not null)
        {
            payers.Add((sellerWallet, sellerPart, TransferKind.Clawback));
        }

        payers.AddRange(
            released.Splits.Select((s, i) => (s.WalletId, splitParts[i], TransferKind.Clawback)).Where(p => p.Item2 > 0)
        );
        if (feeWallet is not null)
        {
            payers.Add((feeWallet, platformPart, TransferKind.Clawback));
        }

        var ids = payers.Select(p => p.WalletId).Append(reserveWallet).Distinct().Order(Locks.WalletOrder).ToList();
        foreach (var walletId in ids)
        {
            await Locks.WalletAsync(db, walletId, ct);
        }

        var balances = await db
            .Wallets.AsNoTracking()
            .Where(w => ids.Contains(w.Id))
            .ToDictionaryAsync(w => w.Id, w => w.BalanceMinor, ct);
        var now = clock.GetUtcNow();
        var transfers = new List<LedgerTransfer>();
        var fromSeller = 0L;
        var paid = 0L;
        foreach (var (walletId, owed, kind) in payers)
        {
            var taken = Math.Min(owed, balances[walletId]);
            if (taken == 0)
            {
                continue;
            }

            balances[walletId] -= taken;
            paid += taken;
            fromSeller += walletId == sellerWallet ? taken : 0;
            transfers.Add(
                new LedgerTransfer(
                    order.PlatformId,
                    LedgerAccounts.Wallet(walletId),
                    escrow,
                    new Money(taken, currency),
                    kind,
                    refund.Id,
                    order.Id,
                    now
                )
            );
        }

        var cover = amountMinor - paid;
        if (cover > balances[reserveWallet])
        {
            throw new ConflictException(
                "reserve_insufficient",
                $"The seller side gives back {paid} of the {amountMinor} minor units; the platform's reserve holds "
                    + $"{balances[reserveWallet]} {order.Currency} and cannot cover the {cover} left. Top it up "
                    + "(POST /v1/platform/reserve/top_ups) and try again; nothing was refunded."
            );
        }

        var debtMinor = sellerPart - fromSeller;
        if (debtMinor > 0)
        {
            var debt = debts.Record(
                order.PlatformId,
                order.SellerId,
                new Money(debtMinor, currency),
                order.Id,
                refund.Id
            );
            transfers.Add(Cover(order, reserveWallet, debtMinor, debt.Id, now));
        }

        if (cover - debtMinor > 0)
        {
            transfers.Add(Cover(order, reserveWallet, cover - debtMinor, refund.Id, now));
        }

        return transfers;
    }

    private static LedgerTransfer Cover(
        Order order,
        string reserveWallet,
        long amountMinor,
        string reference,
        DateTimeOffset now
    ) =>
        new(
            order.PlatformId,
            LedgerAccounts.Wallet(reserveWallet),
            LedgerAccounts.Escrow(order.Id),
            new Money(amountMinor, Currency.Of(order.Currency)),
            TransferKind.ReserveCover,
            reference,
            order.Id,
            now
        );

    /// <summary>What the release paid out of escrow, by party (the seller's part includes what it kept back).</summary>
    private async Task<Released> ReleasedAsync(Order order, CancellationToken ct)
    {
        var escrow = LedgerAccounts.Escrow(order.Id);
        TransferKind[] kinds =
        [
            TransferKind.Release,
            TransferKind.Fee,
            TransferKind.Split,
            TransferKind.ReserveHold,
            TransferKind.DebtRepayment,
        ];
        var rows = await db
            .LedgerTransfers.AsNoTracking()
            .Where(t => t.OrderId == order.Id && t.DebitAccount == escrow && kinds.Contains(t.Kind))
            .OrderBy(t => t.PostingSequence)
            .ThenBy(t => t.Id)
            .ToListAsync(ct);
        var splits = rows.Where(t => t.Kind == TransferKind.Split)
            .GroupBy(t => LedgerAccounts.WalletId(t.CreditAccount))
            .Select(g => (WalletId: g.Key, Minor: g.Sum(t => t.AmountMinor)))
            .ToList();
        return new Released(
            rows.Where(t => t.Kind is not (TransferKind.Fee or TransferKind.Split)).Sum(t => t.AmountMinor),
            splits,
            rows.Where(t => t.Kind == TransferKind.Fee).Sum(t => t.AmountMinor)
        );
    }

    /// <summary>What the release paid the seller, each split wallet and the platform (its fee).</summary>
    private sealed record Released(long SellerMinor, IReadOnlyList<(string WalletId, long Minor)> Splits, long FeeMinor)
    {
        public long TotalMinor => SellerMinor + Splits.Sum(s => s.Minor) + FeeMinor;

        /// <summary>
        /// Who owes what of the first <paramref name="refundedMinor"/> refunded after release: the seller up to their
        /// part, then the splits pro rata up to theirs, then the platform.
        /// </summary>
        public (long Seller, long[] Splits, long Platform) Liabilities(long refundedMinor)
        {
            var seller = Math.Min(refundedMinor, SellerMinor);
            var rest = refundedMinor - seller;
            var splitsTotal = Math.Min(rest, Splits.Sum(s => s.Minor));
            var splits =
                splitsTotal == 0
                    ? Splits.Select(_ => 0L).ToArray()
                    : Allocation.LargestRemainder(splitsTotal, Splits.Select(s => s.Minor).ToList());
            return (seller, splits, rest - splitsTotal);
        }
    }
}

public static class RefundsAfterReleaseSetup
{
    /// <summary>Refunds after release, the platform's reserve, sellers' debts and the rolling reserve's job.</summary>
    public static IServiceCollection AddRefundsAfterRelease(this IServiceCollection services) =>
        services
            .AddScoped<ReleasedOrderRefunds>()
            .AddScoped<PlatformReserve>()
            .AddScoped<SellerDebts>()
            .AddScoped<SellerHoldbacks>()
            .AddJob<RollingReserveJob>(signals => signals.RollingReserve);
}
