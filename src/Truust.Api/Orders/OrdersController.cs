using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Refunds;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>Escrow orders and their lifecycle actions.</summary>
[Route("v1/orders")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
public sealed class OrdersController(
    OrderService orders,
    OrderQueries queries,
    OrderCreationService creation,
    OrderRefundService refunding,
    RefundService refunds,
    PayinService payins
) : ApiControllerBase
{
    /// <summary>Creates an order in DRAFT, with its buyer_link and seller_link.</summary>
    [HttpPost]
    [ProducesResponseType<OrderResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Create(CreateOrderRequest request, CancellationToken ct)
    {
        var order = await creation.CreateAsync(Caller, request, ct);
        return Created($"/v1/orders/{order.Id}", order);
    }

    /// <summary>Gets an order with the actions allowed now.</summary>
    [HttpGet("{id}")]
    public Task<OrderResponse> Get(string id, CancellationToken ct) => queries.GetAsync(Caller, id, ct);

    /// <summary>Lists orders, newest first, filtered by status, buyer, seller and creation time.</summary>
    [HttpGet]
    public Task<Page<OrderResponse>> List([FromQuery] OrderListQuery query, CancellationToken ct) =>
        queries.ListAsync(Caller, query, ct);

    /// <summary>The order's status history, oldest first.</summary>
    [HttpGet("{id}/history")]
    public async Task<Page<OrderStatusChangeResponse>> History(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => Paging.Slice(await queries.HistoryAsync(Caller, id, ct), page, h => h.Id);

    /// <summary>The order's money trail: every ledger transfer that touched its escrow.</summary>
    [HttpGet("{id}/ledger")]
    public async Task<Page<LedgerTransferResponse>> Ledger(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => Paging.Slice(await queries.LedgerAsync(Caller, id, ct), page, t => t.Id);

    /// <summary>The seller accepts the paid order (PUBLISHED → ACCEPTED).</summary>
    [HttpPost("{id}/accept")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Accept(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => Act(id, OrderTrigger.Accept, request, ct);

    /// <summary>The seller rejects the paid order (PUBLISHED → REJECTED); refund it with POST /refunds.</summary>
    [HttpPost("{id}/reject")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Reject(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => Act(id, OrderTrigger.Reject, request, ct);

    /// <summary>The platform's conditions are met (PENDING_VALIDATE → PENDING_RELEASE); the release follows
    /// automatically.</summary>
    [HttpPost("{id}/validate")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Validate(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => Act(id, OrderTrigger.Validate, request, ct);

    /// <summary>
    /// The seller delivered (ACCEPTED or PENDING_VALIDATE, once): the buyer's inspection window starts and
    /// <c>inspection_ends_at</c> says when it ends. With the policy's <c>auto_validate</c>, the window's end
    /// validates the order (actor <c>system</c>) unless a dispute is open.
    /// </summary>
    [HttpPost("{id}/deliver")]
    [ProducesResponseType<OrderResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Deliver(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeliverRequest? request,
        CancellationToken ct
    ) => orders.DeliverAsync(Caller, id, Actor, request?.Tracking, ct);

    /// <summary>Cancels the order; anything held goes back to the buyer along the rail it came by.</summary>
    [HttpPost("{id}/cancel")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Cancel(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => refunding.CancelAsync(Caller, id, Actor, request?.Reason, ct);

    /// <summary>Operator only: holds the release (PENDING_RELEASE → BLOCKED_RELEASE).</summary>
    [HttpPost("{id}/block")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Block(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => Act(id, OrderTrigger.Block, request, ct);

    /// <summary>Operator only: lets a blocked release go ahead (BLOCKED_RELEASE → PENDING_RELEASE).</summary>
    [HttpPost("{id}/unblock")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OrderResponse> Unblock(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] OrderActionRequest? request,
        CancellationToken ct
    ) => Act(id, OrderTrigger.Unblock, request, ct);

    /// <summary>
    /// Refunds part or all of what the order holds (any paid status before release) along the rail it was paid by;
    /// without an amount, everything held. The rest stays held and is released as usual, the fee and splits shrunk
    /// pro rata. A refund that empties the escrow ends the order CANCELLED (a REJECTED order stays REJECTED). Never
    /// more than is held: 422 <c>refund_exceeds_held</c>. On a RELEASED order it is a refund after release: the money
    /// comes back from the seller's wallet, the splits pro rata, the fee when <c>refund_fee</c>, and the platform's
    /// reserve for any shortfall, which becomes the seller's debt; never more than was paid across all refunds.
    /// </summary>
    [HttpPost("{id}/refunds")]
    [ProducesResponseType<RefundResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Refund(
        string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CreateRefundRequest? request,
        [FromServices] ReleasedOrderRefunds releasedRefunds,
        CancellationToken ct
    ) => StatusCode(201, await releasedRefunds.RefundAsync(Caller, id, request ?? new(), ct));

    /// <summary>
    /// Every payment attempt of the order (and of its cart), newest first, with cursor paging: a declined card or an
    /// expired wire shows with its <c>failure_code</c> and <c>failure_message</c>, the retry that followed next to it.
    /// Filters as on <c>GET /v1/payins</c>.
    /// </summary>
    [HttpGet("{id}/payins")]
    [ProducesResponseType(typeof(Page<PayinResponse>), StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<PayinResponse>>> Payins(
        string id,
        [FromQuery] PayinListQuery query,
        CancellationToken ct
    )
    {
        var order = await queries.FindAsync(Caller, id, ct);
        query.OrderId = order.Id;
        return await payins.ListAsync(Caller, query, ct, alsoCart: order.OrderGroupId);
    }

    /// <summary>The order's refunds.</summary>
    [HttpGet("{id}/refunds")]
    public async Task<Page<RefundResponse>> Refunds(string id, [FromQuery] PageQuery page, CancellationToken ct)
    {
        var order = await queries.FindAsync(Caller, id, ct);
        return Paging.Slice(await refunds.ListForOrderAsync(order.Id, ct), page, r => r.Id);
    }

    private OrderActor Actor => Caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;

    private Task<OrderResponse> Act(
        string id,
        OrderTrigger trigger,
        OrderActionRequest? request,
        CancellationToken ct
    ) => orders.ActAsync(Caller, id, trigger, Actor, request?.Reason, ct);
}
