namespace Truust.Domain.Orders;

/// <summary>Who wins a dispute when the party it waits for lets its deadline pass.</summary>
public enum SilenceWinner
{
    /// <summary>The party that stayed silent loses (the seller's silence refunds the buyer in full; the buyer's
    /// silence settles on the seller's last answer).</summary>
    Counterparty,

    /// <summary>The buyer always wins on silence: refunded in full.</summary>
    Buyer,

    /// <summary>The seller always wins on silence: the seller's standing offer, or nothing, goes back.</summary>
    Seller,
}

/// <summary>
/// When an order's money may go to the seller without the platform saying so, and how a dispute is timed: the
/// inspection window that a delivery starts, whether its end validates the order, how long each party has to answer
/// a dispute, and who wins on silence. A platform has a default; an order takes a copy at creation (with its own
/// overrides), so changing the platform's policy never moves an order already under way.
/// </summary>
public sealed record ReleasePolicy(
    int InspectionHours,
    bool AutoValidate,
    int SellerResponseHours,
    int BuyerResponseHours,
    SilenceWinner SilenceWinner
)
{
    /// <summary>A year: no window or answer time may be longer.</summary>
    public const int MaxHours = 8_760;

    /// <summary>Three days to inspect, no automatic validation, three days for each answer, silence loses.</summary>
    public static readonly ReleasePolicy Default = new(72, false, 72, 72, SilenceWinner.Counterparty);

    /// <summary>This policy with each given value replacing its own.</summary>
    public ReleasePolicy With(
        int? inspectionHours,
        bool? autoValidate,
        int? sellerResponseHours,
        int? buyerResponseHours,
        SilenceWinner? silenceWinner
    ) =>
        Checked(
            new ReleasePolicy(
                inspectionHours ?? InspectionHours,
                autoValidate ?? AutoValidate,
                sellerResponseHours ?? SellerResponseHours,
                buyerResponseHours ?? BuyerResponseHours,
                silenceWinner ?? SilenceWinner
            )
        );

    private static ReleasePolicy Checked(ReleasePolicy policy)
    {
        Hours(policy.InspectionHours, "inspection_hours", allowZero: true);
        Hours(policy.SellerResponseHours, "seller_response_hours", allowZero: false);
        Hours(policy.BuyerResponseHours, "buyer_response_hours", allowZero: false);
        if (!Enum.IsDefined(policy.SilenceWinner))
        {
            throw new BusinessRuleException("invalid_policy", "silence_winner is not a known value.", "silence_winner");
        }

        return policy;
    }

    private static void Hours(int hours, string field, bool allowZero)
    {
        if (hours > MaxHours || hours < (allowZero ? 0 : 1))
        {
            throw new BusinessRuleException(
                "invalid_policy",
                $"{field} must be between {(allowZero ? 0 : 1)} and {MaxHours}.",
                $"release_policy.{field}"
            );
        }
    }
}
