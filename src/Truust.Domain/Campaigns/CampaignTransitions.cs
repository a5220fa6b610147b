using Truust.Domain.Lifecycle;
using static Truust.Domain.Campaigns.CampaignActor;
using static Truust.Domain.Campaigns.CampaignStatus;
using static Truust.Domain.Campaigns.CampaignTrigger;
using CampaignTransition = Truust.Domain.Lifecycle.Transition<
    Truust.Domain.Campaigns.CampaignStatus,
    Truust.Domain.Campaigns.CampaignTrigger,
    Truust.Domain.Campaigns.CampaignActor,
    Truust.Domain.Campaigns.CampaignMoneyEffect,
    Truust.Domain.Campaigns.Campaign
>;

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

    /// <summary>Someone pays into the pool (an action in place: the status stays).</summary>
    Contribute,

    /// <summary>The borrower repays an instalment (in place; the last one is followed by
    /// <see cref="CompleteRepayment"/>).</summary>
    Repay,
}

/// <summary>Who may fire a campaign trigger.</summary>
[Flags]
public enum CampaignActor
{
    None = 0,

    /// <summary>The platform, through its API key, for the owner, a contributor or the borrower.</summary>
    Platform = 1,

    /// <summary>The operator, through the operator key, on the platform's behalf.</summary>
    Operator = 2,

    /// <summary>Truust itself: the deadline worker, a confirmed contribution, a loan's disbursement.</summary>
    System = 4,
}

/// <summary>What a campaign transition does to the pooled money.</summary>
public enum CampaignMoneyEffect
{
    None,

    /// <summary>The pool goes to the owner, less the platform fee.</summary>
    ReleaseToOwner,

    /// <summary>Every confirmed contribution goes back to its contributor along its rail.</summary>
    RefundAll,

    /// <summary>A contribution joins the pool once its payin is confirmed.</summary>
    AddToPool,

    /// <summary>The borrower's money goes to the lenders pro rata to what each lent; the pool is not touched.</summary>
    RepayLenders,
}

/// <summary>
/// The campaign lifecycle as data, read by the same engine as the order table: the only place that says which
/// moves are legal and who may make them. The deadline worker's moves (expire, close from OPEN) are the system's
/// alone, so no request can close a campaign before its target is reached.
/// </summary>
public static class CampaignTransitions
{
    private const CampaignActor Parties = Platform | Operator;

    public static readonly IReadOnlyList<CampaignTransition> Table =
    [
        new(Open, Contribute, Open, CampaignMoneyEffect.AddToPool, Parties),
        new(Open, ReachTarget, Funded, CampaignMoneyEffect.None, CampaignActor.System),
        new(Open, Expire, Failed, CampaignMoneyEffect.RefundAll, CampaignActor.System),
        // KEEP_IT_ALL below its target closes from OPEN at the deadline: the deadline worker's move only.
        new(Open, Close, Succeeded, CampaignMoneyEffect.ReleaseToOwner, CampaignActor.System),
        new(Open, Cancel, Cancelled, CampaignMoneyEffect.RefundAll, Parties),
        new(Funded, Contribute, Funded, CampaignMoneyEffect.AddToPool, Parties),
        new(Funded, Close, Succeeded, CampaignMoneyEffect.ReleaseToOwner, Parties | CampaignActor.System),
        new(Funded, Cancel, Cancelled, CampaignMoneyEffect.RefundAll, Parties),
        new(Succeeded, Disburse, Repaying, CampaignMoneyEffect.None, CampaignActor.System),
        new(Repaying, CompleteRepayment, Repaid, CampaignMoneyEffect.None, CampaignActor.System),
        new(Repaying, CampaignTrigger.Default, Defaulted, CampaignMoneyEffect.None, Parties),
        new(Repaying, Repay, Repaying, CampaignMoneyEffect.RepayLenders, Parties),
    ];

    /// <summary>The engine over <see cref="Table"/>: what is allowed now, and the one refusal when it is not.</summary>
    public static readonly TransitionTable<
        CampaignStatus,
        CampaignTrigger,
        CampaignActor,
        CampaignMoneyEffect,
        Campaign
    > Lifecycle = new("Campaign", Table, c => c.Id, c => c.Status)
    {
        RefusalExplanations = new Dictionary<CampaignTrigger, string>
        {
            [Repay] = "only a loan being repaid (REPAYING) takes repayments.",
        },
    };

    public static CampaignTransition? Find(CampaignStatus from, CampaignTrigger trigger) =>
        Lifecycle.Find(from, trigger);

    /// <summary>The triggers the rows let <paramref name="actor"/> fire from <paramref name="status"/>, in table
    /// order.</summary>
    public static IReadOnlyList<CampaignTrigger> AllowedFor(CampaignStatus status, CampaignActor actor) =>
        Lifecycle.PermittedFor(status, actor);

    /// <summary>Statuses with nowhere left to go.</summary>
    public static bool IsFinal(CampaignStatus status) => Lifecycle.IsFinal(status);

    /// <summary>Statuses in which contributions are accepted (before the deadline): those with a contribute
    /// row.</summary>
    public static bool AcceptsContributions(CampaignStatus status) => Find(status, Contribute) is not null;
}
