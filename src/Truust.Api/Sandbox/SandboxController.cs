using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Domain;
using Truust.Domain.Banking;

namespace Truust.Api.Sandbox;

/// <summary>
/// Sandbox helpers that play the outside world: a buyer typing a card, a wire arriving, the bank settling a payout.
/// </summary>
[Route("v1/sandbox")]
public sealed class SandboxController(
    PayinService payins,
    CardRail cards,
    WireRail wires,
    PayoutService payouts,
    SimulatedBank bank,
    SandboxClockService clocks
) : ApiControllerBase
{
    /// <summary>
    /// The platform's sandbox clock (test keys only). Its <c>now</c> is what every timer of the platform reads: wire
    /// expiry, bank settlement, campaign deadlines, loan due dates and lateness. Real time plus
    /// <c>offset_seconds</c>.
    /// </summary>
    [HttpGet("clock")]
    [ProducesResponseType(typeof(SandboxClockResponse), StatusCodes.Status200OK)]
    public async Task<ActionResult<SandboxClockResponse>> Clock(CancellationToken ct) =>
        await clocks.GetAsync(Caller.RequireSandboxPlatform(), ct);

    /// <summary>
    /// Moves the platform's sandbox clock forward (test keys only) by exactly one of <c>seconds</c>, <c>hours</c>
    /// or <c>days</c>, at most 366 days at a time and 3,660 days in all; never backward. The deadline workers run
    /// at once, so a wire past its deadline expires and a campaign past its deadline settles right after this
    /// returns. Other platforms keep real time.
    /// </summary>
    [HttpPost("clock/advance")]
    [ProducesResponseType(typeof(SandboxClockResponse), StatusCodes.Status200OK)]
    public async Task<ActionResult<SandboxClockResponse>> AdvanceClock(
        SandboxClockAdvanceRequest request,
        CancellationToken ct
    ) => await clocks.AdvanceAsync(Caller.RequireSandboxPlatform(), request.TotalSeconds, ct);

    /// <summary>
    /// Pays an ADDON payin with a card, as the hosted card page does. Test cards: 4242424242424242 succeeds,
    /// 4000000000000002 is declined, 4000000000009995 has insufficient funds, 4000002760003184 requires 3-D Secure.
    /// </summary>
    [HttpPost("payins/{id}/card")]
    [ResumableAfterCrash]
    public async Task<PayinResponse> PayByCard(string id, SandboxCardRequest request, CancellationToken ct)
    {
        var payin = await payins.FindAsync(Caller, id, ct);
        var card = new CardDetails(
            request.Number!.Replace(" ", string.Empty),
            request.ExpMonth!.Value,
            request.ExpYear!.Value,
            request.Cvc!,
            request.HolderName
        );
        return payins.ToResponse(await cards.SubmitAsync(payin, card, ct));
    }

    /// <summary>Answers the 3-D Secure challenge of a payin that requires it.</summary>
    [HttpPost("payins/{id}/3ds")]
    [ResumableAfterCrash]
    public async Task<PayinResponse> Challenge(string id, SandboxChallengeRequest request, CancellationToken ct)
    {
        var payin = await payins.FindAsync(Caller, id, ct);
        return payins.ToResponse(await cards.CompleteChallengeAsync(payin, request.Authenticated!.Value, ct));
    }

    /// <summary>
    /// A wire arrives on the escrow account. The payin's reference and exact amount confirm it (status MATCHED);
    /// anything else is recorded (UNKNOWN_REFERENCE, AMOUNT_MISMATCH, PAYIN_CLOSED) and confirms nothing.
    /// </summary>
    [HttpPost("bankwires")]
    [ProducesResponseType<IncomingWireResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Bankwire(SandboxBankwireRequest request, CancellationToken ct)
    {
        var senderIban = Iban.Parse(request.SenderIban!, "sender_iban").Value;
        var amount = Money.Positive(request.Amount!.Value, request.Currency!);
        var reference = request.Reference!.Trim().ToUpperInvariant();
        var wire = await wires.ReceiveAsync(Caller.RequirePlatform(), senderIban, amount, reference, ct);
        return StatusCode(
            201,
            new IncomingWireResponse(
                wire.Id,
                wire.Reference,
                wire.AmountMinor,
                wire.Currency,
                wire.Status,
                wire.PayinId,
                wire.ReceivedAt
            )
        );
    }

    /// <summary>The bank settles an ACCOUNT payout now instead of in 24–72 h.</summary>
    [HttpPost("payouts/{id}/settle")]
    public Task<PayoutResponse> Settle(string id, CancellationToken ct) =>
        payouts.ForceSettlementAsync(Caller, id, settle: true, null, bank, ct);

    /// <summary>The beneficiary's bank returns an ACCOUNT payout: the money goes to the seller's wallet.</summary>
    [HttpPost("payouts/{id}/fail")]
    public Task<PayoutResponse> Fail(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] SandboxPayoutFailRequest? request,
        CancellationToken ct
    ) => payouts.ForceSettlementAsync(Caller, id, settle: false, request?.Reason, bank, ct);
}
