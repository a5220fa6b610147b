using Microsoft.EntityFrameworkCore;
using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Refunds;
using Truust.Api.Webhooks;
using Truust.Domain.Campaigns;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Campaigns;

/// <summary>
/// What a contribution's payin outcome does to its campaign, inside the transaction that records the outcome:
/// confirmed money enters the campaign's escrow (or, when the campaign closed meanwhile, goes straight back);
/// a failed payin frees its room under the hard cap.
/// </summary>
public sealed class ContributionFunding(
    TruustDbContext db,
    LedgerService ledger,
    RefundService refunds,
    EventOutbox events,
    CampaignLifecycle lifecycle,
    TimeProvider clock
) : IPayinFunding
{
    public bool Funds(Payin payin) => payin.Purpose == PayinPurpose.Contribution;

    public async Task LockAsync(Payin payin, CancellationToken ct) => await db.LockCampaignAsync(payin.CampaignId!, ct);

    public async Task FundAsync(Payin payin, string source, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var campaign = await CampaignOfAsync(payin, ct);
        // FindAsync sees a contribution added in this same transaction (a WALLET contribution is confirmed before
        // anything is saved); a query would look only in the database and find nothing.
        var contribution =
            await db.Contributions.FindAsync([payin.ContributionId!], ct)
            ?? throw new InvalidOperationException($"Payin {payin.Id} names no known contribution.");
        await ledger.PostAsync(
            [
                new LedgerTransfer(
                    payin.PlatformId,
                    source,
                    LedgerAccounts.CampaignEscrow(campaign.Id),
                    payin.Amount,
                    TransferKind.Contribution,
                    payin.Id,
                    null,
                    now
                ),
            ],
            ct
        );
        campaign.ConfirmContribution(payin.AmountMinor, now);
        contribution.Confirm(now);
        events.Add(
            campaign.PlatformId,
            "contribution.confirmed",
            contribution.Id,
            new ContributionEventData(
                contribution.Id,
                campaign.Id,
                contribution.AmountMinor,
                contribution.Currency,
                campaign.RaisedMinor
            )
        );

        if (!CampaignTransitions.AcceptsContributions(campaign.Status))
        {
            // The money arrived after the campaign closed (a late wire): it goes straight back.
            await refunds.StartForContributionAsync(campaign, contribution, payin, "campaign already closed", ct);
            return;
        }

        if (campaign.Status == CampaignStatus.Open && campaign.TargetReached)
        {
            lifecycle.Apply(campaign, CampaignTrigger.ReachTarget, CampaignActor.System);
        }
    }

    public async Task FailAsync(Payin payin, CancellationToken ct)
    {
        var campaign = await CampaignOfAsync(payin, ct);
        var contribution = await db.Contributions.FirstAsync(c => c.Id == payin.ContributionId, ct);
        campaign.ReleaseReservation(contribution.AmountMinor, clock.GetUtcNow());
        contribution.Fail(clock.GetUtcNow());
    }

    /// <summary>
    /// The campaign as this transaction locked it: through <see cref="LockAsync"/> when a card or wire outcome is
    /// recorded, or by <see cref="ContributionService"/> when a WALLET contribution is confirmed as it is taken.
    /// </summary>
    private async Task<Campaign> CampaignOfAsync(Payin payin, CancellationToken ct) =>
        db.Campaigns.Local.FirstOrDefault(c => c.Id == payin.CampaignId)
        ?? await db.LockCampaignAsync(payin.CampaignId!, ct);
}
