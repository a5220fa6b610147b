using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Campaigns;

/// <summary>
/// Escrow for crowdfunding and crowdlending: contributions pool until the target is reached (released to the
/// owner) or missed (every contributor refunded automatically).
/// </summary>
[Route("v1/campaigns")]
public sealed class CampaignsController(
    CampaignService campaigns,
    ContributionService contributions,
    LoanService loans,
    CampaignLifecycle lifecycle
) : ApiControllerBase
{
    /// <summary>Creates a campaign (OPEN until its deadline).</summary>
    [HttpPost]
    [ProducesResponseType<CampaignResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateCampaignRequest request, CancellationToken ct) =>
        StatusCode(201, await campaigns.CreateAsync(Caller, request, ct));

    /// <summary>Gets a campaign with its progress.</summary>
    [HttpGet("{id}")]
    public async Task<CampaignResponse> Get(string id, CancellationToken ct) =>
        campaigns.ToResponse(await campaigns.FindAsync(Caller, id, ct));

    /// <summary>The campaign's status history, oldest first (the same shape as an order's).</summary>
    [HttpGet("{id}/history")]
    public async Task<Page<CampaignStatusChangeResponse>> History(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => Paging.Slice(await lifecycle.HistoryAsync(Caller, id, ct), page, h => h.Id);

    /// <summary>Lists campaigns, newest first.</summary>
    [HttpGet]
    public Task<Page<CampaignResponse>> List([FromQuery] CampaignListQuery query, CancellationToken ct) =>
        campaigns.ListAsync(Caller, query, ct);

    /// <summary>Contributes: returns the contribution and its payin (card and wire: follow its direct_link).</summary>
    [HttpPost("{id}/contributions")]
    [ProducesResponseType<ContributionResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Contribute(string id, CreateContributionRequest request, CancellationToken ct) =>
        StatusCode(201, await contributions.ContributeAsync(Caller, id, request, ct));

    /// <summary>The campaign's contributions, newest first.</summary>
    [HttpGet("{id}/contributions")]
    public Task<Page<ContributionResponse>> Contributions(
        string id,
        [FromQuery] PageQuery page,
        CancellationToken ct
    ) => contributions.ContributionsAsync(Caller, id, page, ct);

    /// <summary>The owner closes early once the target is reached: the pool is released now.</summary>
    [HttpPost("{id}/close")]
    public Task<CampaignResponse> Close(string id, CancellationToken ct) => campaigns.CloseAsync(Caller, id, ct);

    /// <summary>Cancels the campaign: every contribution is refunded along its rail.</summary>
    [HttpPost("{id}/cancel")]
    public Task<CampaignResponse> Cancel(string id, CancellationToken ct) => campaigns.CancelAsync(Caller, id, ct);

    /// <summary>The refunds of a failed or cancelled campaign, with totals per status.</summary>
    [HttpGet("{id}/refunds")]
    public Task<CampaignRefundReport> Refunds(string id, CancellationToken ct) =>
        campaigns.RefundReportAsync(Caller, id, ct);

    /// <summary>A loan repayment from the borrower's wallet, distributed to the lenders pro rata.</summary>
    [HttpPost("{id}/repayments")]
    [ProducesResponseType<RepaymentResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Repay(string id, CreateRepaymentRequest request, CancellationToken ct) =>
        StatusCode(201, await loans.RepayAsync(Caller, id, request, ct));

    /// <summary>The loan's instalments: what is due, paid and late.</summary>
    [HttpGet("{id}/schedule")]
    public Task<ScheduleResponse> Schedule(string id, CancellationToken ct) => loans.ScheduleAsync(Caller, id, ct);

    /// <summary>Declares a loan in default.</summary>
    [HttpPost("{id}/default")]
    public Task<CampaignResponse> Default(string id, CancellationToken ct) => campaigns.DefaultAsync(Caller, id, ct);
}
