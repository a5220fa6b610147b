using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Ledger;
using Truust.Domain.Wallets;

namespace Truust.Api.Campaigns;

/// <summary>
/// Crowdlending: the schedule set when the pool is disbursed, the borrower's repayments distributed to the lenders,
/// and the schedule as read back. Repayments lock the campaign row, like every other campaign change.
/// </summary>
public sealed class LoanService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    LedgerService ledger,
    WalletService wallets,
    EventOutbox events,
    CampaignLifecycle lifecycle,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    /// <summary>The pool was just released to the borrower's wallet: the loan starts being repaid on a monthly
    /// schedule.</summary>
    public void Disburse(Campaign campaign, long raised, DateTimeOffset now)
    {
        lifecycle.Apply(campaign, CampaignTrigger.Disburse, CampaignActor.System);
        var schedule = LoanSchedule.Build(raised, campaign.AnnualInterestBp ?? 0, campaign.TermMonths ?? 1);
        db.Instalments.AddRange(
            schedule.Select((s, i) => new Instalment(campaign.Id, i + 1, now.AddMonths(i + 1), s.Principal, s.Interest))
        );
    }

    /// <summary>
    /// The borrower repays from their wallet: the money goes to the lenders pro rata to what each lent, principal
    /// and interest split separately by largest remainder, so every cent is accounted for.
    /// </summary>
    public async Task<RepaymentResponse> RepayAsync(
        Caller caller,
        string id,
        CreateRepaymentRequest request,
        CancellationToken ct
    )
    {
        var (repayment, shares, status) = await unitOfWork.RunAsync(
            async () =>
            {
                var campaign = await db.LockCampaignAsync(caller, id, ct);
                // A repayment keeps the loan REPAYING: the table allows it or refuses it, with no status to apply.
                campaign.EnsureCan(CampaignTrigger.Repay, CampaignLifecycle.ActorOf(caller));

                var instalments = await db
                    .Instalments.Where(i => i.CampaignId == campaign.Id)
                    .OrderBy(i => i.Number)
                    .ToListAsync(ct);
                var outstanding = instalments.Sum(i => i.DueMinor);
                var amount = request.Amount ?? instalments.First(i => !i.IsPaid).DueMinor;
                if (amount > outstanding)
                {
                    throw new BusinessRuleException(
                        "repayment_exceeds_outstanding",
                        $"The loan has {outstanding} minor units outstanding; {amount} is more than that.",
                        "amount"
                    );
                }

                var (principal, interest) = RepaymentSplit.PayInstalments(instalments, amount);
                var borrowerWallet =
                    await db
                        .Wallets.AsNoTracking()
                        .FirstOrDefaultAsync(
                            w =>
                                w.CustomerId == campaign.OwnerId
                                && w.Currency == campaign.Currency
                                && w.Kind == WalletKind.Customer,
                            ct
                        )
                    ?? throw new BusinessRuleException(
                        "insufficient_funds",
                        "The borrower has no wallet to repay from."
                    );
                var lenders = await LendersAsync(campaign.Id, ct);
                var parts = RepaymentSplit.Share(principal, interest, lenders);
                var repayment = new Repayment(campaign.Id, principal, interest, clock.GetUtcNow());
                db.Repayments.Add(repayment);
                var currency = Currency.Of(campaign.Currency);
                var shares = new List<LenderShare>();
                var transfers = new List<LedgerTransfer>();
                foreach (var part in parts)
                {
                    var wallet = await wallets.GetOrCreateForCustomerAsync(
                        campaign.PlatformId,
                        part.LenderId,
                        campaign.Currency,
                        ct
                    );
                    shares.Add(new LenderShare(part.LenderId, wallet.Id, part.PrincipalMinor, part.InterestMinor));
                    db.RepaymentShares.Add(
                        new RepaymentShare(
                            repayment.Id,
                            campaign.Id,
                            part.LenderId,
                            part.PrincipalMinor,
                            part.InterestMinor
                        )
                    );
                    if (part.TotalMinor > 0)
                    {
                        transfers.Add(
                            new LedgerTransfer(
                                campaign.PlatformId,
                                LedgerAccounts.Wallet(borrowerWallet.Id),
                                LedgerAccounts.Wallet(wallet.Id),
                                new Money(part.TotalMinor, currency),
                                TransferKind.Repayment,
                                repayment.Id,
                                null,
                                clock.GetUtcNow()
                            )
                        );
                    }
                }

                await ledger.PostAsync(transfers, ct);
                if (instalments.All(i => i.IsPaid))
                {
                    lifecycle.Apply(campaign, CampaignTrigger.CompleteRepayment, CampaignActor.System);
                }

                events.Add(
                    campaign.PlatformId,
                    "campaign.repayment",
                    repayment.Id,
                    new CampaignRepaymentEventData(repayment.Id, campaign.Id, principal, interest)
                );
                return (repayment, shares, campaign.Status);
            },
            ct
        );
        return new RepaymentResponse(
            repayment.Id,
            repayment.CampaignId,
            repayment.AmountMinor,
            repayment.PrincipalMinor,
            repayment.InterestMinor,
            shares,
            status,
            repayment.CreatedAt
        );
    }

    /// <summary>Every lender of the loan, in id order: what each lent and how much principal came back.</summary>
    private async Task<IReadOnlyList<Lender>> LendersAsync(string campaignId, CancellationToken ct)
    {
        var lent = await db
            .Contributions.AsNoTracking()
            .Where(c => c.CampaignId == campaignId && c.Status == ContributionStatus.Confirmed)
            .GroupBy(c => c.ContributorId)
            .Select(g => new { LenderId = g.Key, Lent = g.Sum(c => c.AmountMinor) })
            .OrderBy(g => g.LenderId)
            .ToListAsync(ct);
        var received = await db
            .RepaymentShares.AsNoTracking()
            .Where(r => r.CampaignId == campaignId)
            .GroupBy(r => r.LenderId)
            .Select(g => new { LenderId = g.Key, Principal = g.Sum(r => r.PrincipalMinor) })
            .ToDictionaryAsync(g => g.LenderId, g => g.Principal, ct);
        return lent.Select(l => new Lender(l.LenderId, l.Lent, received.GetValueOrDefault(l.LenderId))).ToList();
    }

    public async Task<ScheduleResponse> ScheduleAsync(Caller caller, string id, CancellationToken ct)
    {
        var campaign = await db.FindCampaignAsync(caller, id, ct);
        var instalments = await db
            .Instalments.AsNoTracking()
            .Where(i => i.CampaignId == campaign.Id)
            .OrderBy(i => i.Number)
            .ToListAsync(ct);
        var now = await platformClock.NowAsync(campaign.PlatformId, ct);
        var rows = instalments
            .Select(i => new InstalmentResponse(
                i.Number,
                i.DueAt,
                i.PrincipalMinor,
                i.InterestMinor,
                i.PaidPrincipalMinor,
                i.PaidInterestMinor,
                i.DueMinor,
                i.IsPaid ? "PAID"
                    : i.DueAt < now ? "LATE"
                    : i.PaidPrincipalMinor + i.PaidInterestMinor > 0 ? "PARTIAL"
                    : "DUE"
            ))
            .ToList();
        return new ScheduleResponse(
            campaign.Id,
            instalments.Sum(i => i.PrincipalMinor),
            instalments.Sum(i => i.InterestMinor),
            instalments.Sum(i => i.PaidPrincipalMinor + i.PaidInterestMinor),
            instalments.Sum(i => i.DueMinor),
            rows
        );
    }
}
