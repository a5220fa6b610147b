using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Reconciliation;

/// <summary>Which platform's records to reconcile: the operator may name one; a platform sees only its own.</summary>
public sealed class ReconciliationQuery
{
    /// <summary>Operator only: reconcile this platform's records (default: every platform).</summary>
    [FromQuery(Name = "platform_id")]
    public string? PlatformId { get; set; }
}

public sealed class ReconciliationQueryValidator : AbstractValidator<ReconciliationQuery>
{
    public ReconciliationQueryValidator() =>
        When(q => q.PlatformId is not null, () => RuleFor(q => q.PlatformId).ValidId("plt"));
}

/// <summary>
/// The gateways' own records (the card processor's charges and refunds, the bank's outgoing transfers) compared
/// with Truust's ledger. An empty <c>mismatches</c> list means every cent the gateways moved is in the ledger and
/// the other way round; <c>in_flight</c> lists differences that an operation still under way will close.
/// </summary>
public sealed record ReconciliationResponse(
    DateTimeOffset CheckedAt,
    IReadOnlyList<ReconciliationItem> Mismatches,
    IReadOnlyList<ReconciliationItem> InFlight,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ReconciliationTotal>> Totals
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "reconciliation";
}

/// <summary>
/// One reference (a payin, refund or payout id) on which the gateway and the ledger disagree. An amount is null
/// when that side has no record of the reference at all.
/// </summary>
public sealed record ReconciliationItem(
    string Kind,
    string Rail,
    string Reference,
    long? GatewayAmount,
    long? LedgerAmount,
    string Currency,
    string? PlatformId,
    string Detail
);

/// <summary>
/// What a rail moved in one currency by the gateway's records and by the ledger's: net money held from cards
/// (charges less voids and refunds), or net money sent out through the bank (transfers less returns).
/// </summary>
public sealed record ReconciliationTotal(long GatewayAmount, long LedgerAmount);

/// <summary>The kinds of <see cref="ReconciliationItem"/>, stable for machines to act on.</summary>
public static class ReconciliationKinds
{
    public const string CardRail = "card";
    public const string BankRail = "bank";

    /// <summary>The platform's reserve: sellers' debts and the rolling reserve's holds against the ledger.</summary>
    public const string ReserveRail = "reserve";

    /// <summary>A seller debt's amount or recovery differs from the reserve's transfers under its id.</summary>
    public const string DebtDiffers = "debt_differs_from_ledger";

    /// <summary>The rolling reserve's open holds differ from its ledger account's balance.</summary>
    public const string ReserveHeldDiffers = "reserve_held_differs_from_ledger";

    /// <summary>The processor holds an approved charge (less voids) that the ledger never took in.</summary>
    public const string ChargeNotInLedger = "charge_not_in_ledger";

    /// <summary>The ledger took in a different amount (or currency) than the processor charged.</summary>
    public const string ChargeAmountDiffers = "charge_amount_differs";

    /// <summary>The processor voided (part of) a charge whose money the ledger still holds.</summary>
    public const string VoidedChargeInLedger = "voided_charge_in_ledger";

    /// <summary>The ledger took money in from the card rail for a payin the processor has no approved charge
    /// for.</summary>
    public const string PayinNotAtGateway = "payin_not_at_gateway";

    /// <summary>The processor refunded money the ledger never sent back to the card.</summary>
    public const string RefundNotInLedger = "refund_not_in_ledger";

    /// <summary>The ledger sent money back to the card for a finished refund the processor has no record of.</summary>
    public const string RefundNotAtGateway = "refund_not_at_gateway";

    public const string RefundAmountDiffers = "refund_amount_differs";

    /// <summary>The bank sent money out that the ledger never moved to <c>world:bank_payouts</c>.</summary>
    public const string TransferNotInLedger = "transfer_not_in_ledger";

    /// <summary>The ledger moved money to the bank for a payout or refund the bank has no transfer for.</summary>
    public const string TransferNotAtBank = "transfer_not_at_bank";

    /// <summary>The bank refused every transfer, yet the ledger's outflow was never reversed.</summary>
    public const string RefusedTransferInLedger = "refused_transfer_in_ledger";

    /// <summary>The bank returned a transfer that the ledger never took back.</summary>
    public const string ReturnNotInLedger = "return_not_in_ledger";

    public const string TransferAmountDiffers = "transfer_amount_differs";

    /// <summary>In flight: the processor approved a charge moments ago and the request is recording it.</summary>
    public const string ChargeNotYetRecorded = "charge_not_yet_recorded";

    /// <summary>In flight: a card payin is PROCESSING; its outcome is being recorded or recovered.</summary>
    public const string PayinProcessing = "payin_processing";

    /// <summary>In flight: a refund Truust has PENDING (its money left escrow; the rail call is made or
    /// retried).</summary>
    public const string RefundPending = "refund_pending";

    /// <summary>In flight: a payout handed to the bank whose answer is not recorded yet.</summary>
    public const string PayoutSubmitting = "payout_submitting";

    /// <summary>In flight: the bank returned a payout in transit; the settlement job credits it back.</summary>
    public const string ReturnNotYetRecorded = "return_not_yet_recorded";
}
