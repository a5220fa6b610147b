using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// <c>POST /v1/payins</c>: paying an order or a cart. It lives with the orders because it is an order's action
/// (the Pay trigger); reading a payin back is Payins/PayinsController. Swagger lists both under Payins.
/// </summary>
[Route("v1/payins")]
[Tags("Payins")]
public sealed class OrderPayinsController(OrderPaymentService payments) : ApiControllerBase
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
        var payin = await payments.PayAsync(Caller, request, actor, ct);
        return Created($"/v1/payins/{payin.Id}", payin);
    }
}
