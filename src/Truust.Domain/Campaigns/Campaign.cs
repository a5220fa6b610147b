using Truust.Domain.Lifecycle;

namespace Truust.Domain.Campaigns;

/// <summary>
/// A crowdfunding or crowdlending campaign: contributions pool in the campaign's escrow until the target is
/// reached and the campaign closes (released to the owner), or the target is missed (refunded to everyone).
/// </summary>
public sealed class Campaign : IHasId
{
    private Campaign()
    {
        Id = PlatformId = Name = OwnerId = Currency = string.Empty;
    }

    public Campaign(
        string platformId,
        string name,
        CampaignKind kind,
        CampaignMode mode,
        string ownerId,
        Money target,
        DateTimeOffset deadline,
        DateTimeOffset now
    )
    {
        if (deadline <= now)
        {
            throw new BusinessRuleException("invalid_deadline", "The deadline must be in the future.", "deadline");
        }

        Id = Ids.New("cmp");
        PlatformId = platformId;
        Name = name;
        Kind = kind;
        Mode = mode;
        OwnerId = ownerId;
        TargetMinor = target.AmountMinor;
        Currency = target.Currency.Code;
        Deadline = deadline;
        Status = CampaignStatus.Open;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string Name { get; private set; }

    public CampaignKind Kind { get; private set; }

    public CampaignMode Mode { get; private set; }

    /// <summary>The project owner, or the borrower of a loan.</summary>
    public string OwnerId { get; private set; }

    public long TargetMinor { get; private set; }

    public string Currency { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public long? MinContributionMinor { get; set; }

    public long? MaxContributionMinor { get; set; }

    /// <summary>The most the campaign may raise; contributions past it are refused.</summary>
    public long? HardCapMinor { get; set; }

    /// <summary>Where the owner is paid at release: a bank account of theirs (else their wallet).</summary>
    public string? PayoutBankAccountId { get; set; }

    /// <summary>Confirmed money in the campaign's escrow, kept in step with the ledger in the same commit.</summary>
    public long RaisedMinor { get; private set; }

    /// <summary>Contributions created but not yet confirmed: they reserve room under the hard cap.</summary>
    public long PendingMinor { get; private set; }

    public long? FeeMinor { get; private set; }

    /// <summary>For loans: yearly interest in basis points (500 = 5 %).</summary>
    public long? AnnualInterestBp { get; set; }

    /// <summary>For loans: number of monthly instalments.</summary>
    public int? TermMonths { get; set; }

    public CampaignStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public Money Target => new(TargetMinor, Domain.Currency.Of(Currency));

    /// <summary>What <paramref name="actor"/> may do now, in table order (this is <c>allowed_actions</c>).</summary>
    public IReadOnlyList<CampaignTrigger> AllowedTriggers(CampaignActor actor) =>
        CampaignTransitions.Lifecycle.Allowed(this, actor);

    /// <summary>
    /// Fires <paramref name="trigger"/>: the only code that assigns <see cref="Status"/>. Refused, changing nothing,
    /// with <see cref="InvalidTransitionException"/> when the table has no such pair or <paramref name="actor"/> may
    /// not fire it. An action in place (contribute, repay) has no status to change: ask <see cref="EnsureCan"/>.
    /// </summary>
    public CampaignStatusChange Apply(
        CampaignTrigger trigger,
        CampaignActor actor,
        DateTimeOffset now,
        string? reason = null
    )
    {
        var transition = CampaignTransitions.Lifecycle.Resolve(this, trigger, actor);
        if (!transition.ChangesStatus)
        {
            throw new InvalidOperationException(
                $"'{trigger}' keeps campaign {Id} {Status}: there is no status to apply."
            );
        }

        var change = new CampaignStatusChange(Id, Status, transition.To, trigger, actor, reason, now);
        Status = transition.To;
        UpdatedAt = now;
        // The campaign closes when its pool is released or refunded.
        if (transition.Effect is CampaignMoneyEffect.ReleaseToOwner or CampaignMoneyEffect.RefundAll)
        {
            ClosedAt = now;
        }

        return change;
    }

    /// <summary>Asks whether a trigger would be accepted now, without firing it; refuses as <see cref="Apply"/>
    /// would.</summary>
    public void EnsureCan(CampaignTrigger trigger, CampaignActor actor) =>
        CampaignTransitions.Lifecycle.Resolve(this, trigger, actor);

    /// <summary>
    /// Checks a new contribution against the campaign's rules and reserves its room under the hard cap. Throws a
    /// clear business error when it is refused.
    /// </summary>
    public void ReserveContribution(long amountMinor, DateTimeOffset now)
    {
        if (!CampaignTransitions.AcceptsContributions(Status))
        {
            throw new ConflictException(
                "campaign_closed",
                $"Campaign {Id} is {Status}: it accepts no more contributions."
            );
        }

        if (now >= Deadline)
        {
            throw new BusinessRuleException(
                "deadline_passed",
                $"Campaign {Id} closed for contributions at {Deadline:O}."
            );
        }

        if (MinContributionMinor is { } min && amountMinor < min)
        {
            throw new BusinessRuleException(
                "contribution_too_small",
                $"The smallest contribution is {min} minor units.",
                "amount"
            );
        }

        if (MaxContributionMinor is { } max && amountMinor > max)
        {
            throw new BusinessRuleException(
                "contribution_too_large",
                $"The largest contribution is {max} minor units.",
                "amount"
            );
        }

        if (HardCapMinor is { } cap && RaisedMinor + PendingMinor + amountMinor > cap)
        {
            throw new BusinessRuleException(
                "hard_cap_reached",
                $"Campaign {Id} can take only {Math.Max(0, cap - RaisedMinor - PendingMinor)} more minor units before its hard cap of {cap}.",
                "amount"
            );
        }

        PendingMinor = checked(PendingMinor + amountMinor);
    }

    /// <summary>A pending contribution's money arrived in escrow.</summary>
    public void ConfirmContribution(long amountMinor, DateTimeOffset now)
    {
        PendingMinor -= amountMinor;
        RaisedMinor = checked(RaisedMinor + amountMinor);
        UpdatedAt = now;
    }

    /// <summary>A pending contribution will not come (declined, expired, cancelled): its room is freed.</summary>
    public void ReleaseReservation(long amountMinor, DateTimeOffset now)
    {
        PendingMinor = Math.Max(0, PendingMinor - amountMinor);
        UpdatedAt = now;
    }

    /// <summary>Money leaves the escrow (released or refunded).</summary>
    public void Withdraw(long amountMinor)
    {
        if (amountMinor > RaisedMinor)
        {
            throw new InvalidOperationException($"Campaign {Id} holds {RaisedMinor}; cannot take {amountMinor}.");
        }

        RaisedMinor -= amountMinor;
    }

    public void SetFee(long feeMinor) => FeeMinor = feeMinor;

    public bool TargetReached => RaisedMinor >= TargetMinor;
}

public enum ContributionStatus
{
    Pending,
    Confirmed,
    Failed,

    /// <summary>Sent back to the contributor (the refund has its own status).</summary>
    Refunded,
}

/// <summary>One contributor's money for a campaign.</summary>
public sealed class Contribution : IHasId
{
    private Contribution()
    {
        Id = CampaignId = ContributorId = Currency = string.Empty;
    }

    public Contribution(string campaignId, string contributorId, Money amount, DateTimeOffset now)
    {
        Id = Ids.New("ctb");
        CampaignId = campaignId;
        ContributorId = contributorId;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        Status = ContributionStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string CampaignId { get; private set; }

    public string ContributorId { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public string? PayinId { get; set; }

    public string? RefundId { get; private set; }

    public ContributionStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Confirm(DateTimeOffset now)
    {
        Status = ContributionStatus.Confirmed;
        UpdatedAt = now;
    }

    public void Fail(DateTimeOffset now)
    {
        Status = ContributionStatus.Failed;
        UpdatedAt = now;
    }

    public void MarkRefunded(string refundId, DateTimeOffset now)
    {
        Status = ContributionStatus.Refunded;
        RefundId = refundId;
        UpdatedAt = now;
    }
}
