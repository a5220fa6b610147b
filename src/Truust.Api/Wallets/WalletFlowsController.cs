using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Platforms;
using Truust.Domain;

namespace Truust.Api.Wallets;

public sealed partial class WalletsController
{
    /// <summary>Tops the wallet up by card (ADDON) or bank wire: returns the payin with its direct_link.</summary>
    [HttpPost("{id}/topups")]
    [ProducesResponseType<PayinResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Topup(
        string id,
        CreateTopupRequest request,
        [FromServices] WalletFlowService flows,
        CancellationToken ct
    ) => StatusCode(201, await flows.TopupAsync(Caller, id, request.Type!.Value, request.Amount!.Value, ct));

    /// <summary>Withdraws to the owner's bank account: an ACCOUNT payout that settles like a release.</summary>
    [HttpPost("{id}/withdrawals")]
    [ProducesResponseType<PayoutResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Withdraw(
        string id,
        CreateWithdrawalRequest request,
        [FromServices] WalletFlowService flows,
        CancellationToken ct
    ) => StatusCode(201, await flows.WithdrawAsync(Caller, id, request, ct));

    /// <summary>The wallet's movements, newest first, each with its counterpart and the balance after it.</summary>
    [HttpGet("{id}/transactions")]
    public Task<Page<WalletTransactionResponse>> Transactions(
        string id,
        [FromQuery] PageQuery page,
        [FromServices] WalletHistory history,
        CancellationToken ct
    ) => history.TransactionsAsync(Caller, id, page, ct);
}

/// <summary>Wallet-to-wallet transfers: one at a time, or batches of up to 1,000 legs applied all or nothing.</summary>
[Route("v1/transfers")]
public sealed class TransfersController(WalletFlowService flows) : ApiControllerBase
{
    /// <summary>Moves money between two wallets of the platform, at once and atomically.</summary>
    [HttpPost]
    [ProducesResponseType<TransferResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateTransferRequest request, CancellationToken ct) =>
        StatusCode(201, await flows.TransferAsync(Caller, request, ct));

    /// <summary>Many-to-one, one-to-many or many-to-many: every leg applies, or none does.</summary>
    [HttpPost("batch")]
    [ProducesResponseType<TransferBatchResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Batch(CreateTransferBatchRequest request, CancellationToken ct) =>
        StatusCode(201, await flows.BatchAsync(Caller, request, ct));
}

/// <summary>Carts: several sellers' orders paid with one payin.</summary>
[Route("v1/order_groups")]
public sealed class OrderGroupsController(OrderGroupService groups) : ApiControllerBase
{
    /// <summary>Creates the cart's orders (DRAFT); pay them all with POST /v1/payins and order_group_id.</summary>
    [HttpPost]
    [ProducesResponseType<OrderGroupResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateOrderGroupRequest request, CancellationToken ct) =>
        StatusCode(201, await groups.CreateAsync(Caller, request, ct));

    /// <summary>Gets a cart and its orders.</summary>
    [HttpGet("{id}")]
    public Task<OrderGroupResponse> Get(string id, CancellationToken ct) => groups.GetAsync(Caller, id, ct);
}

/// <summary>Fee quotes.</summary>
[Route("v1/fees")]
public sealed class FeesController(PlatformService platforms) : ApiControllerBase
{
    /// <summary>What the platform's default fee takes from an order of this amount (the higher of percent and
    /// fixed).</summary>
    [HttpGet]
    public async Task<FeeQuoteResponse> Quote([FromQuery] FeeQuery query, CancellationToken ct)
    {
        var platform = await platforms.GetAsync(Caller.RequirePlatform(), ct);
        var amount = Money.Positive(query.Amount!.Value, query.Currency!);
        var fee = platform.DefaultFeeMinor(amount.AmountMinor);
        return new FeeQuoteResponse(
            amount.AmountMinor,
            amount.Currency.Code,
            fee,
            amount.AmountMinor - fee,
            platform.FeePercentBp,
            platform.FeeFixedMinor
        );
    }
}
