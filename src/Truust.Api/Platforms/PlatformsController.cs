using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;

namespace Truust.Api.Platforms;

/// <summary>Platform management: operator key only.</summary>
[Route("v1/platforms")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName, Roles = Caller.OperatorRole)]
public sealed class PlatformsController(PlatformService platforms) : ApiControllerBase
{
    /// <summary>Creates a platform and its first API key. The key's secret is in this response only.</summary>
    [HttpPost]
    [ProducesResponseType<CreatedPlatformResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreatePlatformRequest request, CancellationToken ct)
    {
        var created = await platforms.CreateAsync(request, ct);
        return Created($"/v1/platforms/{created.Platform.Id}", created);
    }

    /// <summary>Lists platforms, newest first.</summary>
    [HttpGet]
    public Task<Page<PlatformResponse>> List([FromQuery] PageQuery page, CancellationToken ct) =>
        platforms.ListAsync(page, ct);

    /// <summary>Gets a platform.</summary>
    [HttpGet("{id}")]
    public async Task<PlatformResponse> Get(string id, CancellationToken ct) =>
        PlatformResponse.From(await platforms.GetAsync(id, ct));

    /// <summary>Creates another API key for the platform (for rotation, or a live key with <c>mode: live</c>). The
    /// secret is shown once.</summary>
    [HttpPost("{id}/api_keys")]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateKey(string id, CreateApiKeyRequest request, CancellationToken ct) =>
        StatusCode(201, await platforms.CreateKeyAsync(id, request.Label, request.Mode == "live", ct));

    /// <summary>Lists the platform's keys (prefixes only, never secrets).</summary>
    [HttpGet("{id}/api_keys")]
    public async Task<Page<ApiKeyResponse>> ListKeys(string id, [FromQuery] PageQuery page, CancellationToken ct) =>
        Paging.Slice(await platforms.ListKeysAsync(id, ct), page, k => k.Id);

    /// <summary>Revokes a key: it stops working at once.</summary>
    [HttpDelete("{id}/api_keys/{keyId}")]
    public Task<ApiKeyResponse> RevokeKey(string id, string keyId, CancellationToken ct) =>
        platforms.RevokeKeyAsync(id, keyId, ct);
}

/// <summary>The calling platform's own settings.</summary>
[Route("v1/platform")]
public sealed class PlatformController(PlatformService platforms) : ApiControllerBase
{
    /// <summary>The platform the key belongs to, with its fee settings.</summary>
    [HttpGet]
    public async Task<PlatformResponse> Get(CancellationToken ct) =>
        PlatformResponse.From(await platforms.GetAsync(Caller.RequirePlatform(), ct));

    /// <summary>Sets the default fee (the higher of fee_percent_bp of the amount and fee_fixed applies), the default
    /// release policy and the rolling reserve.</summary>
    [HttpPatch]
    public Task<PlatformResponse> Update(UpdatePlatformRequest request, CancellationToken ct) =>
        platforms.UpdateFeesAsync(Caller.RequirePlatform(), request, ct);
}
