using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Wallets;

/// <summary>Customer wallets and their balances.</summary>
[Route("v1/wallets")]
public sealed partial class WalletsController(WalletService wallets) : ApiControllerBase
{
    /// <summary>Creates a customer's wallet in a currency (one per customer and currency).</summary>
    [HttpPost]
    [ProducesResponseType<WalletResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateWalletRequest request, CancellationToken ct)
    {
        var wallet = await wallets.CreateAsync(Caller, request, ct);
        return Created($"/v1/wallets/{wallet.Id}", wallet);
    }

    /// <summary>Gets a wallet and its balance.</summary>
    [HttpGet("{id}")]
    public async Task<WalletResponse> Get(string id, CancellationToken ct) =>
        WalletResponse.From(await wallets.FindAsync(Caller, id, ct));

    /// <summary>Lists wallets, optionally of one customer.</summary>
    [HttpGet]
    public Task<Page<WalletResponse>> List([FromQuery] WalletListQuery query, CancellationToken ct) =>
        wallets.ListAsync(Caller, query, ct);
}
