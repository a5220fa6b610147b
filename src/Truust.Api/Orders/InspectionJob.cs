using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

/// <summary>
/// Validates delivered orders whose inspection window ended with no dispute open, when their release policy says
/// the window's end validates (<c>auto_validate</c>): actor <c>system</c>, the history saying why; the release
/// worker then pays out as after any validation. The window ends by the order's platform's clock (a sandbox advance
/// fires it).
/// </summary>
public sealed class InspectionJob(
    TruustDbContext db,
    OrderService orders,
    UnitOfWork unitOfWork,
    WorkerSignals signals,
    PlatformClock platformClock,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "inspection";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new(
            "orders",
            "o",
            $"""
            o.status = {WireName.Of(OrderStatus.PendingValidate)} AND o.auto_validate
            AND o.open_dispute_id IS NULL
            AND o.inspection_ends_at <= {now} + clock_platform.clock_offset_seconds * interval '1 second'
            """,
            "o.inspection_ends_at"
        )
        {
            Joins = PlatformClockSql.Join("o.platform_id"),
        };

    protected override Task HandleAsync(string id, CancellationToken ct) =>
        unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(id, ct);
                var now = await platformClock.NowAsync(order.PlatformId, ct);
                // Checked again under the lock: a dispute or a validation may have come first.
                if (
                    order.Status != OrderStatus.PendingValidate
                    || !order.AutoValidate
                    || order.OpenDisputeId is not null
                    || order.InspectionEndsAt is not { } endsAt
                    || endsAt > now
                )
                {
                    return;
                }

                orders.Apply(
                    order,
                    OrderTrigger.Validate,
                    OrderActor.System,
                    $"inspection window ended at {endsAt:yyyy-MM-ddTHH:mm:ssZ} with no dispute"
                );
                unitOfWork.WakeAfterCommit(signals.Release);
            },
            ct
        );
}
