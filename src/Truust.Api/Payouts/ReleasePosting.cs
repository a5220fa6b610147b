using Truust.Api.Ledger;
using Truust.Api.Orders;
using Truust.Api.Wallets;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>
/// How a release empties an order's escrow, in one ledger posting: the fee to the platform's fee wallet, each split
/// to its wallet, the seller's part less what <see cref="SellerHoldbacks"/> keeps back. Used by every release: the
/// whole order's to a wallet (<see cref="PayoutService"/>) or to the bank (<see cref="BankRelease"/>), and one
/// milestone's (<c>MilestoneService</c>).
/// </summary>
public sealed class ReleasePosting(
    OrderQueries orderQueries,
    LedgerService ledger,
    WalletService wallets,
    SellerHoldbacks holdbacks,
    TimeProvider clock
)
{
    /// <summary>
    /// Empties the escrow at release: the fee to the platform's fee wallet, each split to its wallet, the rest to
    /// <paramref name="sellerAccount"/> less what <see cref="SellerHoldbacks"/> keeps back (the rolling reserve's
    /// hold, <paramref name="holdMinor"/> when the intent fixed it; the debt recoveries). Returns what
    /// the seller is paid.
    /// </summary>
    public async Task<long> PaySellerSideAsync(
        Order order,
        string sellerAccount,
        Payout payout,
        long? holdMinor,
        CancellationToken ct
    )
    {
        var splits = await orderQueries.SplitsOfAsync(order.Id, ct);
        var net = await PaySharesAsync(order, SharesOf(order, splits), splits, sellerAccount, payout, holdMinor, ct);
        order.ReleaseHeld(order.HeldMinor);
        return net;
    }

    /// <summary>
    /// Moves <paramref name="shares"/> out of the order's escrow in one ledger posting: the fee to the platform's fee
    /// wallet, each split to its wallet, the seller's part to <paramref name="sellerAccount"/> less what
    /// <see cref="SellerHoldbacks"/> keeps back (the rolling reserve's hold, <paramref name="holdMinor"/> when the
    /// intent fixed it; the debt recoveries), each transfer referencing the payout. Returns what the
    /// seller is paid. The caller records what left escrow on the order, in the same commit. Used by the whole order's
    /// release and by one milestone's.
    /// </summary>
    public async Task<long> PaySharesAsync(
        Order order,
        ReleaseShares shares,
        IReadOnlyList<OrderSplit> splits,
        string sellerAccount,
        Payout payout,
        long? holdMinor,
        CancellationToken ct
    )
    {
        var payoutId = payout.Id;
        var now = clock.GetUtcNow();
        var currency = Currency.Of(order.Currency);
        var escrow = LedgerAccounts.Escrow(order.Id);
        var net = shares.SellerMinor;
        var transfers = new List<LedgerTransfer>();
        if (shares.FeeMinor > 0)
        {
            var feeWallet = await wallets.GetOrCreateFeeWalletAsync(order.PlatformId, order.Currency, ct);
            transfers.Add(
                new LedgerTransfer(
                    order.PlatformId,
                    escrow,
                    LedgerAccounts.Wallet(feeWallet.Id),
                    new Money(shares.FeeMinor, currency),
                    TransferKind.Fee,
                    payoutId,
                    order.Id,
                    now
                )
            );
        }

        transfers.AddRange(
            splits
                .Select((s, i) => (s.WalletId, AmountMinor: shares.SplitsMinor[i]))
                .Where(s => s.AmountMinor > 0)
                .Select(s => new LedgerTransfer(
                    order.PlatformId,
                    escrow,
                    LedgerAccounts.Wallet(s.WalletId),
                    new Money(s.AmountMinor, currency),
                    TransferKind.Split,
                    payoutId,
                    order.Id,
                    now
                ))
        );
        var toBank = sellerAccount == LedgerAccounts.BankPayoutRail;
        net -= await holdbacks.TakeAsync(order, payout, net, holdMinor, toBank, transfers, ct);
        if (net > 0)
        {
            transfers.Add(
                new LedgerTransfer(
                    order.PlatformId,
                    escrow,
                    sellerAccount,
                    new Money(net, currency),
                    TransferKind.Release,
                    payoutId,
                    order.Id,
                    now
                )
            );
        }

        await ledger.PostAsync(transfers, ct);
        return net;
    }

    /// <summary>
    /// What the release pays from what escrow holds: the agreed fee and splits, shrunk pro rata when part of the
    /// money went back to the buyer first (a dispute's settlement), so no cent is lost or created.
    /// </summary>
    public static ReleaseShares SharesOf(Order order, IReadOnlyList<OrderSplit> splits) =>
        ReleaseShares.Of(
            checked(order.HeldMinor + order.RefundedMinor),
            order.HeldMinor,
            order.FeeMinor ?? 0,
            splits.Select(s => s.AmountMinor).ToList()
        );
}
