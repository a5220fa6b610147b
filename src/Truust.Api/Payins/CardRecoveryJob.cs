using Microsoft.Extensions.Options;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// Resolves card payins left PROCESSING past their lease (the request that charged the card died, or the processor
/// never answered it) by asking the processor what happened to that charge, and records the outcome exactly once.
/// </summary>
public sealed class CardRecoveryJob(
    TruustDbContext db,
    CardRail cards,
    TimeProvider clock,
    IOptions<WorkerOptions> options
) : LeasedJob(db, clock, options)
{
    public override string Name => "card-recovery";

    protected override ClaimQuery Due(DateTimeOffset now) =>
        new ClaimQuery(
            "payins",
            "p",
            $"p.status = {WireName.Of(PayinStatus.Processing)} AND p.type = {WireName.Of(PayinType.Addon)}",
            "p.next_attempt_at"
        );

    protected override Task HandleAsync(string id, CancellationToken ct) => cards.ResolveAsync(id, ct);
}
