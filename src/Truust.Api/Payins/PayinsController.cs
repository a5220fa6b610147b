using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Payins;

/// <summary>
/// Payins: money coming in. One is created by what it pays for: an order or a cart through
/// <c>POST /v1/payins</c> (Orders/OrderPayinsController), a top-up through its wallet, a contribution through its
/// campaign.
/// </summary>
[Route("v1/payins")]
public sealed class PayinsController(PayinService payins) : ApiControllerBase
{
    /// <summary>Gets a payin.</summary>
    [HttpGet("{id}")]
    public Task<PayinResponse> Get(string id, CancellationToken ct) => payins.GetAsync(Caller, id, ct);

    /// <summary>
    /// Lists payins, newest first: every attempt, failed ones with their <c>failure_code</c> and
    /// <c>failure_message</c>. Filters: order_id, order_group_id, status, type, created_gte, created_lt.
    /// </summary>
    [HttpGet]
    [ProducesResponseType(typeof(Page<PayinResponse>), StatusCodes.Status200OK)]
    public async Task<ActionResult<Page<PayinResponse>>> List([FromQuery] PayinListQuery query, CancellationToken ct) =>
        await payins.ListAsync(Caller, query, ct);
}
