namespace Truust.Domain.Payments;

public enum RefundStatus
{
    /// <summary>Money has left escrow; the rail has not yet confirmed it reached the buyer.</summary>
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// Money going back to the payer along the rail it came by (card → card, wallet → wallet, wire → bank account).
/// </summary>
public sealed class Refund : IHasId
{
    private Refund()
    {
        Id = PlatformId = PayinId = Currency = string.Empty;
    }

    // orderId defaults to the payin's. A cart's payin funds several orders and names none of them, so a cart
    // order's refund must name its order itself, or the order's refund list and events lose it.
    public Refund(
        string platformId,
        Payin payin,
        long amountMinor,
        string? reason,
        DateTimeOffset now,
        string? orderId = null
    )
    {
        Id = Ids.New("re");
        PlatformId = platformId;
        PayinId = payin.Id;
        OrderId = orderId ?? payin.OrderId;
        Rail = payin.Type;
        AmountMinor = amountMinor;
        Currency = payin.Currency;
        Reason = reason;
        Status = RefundStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string PlatformId { get; private set; }

    public string PayinId { get; private set; }

    public string? OrderId { get; private set; }

    public string? CampaignId { get; set; }

    /// <summary>The milestone of an order paid in stages whose money this refund returned.</summary>
    public string? MilestoneId { get; set; }

    public string? ContributionId { get; set; }

    /// <summary>The rail the money goes back by: the payin's type.</summary>
    public PayinType Rail { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    public RefundStatus Status { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>For a wire refund: the IBAN the money is sent to.</summary>
    public string? DestinationIban { get; set; }

    public string? FailureReason { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>When the refund worker may next try this refund (a lease: claiming pushes it forward).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void RecordAttempt() => Attempts++;

    public void Succeed(DateTimeOffset now)
    {
        Status = RefundStatus.Succeeded;
        FailureReason = null;
        UpdatedAt = now;
    }

    /// <summary>The rail refused the refund for good (a closed account); an operator must resolve it.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        Status = RefundStatus.Failed;
        FailureReason = reason;
        UpdatedAt = now;
    }

    /// <summary>A failed attempt leaves the refund pending so the refund worker retries it.</summary>
    public void RecordFailure(string reason, DateTimeOffset now)
    {
        FailureReason = reason;
        UpdatedAt = now;
    }
}
