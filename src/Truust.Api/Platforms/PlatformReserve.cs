using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Platforms;

/// <summary>
/// The platform's reserve: a wallet of kind PLATFORM_RESERVE per currency, which pays buyers what the seller side
/// cannot give back after a release (ADR 0012), and the rolling reserve's holds, kept in the platform's
/// <c>reserve_held</c> ledger account until they are freed to their sellers.
/// </summary>
public sealed class PlatformReserve(TruustDbContext db, UnitOfWork unitOfWork, LedgerService ledger, TimeProvider clock)
{
    /// <summary>
    /// The reserve wallet of a platform in a currency, created on first use. Inserted with ON CONFLICT against its
    /// unique index, so two requests creating it at once end with one wallet.
    /// </summary>
    public async Task<Wallet> GetOrCreateWalletAsync(string platformId, string currency, CancellationToken ct)
    {
        var wallet = await FindWalletAsync(platformId, currency, ct);
        if (wallet is not null)
        {
            return wallet;
        }

        var id = Ids.New("wal");
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO wallets (id, platform_id, customer_id, currency, kind, balance_minor, created_at)
            VALUES ({id}, {platformId}, NULL, {currency}, {WireName.Of(WalletKind.PlatformReserve)}, 0,
                    {clock.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """,
            ct
        );
        return (await FindWalletAsync(platformId, currency, ct))!;
    }

    private Task<Wallet?> FindWalletAsync(string platformId, string currency, CancellationToken ct) =>
        db
            .Wallets.AsNoTracking()
            .FirstOrDefaultAsync(
                w => w.PlatformId == platformId && w.Currency == currency && w.Kind == WalletKind.PlatformReserve,
                ct
            );

    /// <summary>The reserve of the calling platform: per currency, what is available and what is held.</summary>
    public async Task<PlatformReserveResponse> GetAsync(string platformId, CancellationToken ct)
    {
        var available = await db
            .Wallets.AsNoTracking()
            .Where(w => w.PlatformId == platformId && w.Kind == WalletKind.PlatformReserve)
            .Select(w => new
            {
                w.Id,
                w.Currency,
                w.BalanceMinor,
            })
            .ToListAsync(ct);
        var held = await db
            .ReserveHolds.AsNoTracking()
            .Where(h => h.PlatformId == platformId && h.Status == ReserveHoldStatus.Held)
            .GroupBy(h => h.Currency)
            .Select(g => new { Currency = g.Key, Minor = g.Sum(h => h.AmountMinor) })
            .ToListAsync(ct);
        var platform = await db.Platforms.AsNoTracking().SingleAsync(p => p.Id == platformId, ct);
        var balances = available
            .Select(a => a.Currency)
            .Union(held.Select(h => h.Currency))
            .Order(StringComparer.Ordinal)
            .Select(c => new PlatformReserveBalance(
                c,
                available.FirstOrDefault(a => a.Currency == c)?.BalanceMinor ?? 0,
                held.FirstOrDefault(h => h.Currency == c)?.Minor ?? 0,
                available.FirstOrDefault(a => a.Currency == c)?.Id
            ))
            .ToList();
        return new PlatformReserveResponse(
            platformId,
            new RollingReserveResponse(platform.RollingReserveBp, platform.RollingReserveDays),
            balances
        );
    }

    /// <summary>
    /// Puts money into the reserve: from one of the platform's wallets (its fee wallet, say) when
    /// <c>wallet_id</c> is given, else (sandbox only) as a simulated incoming bank wire.
    /// </summary>
    public async Task<PlatformReserveResponse> TopUpAsync(
        Caller caller,
        ReserveTopupRequest request,
        CancellationToken ct
    )
    {
        var platformId = request.WalletId is null ? caller.RequireSandboxPlatform() : caller.RequirePlatform();
        var amount = Money.Positive(request.Amount!.Value, request.Currency!);
        string source = LedgerAccounts.BankwireRail;
        if (request.WalletId is not null)
        {
            var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WalletId, ct);
            if (wallet is null || wallet.PlatformId != platformId)
            {
                throw new NotFoundException("wallet", request.WalletId);
            }

            if (wallet.Kind == WalletKind.PlatformReserve)
            {
                throw new BusinessRuleException(
                    "invalid_source",
                    "The reserve cannot top itself up; name another wallet.",
                    "wallet_id"
                );
            }

            if (wallet.Currency != amount.Currency.Code)
            {
                throw new BusinessRuleException(
                    "currency_mismatch",
                    $"Wallet {wallet.Id} holds {wallet.Currency}; the top-up is in {amount.Currency.Code}.",
                    "wallet_id"
                );
            }

            source = LedgerAccounts.Wallet(wallet.Id);
        }

        var reserve = await GetOrCreateWalletAsync(platformId, amount.Currency.Code, ct);
        await unitOfWork.RunAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                await ledger.PostAsync(
                    [
                        new LedgerTransfer(
                            platformId,
                            source,
                            LedgerAccounts.Wallet(reserve.Id),
                            amount,
                            TransferKind.ReserveTopup,
                            Ids.New("rtu"),
                            null,
                            now
                        ),
                    ],
                    ct
                );
                return 0;
            },
            ct
        );
        return await GetAsync(platformId, ct);
    }
}

/// <summary>The calling platform's reserve.</summary>
[Route("v1/platform/reserve")]
public sealed class PlatformReserveController(PlatformReserve reserve) : ApiControllerBase
{
    /// <summary>
    /// The reserve per currency: <c>available</c> (pays refunds after release that the seller side cannot cover)
    /// and <c>held</c> (the rolling reserve's holds, owed to sellers), and the rolling reserve setting.
    /// </summary>
    [HttpGet]
    public Task<PlatformReserveResponse> Get(CancellationToken ct) => reserve.GetAsync(Caller.RequirePlatform(), ct);

    /// <summary>
    /// Puts money into the reserve: from one of the platform's wallets (<c>wallet_id</c>), or, with a test key and
    /// no <c>wallet_id</c>, as a simulated bank wire from the platform.
    /// </summary>
    [HttpPost("top_ups")]
    public Task<PlatformReserveResponse> TopUp(ReserveTopupRequest request, CancellationToken ct) =>
        reserve.TopUpAsync(Caller, request, ct);
}

public sealed class ReserveTopupRequest
{
    /// <summary>Minor units.</summary>
    /// <example>50000</example>
    public long? Amount { get; set; }

    /// <example>EUR</example>
    public string? Currency { get; set; }

    /// <summary>One of the platform's wallets to take the money from; omitted (sandbox only): a simulated wire.
    /// </summary>
    public string? WalletId { get; set; }
}

public sealed class ReserveTopupRequestValidator : AbstractValidator<ReserveTopupRequest>
{
    public ReserveTopupRequestValidator()
    {
        RuleFor(r => r.Amount).NotNull().InclusiveBetween(1, Money.MaxAmountMinor);
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.WalletId).ValidId("wal").When(r => r.WalletId is not null);
    }
}

/// <summary>One currency of the reserve.</summary>
/// <param name="Currency">ISO 4217.</param>
/// <param name="Available">Minor units the reserve can pay out now.</param>
/// <param name="Held">Minor units the rolling reserve keeps back for sellers.</param>
/// <param name="WalletId">The reserve's wallet in this currency (null until money first arrives).</param>
public sealed record PlatformReserveBalance(string Currency, long Available, long Held, string? WalletId);

/// <summary>The rolling reserve: the share of each seller's release kept back, and for how many days.</summary>
public sealed record RollingReserveResponse(int ShareBp, int Days);

public sealed record PlatformReserveResponse(
    string PlatformId,
    RollingReserveResponse RollingReserve,
    IReadOnlyList<PlatformReserveBalance> Balances
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "platform_reserve";
}
