using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Gateways;
using Truust.Api.Persistence;
using Truust.Api.Persistence.Records;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// The card rail. Every call to the card processor follows one protocol: the payin moves to PROCESSING under its
/// row lock and that commits (the intent); only the request that made that move calls the processor, with the payin
/// id as the processor's idempotency key, outside any transaction; the outcome is recorded in a second transaction.
/// A concurrent submission finds the payin PROCESSING and gets 409 <c>payin_processing</c>; a request that dies
/// after the charge leaves the payin PROCESSING, and <see cref="CardRecoveryJob"/> asks the processor what happened
/// once the intent's lease has passed. A charge that funded the escrow is never voided; only a charge that arrives
/// for a payin that can no longer take it (failed, cancelled) is.
/// </summary>
public sealed class CardRail(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    PayinOutcomes outcomes,
    EventOutbox events,
    ICardGateway cards,
    RequestIdempotency idempotency,
    IOptions<CardRailOptions> options,
    TimeProvider clock
)
{
    /// <summary>
    /// The buyer's card details reach the card processor; the outcome is then recorded. The card number is checked
    /// (Luhn, expiry) before it is sent, and never stored.
    /// </summary>
    public async Task<Payin> SubmitAsync(Payin payin, CardDetails card, CancellationToken ct)
    {
        if (payin.Type != PayinType.Addon)
        {
            throw new ConflictException(
                "not_a_card_payin",
                $"Payin {payin.Id} is {WireName.Of(payin.Type)}, not ADDON."
            );
        }

        CardRules.Validate(card, clock.GetUtcNow());
        if (idempotency.Resumed && payin.Status is not (PayinStatus.Pending or PayinStatus.Processing))
        {
            // The dead request recorded the outcome before it died: that payin was its answer.
            return payin;
        }

        if (!idempotency.Resumed || payin.Status != PayinStatus.Processing)
        {
            await StartProcessingAsync(payin.Id, PayinStatus.Pending, ct);
        }

        // A retry of a submission that died after its intent (same Idempotency-Key, same card) drives the same
        // idempotent processor call again: the processor answers with the charge the dead request made, or makes
        // the one it never got to make, and the outcome is recorded once either way.
        var authorization = await cards.AuthorizeAsync(payin.Id, payin.Amount, card, ct);
        return await RecordAsync(payin.Id, authorization, card.Expiry, ct);
    }

    /// <summary>The buyer answered the 3-D Secure challenge.</summary>
    public async Task<Payin> CompleteChallengeAsync(Payin payin, bool authenticated, CancellationToken ct)
    {
        if (idempotency.Resumed && payin.Status is not (PayinStatus.RequiresAction or PayinStatus.Processing))
        {
            return payin;
        }

        if (!idempotency.Resumed || payin.Status != PayinStatus.Processing)
        {
            await StartProcessingAsync(payin.Id, PayinStatus.RequiresAction, ct);
        }

        var authorization = await cards.CompleteChallengeAsync(payin.Id, authenticated, ct);
        return await RecordAsync(payin.Id, authorization, payin.CardExpiry, ct);
    }

    /// <summary>
    /// Resolves a payin left PROCESSING by asking the processor what became of its charge, and records that once.
    /// A charge the processor never saw fails the payin, but only once the intent's lease has passed: until then
    /// the request that made the intent may still be on its way to the processor. Returns the payin as it is now.
    /// </summary>
    public async Task<Payin> ResolveAsync(string payinId, CancellationToken ct)
    {
        var payin = await db.Payins.AsNoTracking().FirstAsync(p => p.Id == payinId, ct);
        if (payin.Status != PayinStatus.Processing)
        {
            return payin;
        }

        var charge = await cards.FindChargeAsync(payinId, ct);
        if (charge is not null)
        {
            return await RecordAsync(payinId, charge, payin.CardExpiry, ct, raiseWhenLate: false);
        }

        return await unitOfWork.RunAsync(
            async () =>
            {
                var locked = await outcomes.LockAsync(payinId, ct);
                // The payin entered PROCESSING at UpdatedAt; the claim column is the recovery job's own lease.
                var submittedUntil = locked.UpdatedAt.AddSeconds(options.Value.ProcessingLeaseSeconds);
                if (locked.Status != PayinStatus.Processing || submittedUntil > clock.GetUtcNow())
                {
                    return locked;
                }

                locked.Fail(
                    "card_attempt_lost",
                    "The card payment never reached the card processor; no money was taken. Pay again.",
                    clock.GetUtcNow()
                );
                await outcomes.FailedAsync(locked, ct);
                return locked;
            },
            ct
        );
    }

    /// <summary>The intent: the payin moves to PROCESSING under its row lock, with a lease, and that commits.</summary>
    private Task StartProcessingAsync(string payinId, PayinStatus expected, CancellationToken ct) =>
        unitOfWork.RunAsync(
            async () =>
            {
                var payin = await outcomes.LockAsync(payinId, ct);
                if (payin.Status == PayinStatus.Processing || payin.Status == expected)
                {
                    payin.StartProcessing(clock.GetUtcNow());
                }
                else if (expected == PayinStatus.RequiresAction)
                {
                    throw new ConflictException(
                        "no_challenge_pending",
                        $"Payin {payinId} has no 3-D Secure challenge pending."
                    );
                }
                else
                {
                    throw new ConflictException("payin_not_open", $"Payin {payinId} is {WireName.Of(payin.Status)}.");
                }

                // Until this lease ends, the recovery job leaves the payin to this request.
                db.Entry(payin).Property<DateTimeOffset>(Claims.LeaseProperty).CurrentValue = clock
                    .GetUtcNow()
                    .AddSeconds(options.Value.ProcessingLeaseSeconds);
            },
            ct
        );

    private async Task<Payin> RecordAsync(
        string payinId,
        CardAuthorization authorization,
        string? expiry,
        CancellationToken ct,
        bool raiseWhenLate = true
    )
    {
        var recorded = await unitOfWork.RunAsync(
            async () =>
            {
                var payin = await outcomes.LockAsync(payinId, ct);
                if (payin.Status != PayinStatus.Processing)
                {
                    // Recorded already (by the recovery job, or a cancel that resolved it first), or closed.
                    return (Payin: payin, Late: payin.Status != PayinStatus.Succeeded);
                }

                payin.RecordCard(authorization.Brand, authorization.Last4, expiry ?? string.Empty);
                switch (authorization.Outcome)
                {
                    case CardOutcome.Approved:
                        await outcomes.SucceedAsync(payin, LedgerAccounts.CardRail, null, ct);
                        break;
                    case CardOutcome.ChallengeRequired:
                        payin.RequireAction(clock.GetUtcNow());
                        events.PayinChanged(payin);
                        break;
                    default:
                        payin.Fail(
                            authorization.DeclineCode ?? "card_declined",
                            authorization.Message ?? "The card was declined.",
                            clock.GetUtcNow()
                        );
                        await outcomes.FailedAsync(payin, ct);
                        break;
                }

                return (Payin: payin, Late: false);
            },
            ct
        );

        if (recorded.Late)
        {
            // The payin can no longer take this charge (it failed or was cancelled meanwhile): the charge must not
            // stay on the buyer's card with nothing in escrow to show for it, so it is voided at the processor. A
            // payin that SUCCEEDED was funded by this very charge (one charge per payin id) and is never voided.
            if (authorization.Outcome == CardOutcome.Approved)
            {
                await cards.RefundAsync($"{payinId}-void", payinId, recorded.Payin.Amount, ct);
            }

            if (raiseWhenLate)
            {
                throw new ConflictException(
                    "payin_not_open",
                    $"Payin {payinId} is already {WireName.Of(recorded.Payin.Status)}; the card was not charged."
                );
            }
        }

        return recorded.Payin;
    }
}

/// <summary>Settings of the card rail (section <c>Payins:Card</c>).</summary>
public sealed class CardRailOptions
{
    /// <summary>
    /// How long the request that sent a card to the processor has to record its outcome before the recovery job
    /// asks the processor instead. Longer than any processor call takes.
    /// </summary>
    public int ProcessingLeaseSeconds { get; set; } = 30;
}

/// <summary>Card checks Truust makes before a number reaches the gateway.</summary>
public static class CardRules
{
    public static void Validate(CardDetails card, DateTimeOffset now)
    {
        if (card.Number.Length is < 12 or > 19 || !card.Number.All(char.IsAsciiDigit) || !Luhn(card.Number))
        {
            throw new BusinessRuleException(
                "invalid_card_number",
                "The card number is not valid (Luhn check failed).",
                "number"
            );
        }

        var lastValidMonth = new DateTimeOffset(card.ExpiryYear, card.ExpiryMonth, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(
            1
        );
        if (lastValidMonth <= now)
        {
            throw new BusinessRuleException(
                "expired_card",
                $"The card expired at the end of {card.Expiry}.",
                "exp_year"
            );
        }
    }

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
