using Truust.Domain;

namespace Truust.Api.Gateways;

/// <summary>Card data as typed by the buyer. It lives only for the gateway call: Truust never stores it.</summary>
public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc, string? HolderName)
{
    public string Last4 => Number[^4..];

    public string Expiry => $"{ExpiryMonth:00}/{ExpiryYear % 100:00}";

    /// <summary>Everything but brand, last four and expiry is masked, so logging this record leaks nothing.</summary>
    public override string ToString() => $"card ****{Last4} {Expiry}";
}

public enum CardOutcome
{
    Approved,
    Declined,

    /// <summary>The issuer wants a 3-D Secure challenge before it decides (PSD2 strong customer
    /// authentication).</summary>
    ChallengeRequired,
}

public sealed record CardAuthorization(
    CardOutcome Outcome,
    string Brand,
    string Last4,
    string? DeclineCode,
    string? Message
);

/// <summary>A card processor. Calls are idempotent on <c>reference</c> (Truust's payin or refund id).</summary>
public interface ICardGateway
{
    Task<CardAuthorization> AuthorizeAsync(string reference, Money amount, CardDetails card, CancellationToken ct);

    /// <summary>Answers a pending 3-D Secure challenge; returns the final outcome of the charge.</summary>
    Task<CardAuthorization> CompleteChallengeAsync(string reference, bool authenticated, CancellationToken ct);

    /// <summary>Refunds part or all of a charge back to the card.</summary>
    Task RefundAsync(string refundReference, string chargeReference, Money amount, CancellationToken ct);

    /// <summary>
    /// What the processor knows of the charge made with <paramref name="reference"/> (its idempotency key), or null
    /// when no call with that reference ever reached it. The recovery of a payin left PROCESSING asks this.
    /// </summary>
    Task<CardAuthorization?> FindChargeAsync(string reference, CancellationToken ct);
}

public enum BankTransferStatus
{
    Accepted,
    Refused,
    Settled,
    Returned,
}

public sealed record BankTransfer(
    string Reference,
    BankTransferStatus Status,
    string? Reason,
    DateTimeOffset SettlesAt
);

/// <summary>
/// The bank behind payouts and wire refunds. Calls are idempotent on <c>reference</c>. <c>asOf</c> is the calling
/// platform's now: a real bank keeps its own time and ignores it; the sandbox bank settles by it, so a platform's
/// sandbox clock (advanced by hours or days) settles its transfers as a real bank would after that time.
/// </summary>
public interface IBankGateway
{
    /// <summary>Submits an outgoing transfer. The bank accepts it (it settles later) or refuses it up front.</summary>
    Task<BankTransfer> SubmitTransferAsync(
        string reference,
        string iban,
        Money amount,
        DateTimeOffset asOf,
        CancellationToken ct
    );

    /// <summary>The transfer's status at <paramref name="asOf"/>: still accepted, settled, or returned by the
    /// beneficiary's bank.</summary>
    Task<BankTransfer> GetTransferAsync(string reference, DateTimeOffset asOf, CancellationToken ct);
}

/// <summary>Where buyers send wires: Truust's escrow account at its bank.</summary>
public sealed class BankwireOptions
{
    public string EscrowIban { get; set; } = "ES7921000813610123456789";

    public string EscrowBic { get; set; } = "CAIXESBBXXX";

    public string Beneficiary { get; set; } = "Truust Escrow";

    /// <summary>How long a buyer has to send a wire before the payin expires.</summary>
    public int ExpiryHours { get; set; } = 24 * 7;
}
