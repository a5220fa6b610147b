using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Reconciliation;

/// <summary>The gateways' own records compared with the ledger.</summary>
[Route("v1/reconciliation")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
public sealed class ReconciliationController(ReconciliationService reconciliation) : ApiControllerBase
{
    /// <summary>
    /// Lists every difference between the card processor's charges and refunds, the bank's transfers and the
    /// ledger: <c>mismatches</c> (money a gateway moved that the ledger does not show, or the other way round)
    /// and <c>in_flight</c> (a refund, payout or payin whose two sides are still being written), with totals per
    /// rail and currency. A platform key sees its own records; the operator key sees all, or one
    /// <c>platform_id</c>.
    /// </summary>
    [HttpGet]
    public Task<ReconciliationResponse> Get([FromQuery] ReconciliationQuery query, CancellationToken ct) =>
        reconciliation.ReconcileAsync(Caller, query.PlatformId, ct);
}
