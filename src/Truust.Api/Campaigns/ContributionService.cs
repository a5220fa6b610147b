using Microsoft.EntityFrameworkCore;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Campaigns;

/// <summary>
/// Contributions to a campaign's escrow. Each one locks the campaign row first, so the hard cap holds under
/// concurrent contributions and none slips in after the campaign closed.
/// </summary>
public sealed class ContributionService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    CustomerService customers,
    PayinService payins,
    WalletService wallets,
    EventOutbox events,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    /// <summary>A contribution: a payin into the campaign's escrow (card and wire complete later; wallet at
    /// once).</summary>
    public async Task<ContributionResponse> ContributeAsync(
        Caller caller,
        string campaignId,
        CreateContributionRequest request,
        CancellationToken ct
    )
    {
        var contributor = await customers.FindAsync(caller, request.ContributorId!, ct);
        var (contribution, payin) = await unitOfWork.RunAsync(
            async () =>
            {
                var campaign = await db.LockCampaignAsync(caller, campaignId, ct);
                if (contributor.PlatformId != campaign.PlatformId)
                {
                    throw new NotFoundException("customer", contributor.Id);
                }

                var amount = Money.Positive(request.Amount!.Value, campaign.Currency);
                string? walletId = null;
                if (request.Type == PayinType.Wallet)
                {
                    var wallet = await wallets.FindAsync(caller, request.WalletId!, ct);
                    if (wallet.CustomerId != contributor.Id || wallet.Currency != campaign.Currency)
                    {
                        throw new BusinessRuleException(
                            "wallet_not_contributors",
                            $"A WALLET contribution is paid from the contributor's own {campaign.Currency} wallet.",
                            "wallet_id"
                        );
                    }

                    walletId = wallet.Id;
                }

                // The platform's clock decides whether the deadline has passed, as it does for the deadline job.
                var now = await platformClock.NowAsync(campaign.PlatformId, ct);
                campaign.ReserveContribution(amount.AmountMinor, now);
                var contribution = new Contribution(campaign.Id, contributor.Id, amount, now);
                db.Contributions.Add(contribution);
                var payin = new Payin(campaign.PlatformId, PayinPurpose.Contribution, request.Type!.Value, amount, now)
                {
                    CampaignId = campaign.Id,
                    ContributionId = contribution.Id,
                    PayerId = contributor.Id,
                    SourceWalletId = walletId,
                };
                await payins.AddAsync(payin, ct);
                contribution.PayinId = payin.Id;
                return (contribution, payin);
            },
            ct
        );
        return new ContributionResponse(
            contribution.Id,
            contribution.CampaignId,
            contribution.ContributorId,
            contribution.AmountMinor,
            contribution.Currency,
            contribution.Status,
            contribution.RefundId,
            payins.ToResponse(payin),
            contribution.CreatedAt
        );
    }

    public async Task<Page<ContributionResponse>> ContributionsAsync(
        Caller caller,
        string campaignId,
        PageQuery page,
        CancellationToken ct
    )
    {
        var campaign = await db.FindCampaignAsync(caller, campaignId, ct);
        return await Paging.PageAsync(
            db.Contributions.Where(c => c.CampaignId == campaign.Id),
            page,
            c => new ContributionResponse(
                c.Id,
                c.CampaignId,
                c.ContributorId,
                c.AmountMinor,
                c.Currency,
                c.Status,
                c.RefundId,
                null,
                c.CreatedAt
            ),
            ct
        );
    }

    /// <summary>Card and wire contributions still open when the campaign closes will never count: cancel
    /// them.</summary>
    public async Task CancelOpenPayinsAsync(Campaign campaign, CancellationToken ct)
    {
        var open = await db
            .Payins.Where(p =>
                p.CampaignId == campaign.Id
                && (p.Status == PayinStatus.Pending || p.Status == PayinStatus.RequiresAction)
            )
            .ToListAsync(ct);
        var contributionIds = open.Select(p => p.ContributionId).ToList();
        var contributions = await db
            .Contributions.Where(c => contributionIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, ct);
        foreach (var payin in open)
        {
            payin.Cancel(clock.GetUtcNow());
            events.PayinChanged(payin);
            contributions[payin.ContributionId!].Fail(clock.GetUtcNow());
            campaign.ReleaseReservation(payin.AmountMinor, clock.GetUtcNow());
        }
    }
}
