using Truust.Api.Gateways;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// The card rail: the buyer's card reaches the card gateway outside any transaction, a 3-D Secure challenge is
/// answered the same way, and each answer is then recorded in one transaction that locks what the payin funds,
/// so an answer that arrives after the target moved on (an order cancelled meanwhile) cannot fund it.
/// </summary>
public sealed class CardRail(
    UnitOfWork unitOfWork,
    PayinOutcomes outcomes,
    EventOutbox events,
    ICardGateway cards,
    TimeProvider clock
)
{
    /// <summary>
    /// The buyer's card details reach the card gateway; the outcome is then recorded. The card number is checked
    /// (Luhn, expiry) before it is sent, and never stored.
    /// </summary>
    public async Task<Payin> SubmitAsync(Payin payin, CardDetails card, CancellationToken ct)
    {
        if (payin.Type != PayinType.Addon)
        {
            throw new ConflictException(
                "not_a_card_payin",
                $"Payin {payin.Id} is {EnumWire.Name(payin.Type)}, not ADDON."
            );
        }

        if (payin.Status != PayinStatus.Pending)
        {
            throw new ConflictException("payin_not_open", $"Payin {payin.Id} is {EnumWire.Name(payin.Status)}.");
        }

        CardRules.Validate(card, clock.GetUtcNow());
        var authorization = await cards.AuthorizeAsync(payin.Id, payin.Amount, card, ct);
        return await RecordAsync(payin.Id, authorization, card.Expiry, ct);
    }

    /// <summary>The buyer answered the 3-D Secure challenge.</summary>
    public async Task<Payin> CompleteChallengeAsync(Payin payin, bool authenticated, CancellationToken ct)
    {
        if (payin.Status != PayinStatus.RequiresAction)
        {
            throw new ConflictException(
                "no_challenge_pending",
                $"Payin {payin.Id} has no 3-D Secure challenge pending."
            );
        }

        var authorization = await cards.CompleteChallengeAsync(payin.Id, authenticated, ct);
        return await RecordAsync(payin.Id, authorization, payin.CardExpiry, ct);
    }

    private async Task<Payin> RecordAsync(
        string payinId,
        CardAuthorization authorization,
        string? expiry,
        CancellationToken ct
    )
    {
        var recorded = await unitOfWork.RunAsync(
            async () =>
            {
                var payin = await outcomes.LockAsync(payinId, ct);
                if (!payin.IsOpen)
                {
                    return (Payin: payin, Late: true);
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
            // The payin was closed (its order cancelled) while the card was being charged: the charge must not
            // stay on the buyer's card with nothing in escrow to show for it, so it is voided at the processor.
            if (authorization.Outcome == CardOutcome.Approved)
            {
                await cards.RefundAsync($"{payinId}-void", payinId, recorded.Payin.Amount, ct);
            }

            throw new ConflictException(
                "payin_not_open",
                $"Payin {payinId} is already {EnumWire.Name(recorded.Payin.Status)}; the card was not charged."
            );
        }

        return recorded.Payin;
    }
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
