using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Webhooks;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// Payins: money coming in by card, bank wire or wallet, for whatever a payin pays for (see
/// <see cref="IPayinFunding"/>). Card outcomes are recorded by <see cref="CardRail"/>, wires by
/// <see cref="WireRail"/>; a WALLET payin is confirmed the moment it is added.
/// </summary>
public sealed class PayinService(
    TruustDbContext db,
    EventOutbox events,
    PayinOutcomes outcomes,
    WireRail wires,
    IOptions<TruustOptions> options
)
{
    /// <summary>
    /// Adds a new payin to the caller's transaction, once what it pays for is locked and waits for it: a wire gets
    /// its reference and deadline; a WALLET payin is debited and confirmed at once.
    /// </summary>
    public async Task AddAsync(Payin payin, CancellationToken ct)
    {
        if (payin.Type == PayinType.Bankwire)
        {
            wires.Prepare(payin);
        }

        db.Payins.Add(payin);
        events.PayinChanged(payin);
        if (payin.Type == PayinType.Wallet)
        {
            // The wallet is debited in this same commit; the guarded UPDATE refuses an overdraft, and then nothing at
            // all (the target's changes, the payin, the history) is kept.
            await outcomes.SucceedAsync(payin, LedgerAccounts.Wallet(payin.SourceWalletId!), null, ct);
        }
    }

    public async Task<PayinResponse> GetAsync(Caller caller, string id, CancellationToken ct) =>
        ToResponse(await FindAsync(caller, id, ct));

    public async Task<Payin> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var payin = await db.Payins.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return payin is not null && caller.CanSee(payin.PlatformId) ? payin : throw new NotFoundException("payin", id);
    }

    /// <summary>
    /// The payins <paramref name="caller"/> may see that match <paramref name="query"/>, newest first. With
    /// <paramref name="alsoCart"/>, payins of that cart count as the order's too (an order paid with its cart).
    /// </summary>
    public Task<Page<PayinResponse>> ListAsync(
        Caller caller,
        PayinListQuery query,
        CancellationToken ct,
        string? alsoCart = null
    )
    {
        var found = caller.PlatformId is { } platformId ? db.Payins.Where(p => p.PlatformId == platformId) : db.Payins;
        if (query.OrderId is { } orderId)
        {
            found = alsoCart is null
                ? found.Where(p => p.OrderId == orderId)
                : found.Where(p => p.OrderId == orderId || p.OrderGroupId == alsoCart);
        }

        if (query.OrderGroupId is { } groupId)
        {
            found = found.Where(p => p.OrderGroupId == groupId);
        }

        if (query.Status is { } status)
        {
            found = found.Where(p => p.Status == status);
        }

        if (query.Type is { } type)
        {
            found = found.Where(p => p.Type == type);
        }

        found = found.CreatedWithin(query, p => p.CreatedAt);

        return Paging.PageAsync(found, query, ToResponse, ct);
    }

    public async Task<Payin?> FindByTokenAsync(string token, CancellationToken ct) =>
        await db.Payins.AsNoTracking().FirstOrDefaultAsync(p => p.Token == token, ct);

    public PayinResponse ToResponse(Payin payin)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var card = payin.CardLast4 is null
            ? null
            : new CardSummary(payin.CardBrand!, payin.CardLast4, payin.CardExpiry!);
        var next =
            payin.Status == PayinStatus.RequiresAction
                ? new NextAction("three_d_secure", $"{baseUrl}/pay/{payin.Token}/3ds")
                : null;
        return new PayinResponse(
            payin.Id,
            payin.OrderId,
            payin.OrderGroupId,
            payin.TargetWalletId ?? payin.SourceWalletId,
            payin.Purpose,
            payin.Type,
            payin.Status,
            payin.AmountMinor,
            payin.Currency,
            $"{baseUrl}/pay/{payin.Token}",
            wires.InstructionsFor(payin),
            card,
            next,
            payin.FailureCode,
            payin.FailureMessage,
            payin.CreatedAt,
            payin.UpdatedAt
        );
    }
}
