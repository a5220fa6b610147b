using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>Follows ACCOUNT payouts in transit until the bank settles or returns them.</summary>
public sealed class SettlementJob(
    TruustDbContext db,
    PayoutService payouts,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "settlement";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new ClaimQuery(
            "payouts",
            "p",
            $"""
            p.status = {WireName.Of(PayoutStatus.InTransit)}
            AND p.settles_at <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "p.settles_at"
        )
        {
            Joins = PlatformClockSql.Join("p.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => payouts.CheckSettlementAsync(id, ct);
}
