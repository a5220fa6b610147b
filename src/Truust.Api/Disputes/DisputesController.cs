using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Domain.Disputes;

namespace Truust.Api.Disputes;

/// <summary>
/// Disputes over a delivered order's money. The platform's key may act for either party (open, answer, accept,
/// reject) and decide (resolve); the operator key decides. While a dispute is open the order cannot be validated,
/// released or cancelled.
/// </summary>
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
public sealed class DisputesController(DisputeService disputes, OrderQueries orders) : ApiControllerBase
{
    /// <summary>The buyer reports a problem with a PENDING_VALIDATE order: the dispute awaits the seller.</summary>
    [HttpPost("v1/orders/{id}/disputes")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<DisputeResponse>> Open(string id, OpenDisputeRequest request, CancellationToken ct)
    {
        var dispute = await disputes.OpenAsync(Caller, id, DisputeActor.Platform, request, ct);
        return Created($"/v1/disputes/{dispute.Id}", dispute);
    }

    /// <summary>The order's disputes, newest first.</summary>
    [HttpGet("v1/orders/{id}/disputes")]
    [ProducesResponseType<Page<DisputeResponse>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<DisputeResponse>>> ListForOrder(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    )
    {
        var order = await orders.FindAsync(Caller, id, ct);
        var list = await disputes.ForOrderAsync(order.Id, ct);
        return Paging.Slice(list.Select(d => DisputeResponse.From(d, Actor)).ToList(), page, d => d.Id);
    }

    /// <summary>A dispute with its evidence, its deadline and the actions allowed now.</summary>
    [HttpGet("v1/disputes/{id}")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DisputeResponse>> Get(string id, CancellationToken ct) =>
        await disputes.GetAsync(Caller, id, Actor, ct);

    /// <summary>The seller's answer: REFUND_IN_FULL (settles it), PARTIAL_REFUND with an amount, or CONTEST (both
    /// then await the buyer).</summary>
    [HttpPost("v1/disputes/{id}/answer")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<DisputeResponse>> Answer(
        string id,
        AnswerDisputeRequest request,
        CancellationToken ct
    ) => await disputes.AnswerAsync(Caller, id, DisputeActor.Platform, request, ct);

    /// <summary>The buyer accepts the seller's answer: the dispute settles on it.</summary>
    [HttpPost("v1/disputes/{id}/accept")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<DisputeResponse>> Accept(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DisputeStatementRequest? request,
        CancellationToken ct
    ) => await disputes.BuyerAnswerAsync(Caller, id, DisputeActor.Platform, true, request ?? new(), ct);

    /// <summary>The buyer rejects the seller's answer: the dispute awaits the seller again.</summary>
    [HttpPost("v1/disputes/{id}/reject")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<DisputeResponse>> Reject(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DisputeStatementRequest? request,
        CancellationToken ct
    ) => await disputes.BuyerAnswerAsync(Caller, id, DisputeActor.Platform, false, request ?? new(), ct);

    /// <summary>The platform or the operator decides: refund_amount back to the buyer (0 to what is held), the
    /// rest released to the seller with the fee and splits pro rata.</summary>
    [HttpPost("v1/disputes/{id}/resolve")]
    [ProducesResponseType<DisputeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<DisputeResponse>> Resolve(
        string id,
        ResolveDisputeRequest request,
        CancellationToken ct
    ) => await disputes.ResolveAsync(Caller, id, request, ct);

    private DisputeActor Actor => Caller.IsOperator ? DisputeActor.Operator : DisputeActor.Platform;
}
