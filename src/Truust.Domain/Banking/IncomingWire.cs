namespace Truust.Domain.Banking;

/// <summary>A wire received on the escrow account (through the sandbox), matched or not.</summary>
public sealed class IncomingWire
{
    public required string Id { get; init; }

    public required string PlatformId { get; init; }

    public required string Reference { get; init; }

    public required long AmountMinor { get; init; }

    public required string Currency { get; init; }

    public string? SenderIban { get; init; }

    /// <summary>MATCHED, or why not: UNKNOWN_REFERENCE, AMOUNT_MISMATCH, PAYIN_CLOSED.</summary>
    public required string Status { get; set; }

    public string? PayinId { get; set; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
