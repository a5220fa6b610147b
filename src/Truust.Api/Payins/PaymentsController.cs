using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Payouts;
using Truust.Domain.Orders;

namespace Truust.Api.Payins;

/// <summary>Payins: money coming in for an order.</summary>
[Route("v1/payins")]
public sealed class PayinsController(PayinService payins) : ApiControllerBase
{
    /// <summary>
    /// Creates a payin for an order (DRAFT or FAILURE → PENDING_PUBLISH). ADDON returns a direct_link to the card
    /// page; BANKWIRE returns wire instructions; WALLET debits the buyer's wallet at once and publishes the order.
    /// </summary>
    [HttpPost]
    [ProducesResponseType<PayinResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Create(CreatePayinRequest request, CancellationToken ct)
    {
        var actor = Caller.IsOperator ? OrderActor.Operator | OrderActor.Platform : OrderActor.Platform;
        var payin = await payins.CreateForOrderAsync(Caller, request, actor, ct);
        return Created($"/v1/payins/{payin.Id}", payin);
    }

    /// <summary>Gets a payin.</summary>
    [HttpGet("{id}")]
    public Task<PayinResponse> Get(string id, CancellationToken ct) => payins.GetAsync(Caller, id, ct);
}

/// <summary>Payouts: where the seller is paid at release.</summary>
[Route("v1/payouts")]
public sealed class PayoutsController(PayoutService payouts) : ApiControllerBase
{
    /// <summary>
    /// Says where the seller of an ACCEPTED order is paid (→ PENDING_VALIDATE): one of the seller's bank accounts
    /// (ACCOUNT) or the seller's wallet in the order's currency (WALLET).
    /// </summary>
    [HttpPost]
    [ProducesResponseType<PayoutResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Create(CreatePayoutRequest request, CancellationToken ct)
    {
        var actor = Caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;
        var payout = await payouts.CreateForOrderAsync(Caller, request, actor, ct);
        return Created($"/v1/payouts/{payout.Id}", payout);
    }

    /// <summary>Gets a payout.</summary>
    [HttpGet("{id}")]
    public async Task<PayoutResponse> Get(string id, CancellationToken ct) =>
        PayoutResponse.From(await payouts.FindAsync(Caller, id, ct));
}
