using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Reports;

/// <summary>
/// What a payout is made of, read from the ledger alone. An order's payout is its escrow up to and including the
/// release posting: every payin that funded it (+), everything that left it before (refunds, chargebacks, earlier
/// payouts: −), this release's fee and splits (−), and whatever the escrow still holds afterwards (−). These sum to
/// the seller's part exactly, because the release transfer itself is the only movement the sum leaves out. A
/// withdrawal is the wallet it was taken from.
/// </summary>
public sealed class PayoutSourcesService(TruustDbContext db, PayoutService payouts)
{
    public async Task<PayoutSourcesResponse> GetAsync(Caller caller, string payoutId, CancellationToken ct)
    {
        var payout = await payouts.FindAsync(caller, payoutId, ct);
        var own = await db
            .LedgerTransfers.AsNoTracking()
            .Where(t =>
                t.Reference == payout.Id && (t.Kind == TransferKind.Release || t.Kind == TransferKind.Withdrawal)
            )
            .OrderBy(t => t.PostingSequence)
            .ThenBy(t => t.Id)
            .FirstOrDefaultAsync(ct);
        if (own is null)
        {
            throw new ConflictException(
                "payout_not_released",
                $"Payout {payout.Id} is {WireName.Of(payout.Status)}: no money has left for it yet, so it has no "
                    + "sources."
            );
        }

        var sources =
            own.Kind == TransferKind.Withdrawal
                ?
                [
                    new PayoutSource(
                        PayoutSourceKind.Wallet,
                        own.Reference,
                        null,
                        own.DebitAccount,
                        own.Id,
                        own.AmountMinor
                    ),
                ]
                : await EscrowSourcesAsync(own, ct);
        return new PayoutSourcesResponse(payout.Id, payout.AmountMinor, payout.Currency, sources);
    }

    private async Task<List<PayoutSource>> EscrowSourcesAsync(LedgerTransfer release, CancellationToken ct)
    {
        var escrow = release.DebitAccount;
        var movements = await db
            .LedgerTransfers.AsNoTracking()
            .Where(t =>
                (t.DebitAccount == escrow || t.CreditAccount == escrow) && t.PostingSequence <= release.PostingSequence
            )
            .OrderBy(t => t.PostingSequence)
            .ThenBy(t => t.Id)
            .ToListAsync(ct);
        var sources = new List<PayoutSource>();
        var held = 0L;
        foreach (var t in movements)
        {
            var credit = t.CreditAccount == escrow;
            held = checked(held + (credit ? t.AmountMinor : -t.AmountMinor));
            if (t.Id == release.Id)
            {
                continue;
            }

            var ofThisPayout = t.Reference == release.Reference;
            var kind = t.Kind switch
            {
                TransferKind.Payin or TransferKind.Contribution when credit => PayoutSourceKind.Payin,
                TransferKind.Fee when ofThisPayout => PayoutSourceKind.Fee,
                TransferKind.Split when ofThisPayout => PayoutSourceKind.Split,
                TransferKind.Refund => PayoutSourceKind.Refund,
                TransferKind.Chargeback => PayoutSourceKind.Chargeback,
                TransferKind.ReserveHold => PayoutSourceKind.ReserveHold,
                TransferKind.DebtRepayment => PayoutSourceKind.DebtRepayment,
                TransferKind.Release or TransferKind.Fee or TransferKind.Split when !ofThisPayout =>
                    PayoutSourceKind.EarlierPayout,
                _ => PayoutSourceKind.Other,
            };
            var account = credit ? t.DebitAccount : t.CreditAccount;
            sources.Add(
                new PayoutSource(kind, t.Reference, t.OrderId, account, t.Id, credit ? t.AmountMinor : -t.AmountMinor)
            );
        }

        if (held != 0)
        {
            sources.Add(
                new PayoutSource(PayoutSourceKind.StillHeld, escrow, release.OrderId, escrow, release.Id, -held)
            );
        }

        return sources;
    }
}
