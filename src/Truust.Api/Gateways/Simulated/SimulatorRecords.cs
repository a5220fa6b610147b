namespace Truust.Api.Gateways.Simulated;

/// <summary>The simulated card processor's own record of a charge, keyed by Truust's payin id.</summary>
public sealed class SimulatedCardCharge
{
    public required string Reference { get; init; }

    public required long AmountMinor { get; init; }

    public required string Currency { get; init; }

    public required string Brand { get; init; }

    public required string Last4 { get; init; }

    /// <summary>APPROVED, DECLINED or CHALLENGE_REQUIRED (then APPROVED or DECLINED once answered).</summary>
    public required string Outcome { get; set; }

    public string? DeclineCode { get; set; }

    public long RefundedMinor { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The simulated card processor's record of one refund, keyed by Truust's refund id.</summary>
public sealed class SimulatedCardRefund
{
    public required string Reference { get; init; }

    public required string ChargeReference { get; init; }

    public required long AmountMinor { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The simulated bank's record of an outgoing transfer (a payout or a wire refund).</summary>
public sealed class SimulatedBankTransfer
{
    public required string Reference { get; init; }

    public required string Iban { get; init; }

    public required long AmountMinor { get; init; }

    public required string Currency { get; init; }

    /// <summary>ACCEPTED, REFUSED, SETTLED or RETURNED.</summary>
    public required string Status { get; set; }

    public string? Reason { get; set; }

    public required DateTimeOffset SettlesAt { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}
