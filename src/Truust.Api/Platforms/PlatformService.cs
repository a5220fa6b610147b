using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain.Platforms;

namespace Truust.Api.Platforms;

/// <summary>Platforms and their API keys: the operator's side of Truust.</summary>
public sealed class PlatformService(TruustDbContext db, UnitOfWork unitOfWork, TimeProvider clock)
{
    public async Task<CreatedPlatformResponse> CreateAsync(CreatePlatformRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var platform = new Platform(request.Name!, now);
        platform.SetFees(request.FeePercentBp ?? 0, request.FeeFixed ?? 0);
        var (key, secret) = ApiKey.Create(platform.Id, "default", now);
        db.Platforms.Add(platform);
        db.ApiKeys.Add(key);
        await unitOfWork.SaveAsync(ct);
        return new CreatedPlatformResponse(PlatformResponse.From(platform), ApiKeyResponse.From(key, secret));
    }

    public async Task<Platform> GetAsync(string id, CancellationToken ct) =>
        await db.Platforms.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("platform", id);

    public Task<Page<PlatformResponse>> ListAsync(PageQuery page, CancellationToken ct) =>
        Paging.PageAsync(db.Platforms, page, PlatformResponse.From, ct);

    public async Task<PlatformResponse> UpdateFeesAsync(string id, UpdatePlatformRequest request, CancellationToken ct)
    {
        var platform = await GetAsync(id, ct);
        platform.SetFees(request.FeePercentBp ?? platform.FeePercentBp, request.FeeFixed ?? platform.FeeFixedMinor);
        if (request.ReleasePolicy is { } policy)
        {
            platform.SetReleasePolicy(policy.ApplyTo(platform.ReleasePolicy));
        }

        if (request.RollingReserve is { } rolling)
        {
            platform.SetRollingReserve(rolling.ShareBp!.Value, rolling.Days ?? 0);
        }

        await unitOfWork.SaveAsync(ct);
        return PlatformResponse.From(platform);
    }

    public async Task<ApiKeyResponse> CreateKeyAsync(string platformId, string? label, bool live, CancellationToken ct)
    {
        await GetAsync(platformId, ct);
        var (key, secret) = ApiKey.Create(platformId, label, clock.GetUtcNow(), live);
        db.ApiKeys.Add(key);
        await unitOfWork.SaveAsync(ct);
        return ApiKeyResponse.From(key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyResponse>> ListKeysAsync(string platformId, CancellationToken ct)
    {
        await GetAsync(platformId, ct);
        var keys = await db
            .ApiKeys.AsNoTracking()
            .Where(k => k.PlatformId == platformId)
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(ct);
        return keys.Select(k => ApiKeyResponse.From(k)).ToList();
    }

    public async Task<ApiKeyResponse> RevokeKeyAsync(string platformId, string keyId, CancellationToken ct)
    {
        var key =
            await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.PlatformId == platformId, ct)
            ?? throw new NotFoundException("api_key", keyId);
        key.Revoke(clock.GetUtcNow());
        await unitOfWork.SaveAsync(ct);
        return ApiKeyResponse.From(key);
    }
}
