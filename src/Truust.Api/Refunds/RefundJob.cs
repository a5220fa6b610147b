using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Refunds;

/// <summary>Retries card and wire refunds until their rail confirms them.</summary>
public sealed class RefundJob(
    TruustDbContext db,
    RefundService refunds,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "refunds";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new ClaimQuery("refunds", "r", $"r.status = {WireName.Of(RefundStatus.Pending)}", "r.next_attempt_at");

    protected override Task HandleAsync(string id, CancellationToken ct) => refunds.ExecuteAsync(id, ct);
}
