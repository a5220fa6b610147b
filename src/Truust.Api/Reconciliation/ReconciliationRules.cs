using Truust.Domain;
using Truust.Domain.Payments;
using static Truust.Api.Reconciliation.ReconciliationKinds;

namespace Truust.Api.Reconciliation;

/// <summary>
/// The rules that say when a gateway's record and the ledger agree, written against the order in which each
/// flow posts its ledger entry and calls its gateway (see each rule), so that a flow caught half-way is in
/// flight, never a mismatch, and anything else that differs is one.
/// </summary>
public static class ReconciliationRules
{
    public const string ApprovedOutcome = "APPROVED";

    /// <summary>A processor refund whose reference ends so is a void of a charge that funded nothing.</summary>
    public const string VoidSuffix = "-void";

    /// <summary>The payin status another change introduces for a card payin whose gateway call is under way.</summary>
    public const string ProcessingStatus = "PROCESSING";

    /// <summary>The bank's status of a transfer sent back by the beneficiary's bank.</summary>
    public const string ReturnedTransfer = "RETURNED";

    /// <summary>The bank's status of a transfer it would not take.</summary>
    public const string RefusedTransfer = "REFUSED";

    private static readonly string Pending = WireName.Of(RefundStatus.Pending);
    private static readonly string Submitting = WireName.Of(PayoutStatus.Submitting);
    private static readonly string InTransit = WireName.Of(PayoutStatus.InTransit);

    /// <summary>
    /// How long an approved charge may wait for its payin's outcome to be recorded. The card flow charges first
    /// and records the outcome in the next transaction of the same request; a charge older than this was left
    /// behind (a crash, a failed commit) and the buyer's money is held by nobody. The processor records only when
    /// a charge was created, so a 3-D Secure answer given after the grace leaves a window of a few milliseconds in
    /// which its approval shows as a mismatch; the PROCESSING status coming for card payins closes it.
    /// </summary>
    public static readonly TimeSpan ChargeRecordingGrace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Card payins. The processor's charge is made (and committed at the processor) before the payin's outcome
    /// and its ledger entry commit; a charge that arrives for a payin closed meanwhile is voided with a
    /// <see cref="VoidSuffix"/> refund. So charge less voids must equal what the ledger took in.
    /// </summary>
    public static Finding? Classify(ChargeLine line, DateTimeOffset now)
    {
        var gateway = line.GatewayMinor;
        var ledger = line.LedgerMinor ?? 0;
        if (line.PayinStatus == ProcessingStatus && ledger == 0)
        {
            return InFlight(
                line.Item(PayinProcessing, $"Payin {line.Reference} is PROCESSING: its outcome is to come.")
            );
        }

        if (gateway is null)
        {
            var processor = line.Outcome is null
                ? "the processor has no charge for it"
                : $"the processor's charge is {line.Outcome}";
            var detail = $"The ledger took in {ledger} from the card rail for {line.Reference}, but {processor}.";
            return ledger == 0 ? null : Mismatch(line.Item(PayinNotAtGateway, detail));
        }

        var sameCurrency = line.LedgerCurrency is null || line.LedgerCurrency == line.GatewayCurrency;
        if (gateway == ledger && sameCurrency)
        {
            return null;
        }

        var charged =
            line.VoidedMinor == 0
                ? $"charged {line.ChargedMinor}"
                : $"charged {line.ChargedMinor} and voided {line.VoidedMinor} of it";
        if (ledger == 0)
        {
            // A charge for a payin Truust never created is never in flight: no request of Truust's is recording it.
            if (line.PayinStatus is not null && line.ChargedAt is { } at && now - at < ChargeRecordingGrace)
            {
                return InFlight(
                    line.Item(
                        ChargeNotYetRecorded,
                        $"The processor {charged} at {at:O}; payin {line.Reference} ({line.PayinStatus}) is being "
                            + "recorded."
                    )
                );
            }

            var payin = line.PayinStatus is null
                ? "Truust has no such payin"
                : $"payin {line.Reference} is {line.PayinStatus}";
            return Mismatch(
                line.Item(
                    ChargeNotInLedger,
                    $"The processor {charged} for {line.Reference}, which the ledger does not hold; {payin}."
                )
            );
        }

        return line.VoidedMinor > 0
            ? Mismatch(
                line.Item(
                    VoidedChargeInLedger,
                    $"The processor {charged} for {line.Reference}, but the ledger holds {ledger} from it: the "
                        + "buyer got back money that Truust still holds."
                )
            )
            : Mismatch(
                line.Item(
                    ChargeAmountDiffers,
                    $"The processor charged {line.ChargedMinor} {line.GatewayCurrency} for {line.Reference}; the "
                        + $"ledger took in {ledger} {line.LedgerCurrency}."
                )
            );
    }

    /// <summary>
    /// Card refunds. The refund's ledger entry (escrow → <c>world:card</c>) commits with the PENDING refund; the
    /// processor is called after that commit (and retried by the refund worker); SUCCEEDED is recorded last. So
    /// a PENDING refund may or may not be at the processor yet, and any other refund must be.
    /// </summary>
    public static Finding? Classify(CardRefundLine line)
    {
        var pending = line.RefundStatus == Pending;
        var ledger = line.LedgerMinor ?? 0;
        var sameCurrency = line.LedgerCurrency is null || line.LedgerCurrency == line.GatewayCurrency;
        if ((line.GatewayMinor == ledger && sameCurrency) || (pending && line.GatewayMinor is null))
        {
            var state = line.GatewayMinor is null
                ? "the processor has not refunded it yet" + (line.FailureReason is { } f ? $" (last try: {f})" : "")
                : "the processor refunded it and Truust is recording it";
            var detail = $"Refund {line.Reference} is PENDING: {ledger} left escrow for the card; {state}.";
            return pending ? InFlight(line.Item(RefundPending, detail)) : null;
        }

        if (line.GatewayMinor is null)
        {
            return Mismatch(
                line.Item(
                    RefundNotAtGateway,
                    $"The ledger sent {ledger} back to the card for refund {line.Reference} "
                        + $"({line.RefundStatus ?? "no such refund"}), but the processor has no such refund."
                )
            );
        }

        return ledger == 0
            ? Mismatch(
                line.Item(
                    RefundNotInLedger,
                    $"The processor refunded {line.GatewayMinor} of charge {line.ChargeReference} under "
                        + $"{line.Reference}, which the ledger never sent back to the card."
                )
            )
            : Mismatch(
                line.Item(
                    RefundAmountDiffers,
                    $"The processor refunded {line.GatewayMinor} {line.GatewayCurrency} under {line.Reference}; "
                        + $"the ledger sent back {ledger} {line.LedgerCurrency}."
                )
            );
    }

    /// <summary>
    /// The bank. A release payout is SUBMITTING (no ledger entry) while the bank is called and its outflow posts
    /// only once the bank accepted; a withdrawal posts its outflow first and reverses it when the bank refuses; a
    /// wire refund posts its outflow with the PENDING refund and parks it in suspense when the bank refuses; a
    /// return is taken back after the bank reports it. So SUBMITTING payouts, PENDING refunds and returns not yet
    /// collected are in flight, and otherwise what the bank kept sent must equal the ledger's net outflow.
    /// </summary>
    public static Finding? Classify(BankLine line)
    {
        if (line.PayoutStatus == Submitting)
        {
            return InFlight(
                line.Item(
                    PayoutSubmitting,
                    $"Payout {line.Reference} is SUBMITTING: handed to the bank, its answer not recorded yet."
                )
            );
        }

        if (line.RefundStatus == Pending)
        {
            return InFlight(
                line.Item(
                    RefundPending,
                    $"Wire refund {line.Reference} is PENDING: its money left escrow; the bank call is made or "
                        + "retried."
                )
            );
        }

        if (line.PayoutStatus == InTransit && line.LatestStatus == ReturnedTransfer)
        {
            return InFlight(
                line.Item(
                    ReturnNotYetRecorded,
                    $"The bank returned payout {line.Reference}; the settlement job credits it back next."
                )
            );
        }

        var sameCurrency =
            line.GatewayCurrency is null || line.LedgerCurrency is null || line.GatewayCurrency == line.LedgerCurrency;
        if (line.GatewayMinor == line.LedgerMinor && sameCurrency)
        {
            return null;
        }

        var (kind, detail) = line switch
        {
            { Transfers: 0 } => (
                TransferNotAtBank,
                $"The ledger sent {line.LedgerMinor} to the bank for {line.Reference}, but the bank has no transfer."
            ),
            { InLedger: false } => (
                TransferNotInLedger,
                $"The bank sent {line.GatewayMinor} for {line.Reference}, which the ledger never moved out."
            ),
            { SentMinor: 0 } => (
                RefusedTransferInLedger,
                $"The bank refused every transfer for {line.Reference}, but the ledger shows {line.LedgerMinor} "
                    + "gone out and never reversed."
            ),
            _ when line.ReturnedMinor > line.LedgerBackMinor => (
                ReturnNotInLedger,
                $"The bank returned {line.ReturnedMinor} for {line.Reference}; the ledger took back "
                    + $"{line.LedgerBackMinor}."
            ),
            _ => (
                TransferAmountDiffers,
                $"The bank kept {line.GatewayMinor} {line.GatewayCurrency} sent for {line.Reference}; the ledger "
                    + $"sent out {line.LedgerMinor} {line.LedgerCurrency}."
            ),
        };
        return Mismatch(line.Item(kind, detail));
    }

    /// <summary>
    /// The reserve. A debt, its cover and its repayments, and a hold and its transfers, are each written in one
    /// commit, so nothing is ever in flight: any difference is a mismatch.
    /// </summary>
    public static Finding? Classify(ReserveLine line)
    {
        if (line.RecordMinor == line.LedgerMinor)
        {
            return null;
        }

        var detail = line.What switch
        {
            ReserveLine.DebtAmount =>
                $"Seller debt {line.Reference} is {line.RecordMinor}; the reserve covered {line.LedgerMinor} for it.",
            ReserveLine.DebtRecovered =>
                $"Seller debt {line.Reference} recovered {line.RecordMinor}; the ledger repaid {line.LedgerMinor}.",
            _ => $"The rolling reserve's holds add up to {line.RecordMinor} {line.Currency}; {line.Reference} holds "
                + $"{line.LedgerMinor}.",
        };
        return Mismatch(
            new ReconciliationItem(
                line.What == ReserveLine.HeldBalance ? ReserveHeldDiffers : DebtDiffers,
                ReserveRail,
                line.Reference,
                line.RecordMinor,
                line.LedgerMinor,
                line.Currency,
                line.PlatformId,
                detail
            )
        );
    }

    private static Finding Mismatch(ReconciliationItem item) => new(false, item);

    private static Finding InFlight(ReconciliationItem item) => new(true, item);
}
