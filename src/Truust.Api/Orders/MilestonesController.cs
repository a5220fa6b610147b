using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// The milestones of an order paid in stages: each is delivered, validated (released to the seller's wallet at once,
/// with its own payout and its part of the fee and splits) or refunded on its own. The order's response lists them
/// with their <c>allowed_actions</c>.
/// </summary>
[Route("v1/orders/{id}/milestones")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
public sealed class MilestonesController(MilestoneService milestones) : ApiControllerBase
{
    /// <summary>
    /// The seller delivered this milestone (the order ACCEPTED or PENDING_VALIDATE): its inspection window, when it
    /// has <c>inspection_hours</c>, starts now; its end validates the milestone (actor <c>system</c>).
    /// </summary>
    [HttpPost("{milestone_id}/deliver")]
    [ProducesResponseType<OrderResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Deliver(
        string id,
        [FromRoute(Name = "milestone_id")] string milestoneId,
        CancellationToken ct
    ) => milestones.DeliverAsync(Caller, id, milestoneId, Actor, ct);

    /// <summary>
    /// Validates this milestone (the order PENDING_VALIDATE, no dispute open): what it holds is released at once to
    /// the seller's wallet, less its part of the fee and splits (shrunk pro rata if part of it was refunded), as its
    /// own payout. When nothing is left in escrow, the order is RELEASED.
    /// </summary>
    [HttpPost("{milestone_id}/validate")]
    [ProducesResponseType<OrderResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Validate(
        string id,
        [FromRoute(Name = "milestone_id")] string milestoneId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] MilestoneActionRequest? request,
        CancellationToken ct
    ) => milestones.ValidateAsync(Caller, id, milestoneId, Actor, request?.Reason, ct);

    /// <summary>
    /// Refunds part or all of what this milestone holds (without an amount: all of it) along the rail the order was
    /// paid by; never more than it holds (422 <c>refund_exceeds_held</c>). A refund of all it holds ends it REFUNDED;
    /// when the escrow is then empty the order ends RELEASED if a milestone was released, else CANCELLED.
    /// </summary>
    [HttpPost("{milestone_id}/refunds")]
    [ProducesResponseType<RefundResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Refund(
        string id,
        [FromRoute(Name = "milestone_id")] string milestoneId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CreateRefundRequest? request,
        CancellationToken ct
    ) => StatusCode(201, await milestones.RefundAsync(Caller, id, milestoneId, request ?? new(), ct));

    private OrderActor Actor => Caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;
}
