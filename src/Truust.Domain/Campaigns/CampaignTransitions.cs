using static Truust.Domain.Campaigns.CampaignStatus;
using static Truust.Domain.Campaigns.CampaignTrigger;

namespace Truust.Domain.Campaigns;

public enum CampaignKind
{
    Donation,
    Reward,

    /// <summary>Crowdlending: the raised money is a loan the owner repays to the contributors with interest.</summary>
    Loan,
}

public enum CampaignMode
{
    /// <summary>The target must be reached by the deadline, or every contributor is refunded.</summary>
    AllOrNothing,

    /// <summary>The owner keeps whatever was raised by the deadline.</summary>
    KeepItAll,
}

public enum CampaignStatus
{
    Open,

    /// <summary>The target is reached; still open to contributions until the deadline or an early close.</summary>
    Funded,

    /// <summary>Closed successfully: the pooled money was released to the owner.</summary>
    Succeeded,

    /// <summary>The target was missed: every contribution is refunded.</summary>
    Failed,
    Cancelled,

    /// <summary>A loan disbursed to the borrower, being repaid in instalments.</summary>
    Repaying,
    Repaid,
    Defaulted,
}

public enum CampaignTrigger
{
    ReachTarget,

    /// <summary>The deadline passed with the target missed (ALL_OR_NOTHING), or nothing raised at all.</summary>
    Expire,

    /// <summary>Closed with success: at the deadline, or early by the owner once the target is reached.</summary>
    Close,
    Cancel,

    /// <summary>A loan's money was paid to the borrower.</summary>
    Disburse,

    /// <summary>The last instalment was paid.</summary>
    CompleteRepayment,

    /// <summary>The borrower stopped paying; the platform declares the loan in default.</summary>
    Default,
}

/// <summary>What a campaign transition does to the pooled money.</summary>
public enum CampaignMoneyEffect
{
    None,

    /// <summary>The pool goes to the owner, less the platform fee.</summary>
    ReleaseToOwner,

    /// <summary>Every confirmed contribution goes back to its contributor along its rail.</summary>
    RefundAll,
}

public sealed record CampaignTransition(
    CampaignStatus From,
    CampaignTrigger Trigger,
    CampaignStatus To,
    CampaignMoneyEffect Effect
);

/// <summary>The campaign lifecycle as data, the only place that says which moves are legal (like the order
/// table).</summary>
public static class CampaignTransitions
{
    public static readonly IReadOnlyList<CampaignTransition> Table =
    [
        new(Open, ReachTarget, Funded, CampaignMoneyEffect.None),
        new(Open, Expire, Failed, CampaignMoneyEffect.RefundAll),
        new(Open, Close, Succeeded, CampaignMoneyEffect.ReleaseToOwner),
        new(Open, Cancel, Cancelled, CampaignMoneyEffect.RefundAll),
        new(Funded, Close, Succeeded, CampaignMoneyEffect.ReleaseToOwner),
        new(Funded, Cancel, Cancelled, CampaignMoneyEffect.RefundAll),
        new(Succeeded, Disburse, Repaying, CampaignMoneyEffect.None),
        new(Repaying, CompleteRepayment, Repaid, CampaignMoneyEffect.None),
        new(Repaying, CampaignTrigger.Default, Defaulted, CampaignMoneyEffect.None),
    ];

    private static readonly Dictionary<(CampaignStatus, CampaignTrigger), CampaignTransition> ByKey =
        Table.ToDictionary(t => (t.From, t.Trigger));

    public static CampaignTransition? Find(CampaignStatus from, CampaignTrigger trigger) =>
        ByKey.GetValueOrDefault((from, trigger));

    public static IReadOnlyList<CampaignTrigger> AllowedFrom(CampaignStatus status) =>
        Table.Where(t => t.From == status).Select(t => t.Trigger).ToList();

    /// <summary>Statuses in which contributions are accepted (before the deadline).</summary>
    public static bool AcceptsContributions(CampaignStatus status) => status is Open or Funded;
}

/// <summary>A campaign action its status does not allow (HTTP 409 with the allowed actions).</summary>
public sealed class InvalidCampaignTransitionException(
    string campaignId,
    CampaignStatus status,
    CampaignTrigger trigger
) : ConflictException("invalid_transition", $"Campaign {campaignId} is {status}; '{trigger}' is not allowed now.")
{
    public CampaignStatus Status { get; } = status;

    public CampaignTrigger Trigger { get; } = trigger;

    public IReadOnlyList<CampaignTrigger> Allowed { get; } = CampaignTransitions.AllowedFrom(status);
}
