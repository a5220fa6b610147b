namespace Truust.Domain.Payments;

/// <summary>How money comes in: by card, by bank wire, or from a wallet.</summary>
public enum PayinType
{
    Addon,
    Bankwire,
    Wallet,
}

public enum PayinStatus
{
    /// <summary>Waiting for the buyer (card details, or the wire to arrive).</summary>
    Pending,

    /// <summary>The card issuer asks for a 3-D Secure challenge (PSD2 strong customer authentication).</summary>
    RequiresAction,

    /// <summary>
    /// The card (or the answer to its challenge) is with the card processor and its outcome is not recorded yet.
    /// Only the request that moved the payin here calls the processor; if it dies, the recovery job asks the
    /// processor what happened and records it.
    /// </summary>
    Processing,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>A bank wire that did not arrive before its deadline.</summary>
    Expired,

    /// <summary>A succeeded card payment that the cardholder's bank reversed (a chargeback).</summary>
    ChargedBack,
}

/// <summary>What a payin funds.</summary>
public enum PayinPurpose
{
    Order,
    Topup,
    Contribution,
}

/// <summary>Money coming into Truust for an order's escrow, a wallet top-up or a campaign.</summary>
public sealed class Payin : IHasId
{
    private Payin()
    {
        Id = PlatformId = Currency = Token = string.Empty;
    }

    public Payin(string platformId, PayinPurpose purpose, PayinType type, Money amount, DateTimeOffset now)
    {
        Id = Ids.New("pay");
        PlatformId = platformId;
        Purpose = purpose;
        Type = type;
        AmountMinor = amount.AmountMinor;
        Currency = amount.Currency.Code;
        Status = PayinStatus.Pending;
        Token = Ids.Secret();
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public PayinPurpose Purpose { get; private set; }

    public PayinType Type { get; private set; }

    public PayinStatus Status { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public Money Amount => new(AmountMinor, Domain.Currency.Of(Currency));

    public string? OrderId { get; set; }

    public string? OrderGroupId { get; set; }

    public string? CampaignId { get; set; }

    public string? ContributionId { get; set; }

    /// <summary>For a top-up: the wallet credited when the payin succeeds.</summary>
    public string? TargetWalletId { get; set; }

    /// <summary>For a WALLET payin: the wallet debited.</summary>
    public string? SourceWalletId { get; set; }

    /// <summary>Who pays; refunds go back to them.</summary>
    public string? PayerId { get; set; }

    /// <summary>Secret part of the payin's <c>direct_link</c>.</summary>
    public string Token { get; private set; }

    public string? FailureCode { get; private set; }

    public string? FailureMessage { get; private set; }

    public string? CardBrand { get; private set; }

    public string? CardLast4 { get; private set; }

    /// <summary>Card expiry as <c>MM/YY</c>. With brand and last four digits, all Truust keeps of a card.</summary>
    public string? CardExpiry { get; private set; }

    /// <summary>The unique reference a bank wire must carry to be matched to this payin.</summary>
    public string? BankwireReference { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The IBAN a wire came from; a wire refund goes back there.</summary>
    public string? SenderIban { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SucceededAt { get; private set; }

    /// <summary>Not decided yet: the payin may still succeed or fail.</summary>
    public bool IsOpen => Status is PayinStatus.Pending or PayinStatus.RequiresAction or PayinStatus.Processing;

    /// <summary>
    /// The card, or the answer to its 3-D Secure challenge, goes to the processor now. Exactly one request can make
    /// this move for a payin (it holds the payin's row lock), and only that request calls the processor: a second
    /// submission finds the payin PROCESSING and is told so, instead of charging or voiding anything.
    /// </summary>
    public void StartProcessing(DateTimeOffset now)
    {
        if (Status == PayinStatus.Processing)
        {
            throw new ConflictException(
                "payin_processing",
                $"A card payment for payin {Id} is in progress; its outcome will be on the payin in a moment."
            );
        }

        if (Status is not (PayinStatus.Pending or PayinStatus.RequiresAction))
        {
            throw new ConflictException("payin_not_open", $"Payin {Id} is already {Status}.");
        }

        Status = PayinStatus.Processing;
        UpdatedAt = now;
    }

    public void RecordCard(string brand, string last4, string expiry)
    {
        CardBrand = brand;
        CardLast4 = last4;
        CardExpiry = expiry;
    }

    public void RequireAction(DateTimeOffset now)
    {
        EnsureOpen();
        Status = PayinStatus.RequiresAction;
        UpdatedAt = now;
    }

    public void Succeed(DateTimeOffset now, string? senderIban = null)
    {
        EnsureOpen();
        Status = PayinStatus.Succeeded;
        SenderIban = senderIban;
        SucceededAt = UpdatedAt = now;
    }

    public void Fail(string code, string message, DateTimeOffset now)
    {
        EnsureOpen();
        Status = PayinStatus.Failed;
        FailureCode = code;
        FailureMessage = message;
        UpdatedAt = now;
    }

    public void Expire(DateTimeOffset now)
    {
        EnsureOpen();
        Status = PayinStatus.Expired;
        FailureCode = "bankwire_expired";
        FailureMessage = "No matching wire arrived before the deadline.";
        UpdatedAt = now;
    }

    /// <summary>The cardholder's bank reversed this succeeded card payment.</summary>
    public void ChargeBack(DateTimeOffset now)
    {
        if (Type != PayinType.Addon || Status != PayinStatus.Succeeded)
        {
            throw new ConflictException(
                "chargeback_not_possible",
                $"Only a succeeded card (ADDON) payin can be charged back; payin {Id} is a {WireName.Of(Type)} payin "
                    + $"that is {WireName.Of(Status)}."
            );
        }

        Status = PayinStatus.ChargedBack;
        UpdatedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        EnsureOpen();
        if (Status == PayinStatus.Processing)
        {
            // Cancelling now could leave a charge the processor approves a moment later with nothing to show for
            // it; the card's outcome is resolved first (CardRail.ResolveAsync), then the order is cancelled.
            throw new ConflictException(
                "payin_processing",
                $"A card payment for payin {Id} is in progress; try again once its outcome is recorded."
            );
        }

        Status = PayinStatus.Cancelled;
        UpdatedAt = now;
    }

    private void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new ConflictException("payin_not_open", $"Payin {Id} is already {Status}.");
        }
    }
}
