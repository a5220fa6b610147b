using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// Validates delivered milestones whose inspection window ended, on their platform's clock, while their order lets
/// milestones be released (PENDING_VALIDATE, no dispute open): actor <c>system</c>, the milestone's money released to
/// the seller's wallet in that commit, as when the platform validates it. A milestone delivered before the seller
/// said where to be paid waits until then.
/// </summary>
public sealed class MilestoneInspectionJob(
    TruustDbContext db,
    MilestoneService milestones,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "milestone-inspection";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new(
            "order_milestones",
            "m",
            $"""
            m.status = {WireName.Of(MilestoneStatus.Delivered)}
            AND m.inspection_ends_at <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            AND o.status = {WireName.Of(OrderStatus.PendingValidate)} AND o.open_dispute_id IS NULL
            """,
            "m.inspection_ends_at"
        )
        {
            Joins = "JOIN orders o ON o.id = m.order_id " + PlatformClockSql.Join("m.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) => milestones.AutoValidateAsync(id, ct);
}
