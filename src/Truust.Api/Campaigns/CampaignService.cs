using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Refunds;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Ledger;
using Truust.Domain.Lifecycle;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Campaigns;

/// <summary>
/// Crowdfunding and crowdlending escrow. Every change locks the campaign row first, so contributions, the
/// deadline, an early close and a cancel serialise on it: no contribution slips in after the pool was released or
/// refunded, and the hard cap holds under concurrent contributions.
/// </summary>
public sealed class CampaignService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    CustomerService customers,
    ContributionService contributions,
    LoanService loans,
    RefundService refunds,
    LedgerService ledger,
    WalletService wallets,
    WalletFlowService flows,
    EventOutbox events,
    CampaignLifecycle lifecycle,
    WorkerSignals signals,
    IOptions<TruustOptions> options,
    PlatformClock platformClock
)
{
    public async Task<CampaignResponse> CreateAsync(Caller caller, CreateCampaignRequest request, CancellationToken ct)
    {
        var owner = await customers.FindAsync(caller, request.OwnerId!, ct);
        if (request.PayoutBankaccountId is { } accountId)
        {
            var account = await customers.FindBankAccountAsync(caller, accountId, ct);
            if (account.CustomerId != owner.Id)
            {
                throw new BusinessRuleException(
                    "destination_not_owners",
                    "The payout bank account must be the owner's.",
                    "payout_bankaccount_id"
                );
            }
        }

        var campaign = new Campaign(
            owner.PlatformId,
            request.Name!,
            request.Kind!.Value,
            request.Mode ?? CampaignMode.AllOrNothing,
            owner.Id,
            Money.Positive(request.TargetAmount!.Value, request.Currency!, "target_amount"),
            request.Deadline!.Value,
            await platformClock.NowAsync(owner.PlatformId, ct)
        )
        {
            MinContributionMinor = request.MinContribution,
            MaxContributionMinor = request.MaxContribution,
            HardCapMinor = request.HardCap,
            PayoutBankAccountId = request.PayoutBankaccountId,
            AnnualInterestBp = request.AnnualInterestBp,
            TermMonths = request.TermMonths,
        };
        db.Campaigns.Add(campaign);
        events.Add(campaign.PlatformId, "campaign.created", campaign.Id, new CampaignCreatedEventData(campaign.Id));
        await unitOfWork.SaveAsync(ct);
        return ToResponse(campaign);
    }

    public Task<Campaign> FindAsync(Caller caller, string id, CancellationToken ct) =>
        db.FindCampaignAsync(caller, id, ct);

    public async Task<Campaign?> FindByIdAsync(string id, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    public Task<Page<CampaignResponse>> ListAsync(Caller caller, CampaignListQuery query, CancellationToken ct)
    {
        var campaigns = db.Campaigns.Where(c => c.PlatformId == caller.RequirePlatform());
        if (query.Status is { } status)
        {
            campaigns = campaigns.Where(c => c.Status == status);
        }

        return Paging.PageAsync(campaigns, query, ToResponse, ct);
    }

    /// <summary>The owner closes early once the target is reached: the pool is released now.</summary>
    public Task<CampaignResponse> CloseAsync(Caller caller, string id, CancellationToken ct) =>
        TransitionAsync(caller, id, CampaignTrigger.Close, ct);

    /// <summary>The platform cancels: every contribution is refunded.</summary>
    public Task<CampaignResponse> CancelAsync(Caller caller, string id, CancellationToken ct) =>
        TransitionAsync(caller, id, CampaignTrigger.Cancel, ct);

    /// <summary>The platform declares a loan in default: repayments stop; what was repaid stays with the
    /// lenders.</summary>
    public Task<CampaignResponse> DefaultAsync(Caller caller, string id, CancellationToken ct) =>
        TransitionAsync(caller, id, CampaignTrigger.Default, ct);

    /// <summary>
    /// The deadline worker: target reached (or KEEP_IT_ALL with money raised) → released to the owner; otherwise
    /// every contributor is refunded.
    /// </summary>
    public async Task SettleDeadlineAsync(string id, CancellationToken ct)
    {
        var campaign = await FindByIdAsync(id, ct);
        if (
            campaign is null
            || !CampaignTransitions.AcceptsContributions(campaign.Status)
            || campaign.Deadline > await platformClock.NowAsync(campaign.PlatformId, ct)
        )
        {
            return;
        }

        var success =
            campaign.Status == CampaignStatus.Funded
            || (campaign.Mode == CampaignMode.KeepItAll && campaign.RaisedMinor > 0);
        try
        {
            await TransitionAsync(caller: null, id, success ? CampaignTrigger.Close : CampaignTrigger.Expire, ct);
        }
        catch (InvalidTransitionException)
        {
            // Another instance (or an early close) settled it between our read and our lock: nothing left to do.
        }
    }

    /// <summary>Fires <paramref name="trigger"/> and moves the money it says; a null <paramref name="caller"/> is the
    /// deadline worker.</summary>
    private async Task<CampaignResponse> TransitionAsync(
        Caller? caller,
        string id,
        CampaignTrigger trigger,
        CancellationToken ct
    )
    {
        var (campaign, release) = await unitOfWork.RunAsync(
            async () =>
            {
                var campaign = caller is null
                    ? await db.LockCampaignAsync(id, ct)
                    : await db.LockCampaignAsync(caller, id, ct);
                // The table's actors keep the deadline worker's moves (closing an OPEN KEEP_IT_ALL campaign) from
                // requests: without them, an owner could close and be paid before the target was reached.
                var actor = caller is null ? CampaignActor.System : CampaignLifecycle.ActorOf(caller);
                var change = lifecycle.Apply(campaign, trigger, actor);
                long? release = null;
                switch (CampaignTransitions.Find(change.From, trigger)!.Effect)
                {
                    case CampaignMoneyEffect.ReleaseToOwner:
                        await contributions.CancelOpenPayinsAsync(campaign, ct);
                        release = await ReleaseToOwnerAsync(campaign, ct);
                        break;
                    case CampaignMoneyEffect.RefundAll:
                        await contributions.CancelOpenPayinsAsync(campaign, ct);
                        await RefundAllAsync(campaign, ct);
                        break;
                }

                unitOfWork.WakeAfterCommit(signals.Refunds);
                return (campaign, release);
            },
            ct
        );

        if (release is > 0 && campaign.PayoutBankAccountId is { } accountId && campaign.Kind != CampaignKind.Loan)
        {
            // The owner asked to be paid to the bank: a withdrawal from the wallet just credited, through the bank.
            var wallet = await wallets.GetOrCreateForCustomerAsync(
                campaign.PlatformId,
                campaign.OwnerId,
                campaign.Currency,
                ct
            );
            await flows.WithdrawAsync(wallet, accountId, release.Value, ct);
        }

        return ToResponse(campaign);
    }

    /// <summary>The pool to the owner's wallet, less the platform's fee; a loan is then disbursed and
    /// scheduled.</summary>
    private async Task<long> ReleaseToOwnerAsync(Campaign campaign, CancellationToken ct)
    {
        // The platform's clock: a loan's due dates count from the disbursement as the platform sees it.
        var now = await platformClock.NowAsync(campaign.PlatformId, ct);
        var platform = await db.Platforms.AsNoTracking().FirstAsync(p => p.Id == campaign.PlatformId, ct);
        var raised = campaign.RaisedMinor;
        var fee = platform.DefaultFeeMinor(raised);
        campaign.SetFee(fee);
        var currency = Currency.Of(campaign.Currency);
        var escrow = LedgerAccounts.CampaignEscrow(campaign.Id);
        var ownerWallet = await wallets.GetOrCreateForCustomerAsync(
            campaign.PlatformId,
            campaign.OwnerId,
            campaign.Currency,
            ct
        );
        var transfers = new List<LedgerTransfer>();
        if (fee > 0)
        {
            var feeWallet = await wallets.GetOrCreateFeeWalletAsync(campaign.PlatformId, campaign.Currency, ct);
            transfers.Add(
                new LedgerTransfer(
                    campaign.PlatformId,
                    escrow,
                    LedgerAccounts.Wallet(feeWallet.Id),
                    new Money(fee, currency),
                    TransferKind.Fee,
                    campaign.Id,
                    null,
                    now
                )
            );
        }

        if (raised - fee > 0)
        {
            transfers.Add(
                new LedgerTransfer(
                    campaign.PlatformId,
                    escrow,
                    LedgerAccounts.Wallet(ownerWallet.Id),
                    new Money(raised - fee, currency),
                    campaign.Kind == CampaignKind.Loan ? TransferKind.Disbursement : TransferKind.Release,
                    campaign.Id,
                    null,
                    now
                )
            );
        }

        await ledger.PostAsync(transfers, ct);
        campaign.Withdraw(raised);
        if (campaign.Kind == CampaignKind.Loan)
        {
            loans.Disburse(campaign, raised, now);
        }

        return raised - fee;
    }

    private async Task RefundAllAsync(Campaign campaign, CancellationToken ct)
    {
        var confirmed = await db
            .Contributions.Where(c => c.CampaignId == campaign.Id && c.Status == ContributionStatus.Confirmed)
            .OrderBy(c => c.Id)
            .ToListAsync(ct);
        var payinIds = confirmed.Select(c => c.PayinId!).ToList();
        var payinsById = await db
            .Payins.AsNoTracking()
            .Where(p => payinIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, ct);
        foreach (var contribution in confirmed)
        {
            await refunds.StartForContributionAsync(
                campaign,
                contribution,
                payinsById[contribution.PayinId!],
                campaign.Status == CampaignStatus.Cancelled ? "campaign cancelled" : "campaign target missed",
                ct
            );
        }
    }

    public async Task<CampaignRefundReport> RefundReportAsync(Caller caller, string id, CancellationToken ct)
    {
        var campaign = await db.FindCampaignAsync(caller, id, ct);
        var list = await db
            .Refunds.AsNoTracking()
            .Where(r => r.CampaignId == campaign.Id)
            .OrderBy(r => r.Id)
            .ToListAsync(ct);
        var contributions = await db.Contributions.CountAsync(
            c =>
                c.CampaignId == campaign.Id
                && c.Status != ContributionStatus.Failed
                && c.Status != ContributionStatus.Pending,
            ct
        );
        return new CampaignRefundReport(
            campaign.Id,
            contributions,
            list.Count,
            list.Count(r => r.Status == RefundStatus.Succeeded),
            list.Count(r => r.Status == RefundStatus.Pending),
            list.Count(r => r.Status == RefundStatus.Failed),
            list.Where(r => r.Status == RefundStatus.Succeeded).Sum(r => r.AmountMinor),
            list.Select(RefundResponse.From).ToList()
        );
    }

    public CampaignResponse ToResponse(Campaign c) =>
        new(
            c.Id,
            c.Name,
            c.Kind,
            c.Mode,
            c.Status,
            c.OwnerId,
            c.TargetMinor,
            c.Currency,
            c.RaisedMinor,
            c.PendingMinor,
            c.Deadline,
            c.MinContributionMinor,
            c.MaxContributionMinor,
            c.HardCapMinor,
            c.FeeMinor,
            c.AnnualInterestBp,
            c.TermMonths,
            c.PayoutBankAccountId,
            $"{options.Value.PublicBaseUrl.TrimEnd('/')}/c/{c.Id}",
            c.AllowedTriggers(CampaignActor.Platform).Select(t => WireName.Action(t)).ToList(),
            c.CreatedAt,
            c.ClosedAt
        );
}
