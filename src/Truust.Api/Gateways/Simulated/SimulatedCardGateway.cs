using Microsoft.EntityFrameworkCore;
using Truust.Domain;

namespace Truust.Api.Gateways.Simulated;

/// <summary>
/// A card processor that behaves like a real one for the documented test cards, and keeps its own records (its
/// own DbContext, so never inside a Truust transaction): a second call with the same reference returns the first
/// call's outcome, as a real PSP's idempotency does.
/// </summary>
public sealed class SimulatedCardGateway(IServiceScopeFactory scopes, TimeProvider clock) : ICardGateway
{
    /// <summary>The documented test cards. Any other Luhn-valid number is approved.</summary>
    public static readonly IReadOnlyDictionary<string, (string Outcome, string? Code)> TestCards = new Dictionary<
        string,
        (string, string?)
    >
    {
        ["4242424242424242"] = ("APPROVED", null),
        ["5555555555554444"] = ("APPROVED", null),
        ["4000000000000002"] = ("DECLINED", "card_declined"),
        ["4000000000009995"] = ("DECLINED", "insufficient_funds"),
        ["4000000000000069"] = ("DECLINED", "expired_card"),
        ["4000002760003184"] = ("CHALLENGE_REQUIRED", null),
    };

    public async Task<CardAuthorization> AuthorizeAsync(
        string reference,
        Money amount,
        CardDetails card,
        CancellationToken ct
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var existing = await db.CardCharges.FirstOrDefaultAsync(c => c.Reference == reference, ct);
        if (existing is not null)
        {
            return ToAuthorization(existing);
        }

        var (outcome, code) = TestCards.GetValueOrDefault(card.Number, ("APPROVED", null));
        var charge = new SimulatedCardCharge
        {
            Reference = reference,
            AmountMinor = amount.AmountMinor,
            Currency = amount.Currency.Code,
            Brand = Brand(card.Number),
            Last4 = card.Last4,
            Outcome = outcome,
            DeclineCode = code,
            CreatedAt = clock.GetUtcNow(),
        };
        db.CardCharges.Add(charge);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Two calls with one reference at the same moment: like a real processor's idempotency, the second
            // gets the first one's charge rather than an error or a second charge.
            return ToAuthorization(await db.CardCharges.AsNoTracking().FirstAsync(c => c.Reference == reference, ct));
        }

        return ToAuthorization(charge);
    }

    public async Task<CardAuthorization?> FindChargeAsync(string reference, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var charge = await db.CardCharges.AsNoTracking().FirstOrDefaultAsync(c => c.Reference == reference, ct);
        return charge is null ? null : ToAuthorization(charge);
    }

    public async Task<CardAuthorization> CompleteChallengeAsync(
        string reference,
        bool authenticated,
        CancellationToken ct
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var charge =
            await db.CardCharges.FirstOrDefaultAsync(c => c.Reference == reference, ct)
            ?? throw new InvalidOperationException($"The card gateway has no charge '{reference}'.");
        if (charge.Outcome == "CHALLENGE_REQUIRED")
        {
            charge.Outcome = authenticated ? "APPROVED" : "DECLINED";
            charge.DeclineCode = authenticated ? null : "authentication_failed";
            await db.SaveChangesAsync(ct);
        }

        return ToAuthorization(charge);
    }

    public async Task RefundAsync(string refundReference, string chargeReference, Money amount, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        if (await db.CardRefunds.AnyAsync(r => r.Reference == refundReference, ct))
        {
            return;
        }

        var charge =
            await db.CardCharges.FirstOrDefaultAsync(c => c.Reference == chargeReference, ct)
            ?? throw new InvalidOperationException($"The card gateway has no charge '{chargeReference}'.");
        if (charge.Outcome != "APPROVED" || charge.RefundedMinor + amount.AmountMinor > charge.AmountMinor)
        {
            throw new InvalidOperationException(
                $"The card gateway refuses to refund {amount} of charge {chargeReference} ({charge.Outcome}, "
                    + $"{charge.RefundedMinor} of {charge.AmountMinor} already refunded)."
            );
        }

        charge.RefundedMinor += amount.AmountMinor;
        db.CardRefunds.Add(
            new SimulatedCardRefund
            {
                Reference = refundReference,
                ChargeReference = chargeReference,
                AmountMinor = amount.AmountMinor,
                CreatedAt = clock.GetUtcNow(),
            }
        );
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The reference of the processor's record of a chargeback of charge <paramref name="chargeReference"/>.
    /// </summary>
    public static string ChargebackReference(string chargeReference) => $"{chargeReference}-chargeback";

    /// <summary>
    /// Sandbox: the cardholder's bank reverses <paramref name="amount"/> of an approved charge (a chargeback). The
    /// processor records it like a refund of the charge, under <see cref="ChargebackReference"/>, so reconciliation
    /// compares it with the ledger's chargeback entry. Idempotent on that reference.
    /// </summary>
    public Task ChargeBackAsync(string chargeReference, Money amount, CancellationToken ct) =>
        RefundAsync(ChargebackReference(chargeReference), chargeReference, amount, ct);

    public static string Brand(string number) =>
        number switch
        {
            ['4', ..] => "visa",
            ['5', >= '1' and <= '5', ..] => "mastercard",
            ['3', '4' or '7', ..] => "amex",
            _ => "card",
        };

    private static CardAuthorization ToAuthorization(SimulatedCardCharge charge) =>
        charge.Outcome switch
        {
            "APPROVED" => new(CardOutcome.Approved, charge.Brand, charge.Last4, null, null),
            "CHALLENGE_REQUIRED" => new(
                CardOutcome.ChallengeRequired,
                charge.Brand,
                charge.Last4,
                null,
                "The card issuer requires 3-D Secure authentication."
            ),
            _ => new(
                CardOutcome.Declined,
                charge.Brand,
                charge.Last4,
                charge.DeclineCode,
                DeclineMessage(charge.DeclineCode)
            ),
        };

    private static string DeclineMessage(string? code) =>
        code switch
        {
            "insufficient_funds" => "The card has insufficient funds.",
            "expired_card" => "The card has expired.",
            "authentication_failed" => "3-D Secure authentication failed.",
            _ => "The card was declined.",
        };
}
