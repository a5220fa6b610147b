using Truust.Domain.Orders;

namespace Truust.Domain.Disputes;

/// <summary>What the seller answered.</summary>
public enum SellerAnswer
{
    RefundInFull,
    PartialRefund,
    Contest,
}

/// <summary>One statement in a dispute: who said what, with which links, and the amount it named.</summary>
public sealed record DisputeEntry(
    string Party,
    string Action,
    string? Text,
    IReadOnlyList<string> Links,
    long? Amount,
    DateTimeOffset At
);

/// <summary>
/// A buyer's report of a problem with a delivered order, answered by the seller and settled by a refund (none,
/// part or all of what is held) and the release of the rest. Its status changes only through <see cref="Apply"/>,
/// which asks <see cref="DisputeTransitions"/>; every statement and answer is kept in <see cref="Entries"/> (the
/// evidence and the dispute's own history).
/// </summary>
public sealed class Dispute : IHasId
{
    /// <summary>The most statements a dispute keeps (each side's evidence, offers and answers).</summary>
    public const int MaxEntries = 50;

    private Dispute()
    {
        Id = PlatformId = OrderId = Reason = Currency = string.Empty;
        Entries = [];
    }

    /// <summary>A new dispute, OPENED; the buyer's statement is recorded when <see cref="DisputeTrigger.Open"/> is
    /// applied, in the same commit.</summary>
    public Dispute(Order order, string reason, DateTimeOffset now, string? milestoneId = null)
    {
        Id = Ids.New("dsp");
        PlatformId = order.PlatformId;
        OrderId = order.Id;
        MilestoneId = milestoneId;
        Currency = order.Currency;
        Reason = reason;
        Status = DisputeStatus.Opened;
        SellerResponseHours = order.SellerResponseHours;
        BuyerResponseHours = order.BuyerResponseHours;
        SilenceWinner = order.SilenceWinner;
        Entries = [];
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string OrderId { get; private set; }

    /// <summary>The milestone disputed, on an order paid in milestones: the dispute holds and settles only its
    /// money; null for a dispute over the whole order.</summary>
    public string? MilestoneId { get; private set; }

    public string Currency { get; private set; }

    /// <summary>The buyer's reason, in a few words (<c>not_received</c>, <c>damaged</c>, ...).</summary>
    public string Reason { get; private set; }

    public DisputeStatus Status { get; private set; }

    /// <summary>The party the dispute waits for has until then; null once it is settled.</summary>
    public DateTimeOffset? DeadlineAt { get; private set; }

    public SellerAnswer? SellerAnswer { get; private set; }

    /// <summary>What the seller offered to give back, while an offer stands.</summary>
    public long? OfferedMinor { get; private set; }

    /// <summary>What went back to the buyer, once settled.</summary>
    public long? RefundedMinor { get; private set; }

    /// <summary>Who settled it: the action that did (<c>accept</c>, <c>resolve</c>, <c>expire</c>, ...).</summary>
    public string? Outcome { get; private set; }

    public int SellerResponseHours { get; private set; }

    public int BuyerResponseHours { get; private set; }

    public SilenceWinner SilenceWinner { get; private set; }

    public List<DisputeEntry> Entries { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOpen => DisputeTransitions.IsOpen(Status);

    /// <summary>What <paramref name="actor"/> may do now (<c>allowed_actions</c>).</summary>
    public IReadOnlyList<DisputeTrigger> AllowedTriggers(DisputeActor actor) =>
        DisputeTransitions.Lifecycle.Allowed(this, actor);

    /// <summary>Refuses as <see cref="Apply"/> would, changing nothing.</summary>
    public void EnsureCan(DisputeTrigger trigger, DisputeActor actor) =>
        DisputeTransitions.Lifecycle.Resolve(this, trigger, actor);

    /// <summary>
    /// Fires <paramref name="trigger"/>, the only code that assigns <see cref="Status"/>, and records the statement.
    /// <paramref name="amountMinor"/> is the seller's offer (OFFER_PARTIAL_REFUND) or the decided refund (RESOLVE);
    /// <paramref name="heldMinor"/> is what the order holds now, which no refund may exceed. Returns the refund the
    /// move settles on when it settles the dispute, else null.
    /// </summary>
    public long? Apply(
        DisputeTrigger trigger,
        DisputeActor actor,
        string party,
        string? text,
        IReadOnlyList<string> links,
        long? amountMinor,
        long heldMinor,
        DateTimeOffset now
    )
    {
        var row = DisputeTransitions.Lifecycle.Resolve(this, trigger, actor);
        if (Entries.Count >= MaxEntries)
        {
            throw new ConflictException(
                "dispute_too_long",
                $"Dispute {Id} has {MaxEntries} statements; the platform or the operator must resolve it now."
            );
        }

        long? refund = row.Effect switch
        {
            DisputeEffect.RefundAll => heldMinor,
            DisputeEffect.RefundOffer => OfferedMinor ?? 0,
            DisputeEffect.RefundDecided => CheckedRefund(amountMinor, heldMinor, "amount"),
            DisputeEffect.RefundBySilence => OnSilence(Status, SilenceWinner, heldMinor, OfferedMinor),
            _ => null,
        };
        switch (trigger)
        {
            case DisputeTrigger.OfferPartialRefund:
                var offer = CheckedRefund(amountMinor, heldMinor, "amount");
                if (offer == 0 || offer == heldMinor)
                {
                    throw new BusinessRuleException(
                        "invalid_amount",
                        $"A partial refund is more than 0 and less than the {heldMinor} held; "
                            + "refund in full or contest instead.",
                        "amount"
                    );
                }

                OfferedMinor = offer;
                SellerAnswer = Disputes.SellerAnswer.PartialRefund;
                break;
            case DisputeTrigger.Contest:
                OfferedMinor = null;
                SellerAnswer = Disputes.SellerAnswer.Contest;
                break;
            case DisputeTrigger.RefundInFull:
                SellerAnswer = Disputes.SellerAnswer.RefundInFull;
                break;
            case DisputeTrigger.Reject:
                OfferedMinor = null;
                break;
        }

        Entries.Add(new DisputeEntry(party, WireName.Action(trigger), text, links, refund ?? amountMinor, now));
        Status = row.To;
        UpdatedAt = now;
        DeadlineAt = Status switch
        {
            DisputeStatus.AwaitingSeller => now.AddHours(SellerResponseHours),
            DisputeStatus.AwaitingBuyer => now.AddHours(BuyerResponseHours),
            _ => null,
        };
        if (refund is not null)
        {
            RefundedMinor = refund;
            Outcome = WireName.Action(trigger);
            ClosedAt = now;
        }

        return refund;
    }

    /// <summary>
    /// What goes back when the party the dispute waits for stays silent: the winner by the policy takes it. A buyer
    /// who wins is refunded everything held; a seller who wins keeps everything but a standing offer.
    /// </summary>
    public static long OnSilence(DisputeStatus waitingFor, SilenceWinner policy, long heldMinor, long? offeredMinor)
    {
        var buyerWins = policy switch
        {
            SilenceWinner.Buyer => true,
            SilenceWinner.Seller => false,
            _ => waitingFor == DisputeStatus.AwaitingSeller,
        };
        return buyerWins ? heldMinor
            : waitingFor == DisputeStatus.AwaitingBuyer ? Math.Min(offeredMinor ?? 0, heldMinor)
            : 0;
    }

    private static long CheckedRefund(long? amountMinor, long heldMinor, string field) =>
        amountMinor switch
        {
            null => throw new BusinessRuleException("invalid_amount", $"{field} is required.", field),
            < 0 => throw new BusinessRuleException("invalid_amount", $"{field} cannot be negative.", field),
            var a when a > heldMinor => throw new BusinessRuleException(
                "refund_exceeds_held",
                $"The order holds {heldMinor} minor units; a refund of {a} is more than that.",
                field
            ),
            var a => a.Value,
        };
}
