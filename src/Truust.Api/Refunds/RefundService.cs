using Microsoft.EntityFrameworkCore;
using Truust.Api.Gateways;
using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Refunds;

/// <summary>
/// Refunds: money back to the payer along the rail it came by. The money leaves escrow in the same commit as the
/// decision; the rail (card processor, bank) is called after that commit, and a failed call is retried by the
/// refund worker until it succeeds, so the buyer is never left out of pocket by a passing failure.
/// </summary>
public sealed class RefundService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    LedgerService ledger,
    EventOutbox events,
    ICardGateway cards,
    IBankGateway bank,
    TimeProvider clock,
    PlatformClock platformClock,
    ILogger<RefundService> log
)
{
    public const string SuspenseAccount = "suspense:refunds";

    /// <summary>
    /// Inside the caller's transaction (the order is locked): moves <paramref name="amountMinor"/> out of escrow
    /// towards the payer and records the refund. A wallet refund completes here; card and wire refunds complete
    /// when their rail confirms (see <see cref="ExecuteAsync"/>).
    /// </summary>
    public async Task<Refund> StartAsync(
        Order order,
        Payin payin,
        long amountMinor,
        string? reason,
        CancellationToken ct,
        string? milestoneId = null
    )
    {
        order.Refund(amountMinor);
        return await StartCoreAsync(
            order.PlatformId,
            LedgerAccounts.Escrow(order.Id),
            order.Id,
            payin,
            amountMinor,
            reason,
            refund => refund.MilestoneId = milestoneId,
            ct
        );
    }

    /// <summary>
    /// A refund after release (inside the caller's transaction, the order locked): <paramref name="sources"/> bring
    /// the money back into the order's escrow from the seller side and the reserve, and the refund takes it out to
    /// the payer, all in one posting, so the escrow ends as empty as it was.
    /// </summary>
    public async Task<Refund> StartAfterReleaseAsync(
        Order order,
        Payin payin,
        long amountMinor,
        string? reason,
        Func<Refund, Task<IReadOnlyList<LedgerTransfer>>> sources,
        CancellationToken ct
    )
    {
        order.RefundAfterRelease(amountMinor);
        return await StartCoreAsync(
            order.PlatformId,
            LedgerAccounts.Escrow(order.Id),
            order.Id,
            payin,
            amountMinor,
            reason,
            refund => { },
            ct,
            sources
        );
    }

    /// <summary>Sends a campaign contribution back to its contributor (inside the caller's transaction).</summary>
    public async Task<Refund> StartForContributionAsync(
        Campaign campaign,
        Contribution contribution,
        Payin payin,
        string reason,
        CancellationToken ct
    )
    {
        campaign.Withdraw(contribution.AmountMinor);
        var refund = await StartCoreAsync(
            campaign.PlatformId,
            LedgerAccounts.CampaignEscrow(campaign.Id),
            null,
            payin,
            contribution.AmountMinor,
            reason,
            r =>
            {
                r.CampaignId = campaign.Id;
                r.ContributionId = contribution.Id;
            },
            ct
        );
        contribution.MarkRefunded(refund.Id, clock.GetUtcNow());
        return refund;
    }

    private async Task<Refund> StartCoreAsync(
        string platformId,
        string escrowAccount,
        string? orderId,
        Payin payin,
        long amountMinor,
        string? reason,
        Action<Refund> configure,
        CancellationToken ct,
        Func<Refund, Task<IReadOnlyList<LedgerTransfer>>>? sources = null
    )
    {
        var now = clock.GetUtcNow();
        var refund = new Refund(platformId, payin, amountMinor, reason, now, orderId) { NextAttemptAt = now };
        configure(refund);
        var destination = payin.Type switch
        {
            PayinType.Wallet => LedgerAccounts.Wallet(payin.SourceWalletId!),
            PayinType.Addon => LedgerAccounts.CardRail,
            _ => LedgerAccounts.BankPayoutRail,
        };
        refund.DestinationIban = payin.Type == PayinType.Bankwire ? payin.SenderIban : null;
        db.Refunds.Add(refund);
        await ledger.PostAsync(
            [
                .. sources is null ? [] : await sources(refund),
                new LedgerTransfer(
                    platformId,
                    escrowAccount,
                    destination,
                    new Money(amountMinor, Currency.Of(payin.Currency)),
                    TransferKind.Refund,
                    refund.Id,
                    orderId,
                    now
                ),
            ],
            ct
        );
        if (payin.Type == PayinType.Wallet)
        {
            refund.Succeed(now);
        }

        events.RefundChanged(refund);
        return refund;
    }

    public async Task<IReadOnlyList<RefundResponse>> ListForOrderAsync(string orderId, CancellationToken ct) =>
        (await db.Refunds.AsNoTracking().Where(r => r.OrderId == orderId).OrderBy(r => r.Id).ToListAsync(ct))
            .Select(RefundResponse.From)
            .ToList();

    /// <summary>
    /// Asks the rail to pay a pending refund (idempotent on the refund id), then records the outcome. A failure
    /// leaves the refund pending with the reason; the refund worker tries again with backoff.
    /// </summary>
    public async Task ExecuteAsync(string refundId, CancellationToken ct)
    {
        var refund = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct);
        if (refund.Status != RefundStatus.Pending)
        {
            return;
        }

        string? failure = null;
        var refused = false;
        try
        {
            var amount = new Money(refund.AmountMinor, Currency.Of(refund.Currency));
            if (refund.Rail == PayinType.Addon)
            {
                await cards.RefundAsync(refund.Id, refund.PayinId, amount, ct);
            }
            else if (refund.Rail == PayinType.Bankwire)
            {
                var asOf = await platformClock.NowAsync(refund.PlatformId, ct);
                var transfer = await bank.SubmitTransferAsync(refund.Id, refund.DestinationIban!, amount, asOf, ct);
                refused = transfer.Status == BankTransferStatus.Refused;
                failure = transfer.Reason;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Refund {RefundId} failed at its rail; it will be retried", refundId);
            failure = e.Message;
        }

        await unitOfWork.RunAsync(
            async () =>
            {
                var tracked = await Locks.Refund(db, refundId).SingleAsync(ct);
                if (tracked.Status != RefundStatus.Pending)
                {
                    return;
                }

                var now = clock.GetUtcNow();
                tracked.RecordAttempt();
                if (refused)
                {
                    // The bank will not take it: park the money in suspense for the operator, visibly, rather than
                    // lose it.
                    tracked.Fail(failure ?? "refused by the bank", now);
                    await ledger.PostAsync(
                        [
                            new LedgerTransfer(
                                tracked.PlatformId,
                                LedgerAccounts.BankPayoutRail,
                                SuspenseAccount,
                                new Money(tracked.AmountMinor, Currency.Of(tracked.Currency)),
                                TransferKind.Refund,
                                tracked.Id,
                                tracked.OrderId,
                                now
                            ),
                        ],
                        ct
                    );
                }
                else if (failure is null)
                {
                    tracked.Succeed(now);
                }
                else
                {
                    tracked.RecordFailure(failure, now);
                    tracked.NextAttemptAt = now.AddSeconds(Math.Min(3600, 5 * Math.Pow(2, tracked.Attempts)));
                    return;
                }

                events.RefundChanged(tracked);
                return;
            },
            ct
        );
    }
}
