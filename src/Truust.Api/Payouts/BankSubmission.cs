using Truust.Api.Gateways;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>
/// What a payout handed to the bank pays out of, and what the bank's answer does there: an order's escrow (the
/// release of an ACCOUNT payout) or a wallet (a withdrawal). One instance serves one submission.
/// </summary>
public interface IBankPayment
{
    /// <summary>Locks what the payout pays out of and then the payout, in the current transaction; returns the
    /// payout, tracked.</summary>
    Task<Payout> LockAsync(CancellationToken ct);

    /// <summary>
    /// Step 1, under the lock: whether the payout is to go to the bank now. A payout still PENDING becomes
    /// SUBMITTING here (its amount and IBAN fixed); one already SUBMITTING is sent again.
    /// </summary>
    Task<bool> BeginAsync(Payout payout, CancellationToken ct);

    /// <summary>The bank accepted the payout (it is now IN_TRANSIT).</summary>
    Task AcceptedAsync(Payout payout, DateTimeOffset now, CancellationToken ct);

    /// <summary>The bank refused the payout up front (it is now REFUSED).</summary>
    Task RefusedAsync(Payout payout, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// The one way a payout reaches the bank, never holding a transaction across the bank call: persist the intent
/// (SUBMITTING) under the lock and commit; call the bank with the payout's stable reference; record the answer in a
/// second transaction. Only a request that finds the payout SUBMITTING calls the bank, and the bank is idempotent on
/// the reference, so a retry after a crash gets the first answer back instead of paying twice.
/// </summary>
public sealed class BankSubmission(
    UnitOfWork unitOfWork,
    EventOutbox events,
    IBankGateway bank,
    TimeProvider clock,
    PlatformClock platformClock,
    ILogger<BankSubmission> log
)
{
    public async Task SubmitAsync(IBankPayment payment, CancellationToken ct)
    {
        // Step 1: the intent. From here on the payout can no longer be blocked or cancelled.
        var intent = await unitOfWork.RunAsync(
            async () =>
            {
                var payout = await payment.LockAsync(ct);
                return await payment.BeginAsync(payout, ct) && payout.Status == PayoutStatus.Submitting
                    ? new
                    {
                        payout.Id,
                        payout.PlatformId,
                        payout.BankReference,
                        Iban = payout.Iban!,
                        Amount = new Money(payout.AmountMinor, Currency.Of(payout.Currency)),
                    }
                    : null;
            },
            ct
        );
        if (intent is null)
        {
            return;
        }

        // Step 2: the bank, outside any transaction. A bank that cannot be reached leaves the payout SUBMITTING;
        // the release worker resumes it when its lease ends.
        BankTransfer transfer;
        try
        {
            var asOf = await platformClock.NowAsync(intent.PlatformId, ct);
            transfer = await bank.SubmitTransferAsync(intent.BankReference, intent.Iban, intent.Amount, asOf, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Payout {PayoutId} could not reach the bank; it will be retried", intent.Id);
            return;
        }

        // Step 3: record the answer, unless another attempt recorded it meanwhile.
        await unitOfWork.RunAsync(
            async () =>
            {
                var payout = await payment.LockAsync(ct);
                if (payout.Status != PayoutStatus.Submitting)
                {
                    return;
                }

                var now = clock.GetUtcNow();
                if (transfer.Status == BankTransferStatus.Refused)
                {
                    payout.MarkRefused(transfer.Reason ?? "refused by the bank", now);
                    await payment.RefusedAsync(payout, now, ct);
                }
                else
                {
                    payout.MarkInTransit(transfer.SettlesAt, now);
                    // The submission is done: end its lease, so the settlement job may look at the payout as soon
                    // as it is due (at once after a sandbox clock advance) rather than when the lease runs out.
                    payout.NextAttemptAt = now;
                    await payment.AcceptedAsync(payout, now, ct);
                }

                events.PayoutChanged(payout);
            },
            ct
        );
    }
}
