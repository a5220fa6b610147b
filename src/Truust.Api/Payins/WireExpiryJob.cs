using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>Expires bank-wire payins whose deadline passed with no matching wire.</summary>
public sealed class WireExpiryJob(
    TruustDbContext db,
    WireRail wires,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "wire-expiry";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new ClaimQuery(
            "payins",
            "p",
            $"""
            p.status = {WireName.Of(PayinStatus.Pending)} AND p.type = {WireName.Of(PayinType.Bankwire)}
            AND p.expires_at <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "p.expires_at"
        )
        {
            Joins = PlatformClockSql.Join("p.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => wires.ExpireAsync(id, ct);
}
