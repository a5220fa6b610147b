using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>
/// What a release keeps back from the seller's part before paying it (ADR 0012): first the platform's rolling
/// reserve share (a <see cref="ReserveHold"/>, freed later by <see cref="RollingReserveJob"/>), then the seller's
/// open debts to the reserve (a bank payout's, reserved at its intent). Both are ledger transfers out of the order's
/// escrow in the release's own posting.
/// </summary>
public sealed class SellerHoldbacks(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    LedgerService ledger,
    WalletService wallets,
    SellerDebts debts,
    EventOutbox events,
    PlatformClock platformClock,
    TimeProvider clock
)
{
    public const string HeldEvent = "reserve_hold.created";
    public const string FreedEvent = "reserve_hold.freed";

    /// <summary>The rolling reserve's share of a seller's part, by the platform's setting now.</summary>
    public async Task<long> HoldOfAsync(string platformId, long sellerMinor, CancellationToken ct)
    {
        var shareBp = await db.Platforms.Where(p => p.Id == platformId).Select(p => p.RollingReserveBp).SingleAsync(ct);
        return HoldOf(shareBp, sellerMinor);
    }

    private static long HoldOf(int shareBp, long sellerMinor) =>
        shareBp == 0 ? 0 : Allocation.Percent(sellerMinor, shareBp);

    /// <summary>
    /// Inside the release's transaction: adds the hold and the debt recoveries to <paramref name="transfers"/> and
    /// returns what they keep back. <paramref name="holdMinor"/> is the hold fixed earlier (a bank payout fixes its
    /// amount at the intent), or null to take the platform's share now. A wallet payout recovers the seller's open
    /// debts now; a bank payout (<paramref name="toBank"/>) recovers exactly what its intent reserved on them
    /// (<see cref="Payout.DebtRecoveryMinor"/>), since the amount the bank was sent is already fixed.
    /// </summary>
    public async Task<long> TakeAsync(
        Order order,
        Payout payout,
        long sellerMinor,
        long? holdMinor,
        bool toBank,
        List<LedgerTransfer> transfers,
        CancellationToken ct
    )
    {
        var escrow = LedgerAccounts.Escrow(order.Id);
        // One read of the platform row: its share when the hold is taken now, its clock and days when one is kept.
        var platform = holdMinor is 0
            ? null
            : await db.Platforms.AsNoTracking().SingleAsync(p => p.Id == order.PlatformId, ct);
        var hold = holdMinor ?? HoldOf(platform!.RollingReserveBp, sellerMinor);
        if (hold > 0)
        {
            var now = clock.GetUtcNow();
            var reserveHold = new ReserveHold(
                order.PlatformId,
                order.SellerId,
                new Money(hold, Currency.Of(order.Currency)),
                order.Id,
                payout.Id,
                payout.DestinationWalletId,
                platform!.Now(now).AddDays(Math.Max(platform.RollingReserveDays, 1)),
                now
            );
            db.ReserveHolds.Add(reserveHold);
            // Claimable at once by this process's clock (the column's default is the database's, which a test's
            // clock does not move).
            db.Entry(reserveHold).Property<DateTimeOffset>(Claims.LeaseProperty).CurrentValue = now;
            transfers.Add(
                new LedgerTransfer(
                    order.PlatformId,
                    escrow,
                    LedgerAccounts.ReserveHeld(order.PlatformId),
                    new Money(hold, Currency.Of(order.Currency)),
                    TransferKind.ReserveHold,
                    reserveHold.Id,
                    order.Id,
                    now
                )
            );
            events.Add(order.PlatformId, HeldEvent, reserveHold.Id, ReserveHoldResponse.From(reserveHold));
        }

        if (toBank)
        {
            await debts.EndReservationAsync(
                order.PlatformId,
                order.SellerId,
                order.Currency,
                payout.DebtRecoveryMinor,
                recovered: true,
                escrow,
                order.Id,
                transfers,
                ct
            );
            return hold + payout.DebtRecoveryMinor;
        }

        var recovered = await debts.RecoverAsync(
            order.PlatformId,
            order.SellerId,
            order.Currency,
            sellerMinor - hold,
            escrow,
            order.Id,
            transfers,
            ct
        );
        return hold + recovered;
    }

    /// <summary>
    /// Frees one due hold to its seller: the seller's open debts are repaid out of it first, the rest goes to the
    /// payout's wallet (or, for a bank payout, the seller's wallet in the currency, created if needed).
    /// </summary>
    public async Task FreeAsync(string holdId, CancellationToken ct)
    {
        var hold = await db.ReserveHolds.AsNoTracking().FirstAsync(h => h.Id == holdId, ct);
        var walletId =
            hold.WalletId
            ?? (await wallets.GetOrCreateForCustomerAsync(hold.PlatformId, hold.CustomerId, hold.Currency, ct)).Id;
        await unitOfWork.RunAsync(
            async () =>
            {
                var tracked = await db
                    .ReserveHolds.FromSqlInterpolated($"SELECT * FROM reserve_holds WHERE id = {holdId} FOR UPDATE")
                    .SingleAsync(ct);
                var now = clock.GetUtcNow();
                if (
                    tracked.Status != ReserveHoldStatus.Held
                    || tracked.HeldUntil > await platformClock.NowAsync(tracked.PlatformId, ct)
                )
                {
                    return;
                }

                var held = LedgerAccounts.ReserveHeld(tracked.PlatformId);
                var transfers = new List<LedgerTransfer>();
                var recovered = await debts.RecoverAsync(
                    tracked.PlatformId,
                    tracked.CustomerId,
                    tracked.Currency,
                    tracked.AmountMinor,
                    held,
                    tracked.OrderId,
                    transfers,
                    ct
                );
                if (tracked.AmountMinor > recovered)
                {
                    transfers.Add(
                        new LedgerTransfer(
                            tracked.PlatformId,
                            held,
                            LedgerAccounts.Wallet(walletId),
                            new Money(tracked.AmountMinor - recovered, Currency.Of(tracked.Currency)),
                            TransferKind.ReserveFree,
                            tracked.Id,
                            tracked.OrderId,
                            now
                        )
                    );
                }

                tracked.Free(walletId, now);
                await ledger.PostAsync(transfers, ct);
                events.Add(tracked.PlatformId, FreedEvent, tracked.Id, ReserveHoldResponse.From(tracked));
            },
            ct
        );
    }
}

/// <summary>
/// Frees the rolling reserve's holds whose days have passed by their platform's clock (a sandbox clock advance wakes
/// it, as it wakes every deadline job).
/// </summary>
public sealed class RollingReserveJob(
    TruustDbContext db,
    SellerHoldbacks holdbacks,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "rolling-reserve";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new(
            "reserve_holds",
            "h",
            $"""
            h.status = {WireName.Of(ReserveHoldStatus.Held)}
            AND h.held_until <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "h.held_until"
        )
        {
            Joins = PlatformClockSql.Join("h.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => holdbacks.FreeAsync(id, ct);
}

/// <summary>Part of a release the rolling reserve keeps back, and when it is freed.</summary>
public sealed record ReserveHoldResponse(
    string Id,
    string CustomerId,
    string OrderId,
    string PayoutId,
    ReserveHoldStatus Status,
    long Amount,
    string Currency,
    DateTimeOffset HeldUntil,
    string? WalletId,
    DateTimeOffset? FreedAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "reserve_hold";

    public static ReserveHoldResponse From(ReserveHold h) =>
        new(
            h.Id,
            h.CustomerId,
            h.OrderId,
            h.PayoutId,
            h.Status,
            h.AmountMinor,
            h.Currency,
            h.HeldUntil,
            h.WalletId,
            h.FreedAt
        );
}

public sealed class ReserveHoldConfiguration : IEntityTypeConfiguration<ReserveHold>
{
    public void Configure(EntityTypeBuilder<ReserveHold> b)
    {
        b.HasKey(h => h.Id);
        b.HasClaimLease();
        b.HasIndex(h => h.HeldUntil)
            .HasFilter($"status = '{WireName.Of(ReserveHoldStatus.Held)}'")
            .HasDatabaseName("ix_reserve_holds_held");
        b.HasIndex(h => h.OrderId);
        b.ToTable(t => t.HasCheckConstraint("ck_reserve_holds_amount_positive", "amount_minor > 0"));
    }
}
