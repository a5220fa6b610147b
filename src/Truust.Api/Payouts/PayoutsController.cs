using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Reports;
using Truust.Domain.Orders;

namespace Truust.Api.Payouts;

/// <summary>Payouts: where the seller is paid at release.</summary>
[Route("v1/payouts")]
public sealed class PayoutsController(PayoutService payouts, ReportListService lists) : ApiControllerBase
{
    /// <summary>Lists payouts, newest first. Filters: order_id, status, type, created_gte, created_lt.</summary>
    [HttpGet]
    [ProducesResponseType(typeof(Page<PayoutResponse>), StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<PayoutResponse>>> List(
        [FromQuery] PayoutListQuery query,
        CancellationToken ct
    ) => await lists.PayoutsAsync(Caller, query, ct);

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
