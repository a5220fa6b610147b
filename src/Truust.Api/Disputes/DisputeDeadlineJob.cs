using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Disputes;

namespace Truust.Api.Disputes;

/// <summary>
/// Settles disputes whose awaited party let its deadline pass: the release policy's silence rule decides the refund
/// (<see cref="Dispute.OnSilence"/>), actor <c>system</c>. Each dispute is due by its platform's clock (a sandbox
/// advance fires it).
/// </summary>
public sealed class DisputeDeadlineJob(
    TruustDbContext db,
    DisputeService disputes,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "dispute-deadlines";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new(
            "disputes",
            "d",
            $"""
            d.status IN ({WireName.Of(DisputeStatus.AwaitingSeller)}, {WireName.Of(DisputeStatus.AwaitingBuyer)})
            AND d.deadline_at <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "d.deadline_at"
        )
        {
            Joins = PlatformClockSql.Join("d.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => disputes.ExpireAsync(id, ct);
}
