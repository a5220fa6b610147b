using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Gateways;
using Truust.Api.Ledger;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Domain;
using Truust.Domain.Banking;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// The bank-wire rail: a wire payin carries a unique reference and a deadline; a wire arriving on the escrow account
/// with that reference and the exact amount confirms it; anything else is parked in suspense; a payin whose
/// deadline passes with no wire expires.
/// </summary>
public sealed class WireRail(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    PayinOutcomes outcomes,
    LedgerService ledger,
    IOptions<BankwireOptions> wireOptions,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    public const string UnmatchedWiresAccount = "suspense:unmatched_wires";

    /// <summary>A wire payin gets the unique reference the buyer writes on the transfer, and its deadline.</summary>
    public void Prepare(Payin payin)
    {
        payin.BankwireReference = "TRU-" + Ids.Secret(5).ToUpperInvariant();
        payin.ExpiresAt = payin.CreatedAt.AddHours(wireOptions.Value.ExpiryHours);
    }

    /// <summary>Where and how to send the wire, for a wire payin; null for any other.</summary>
    public BankwireInstructions? InstructionsFor(Payin payin) =>
        payin.Type == PayinType.Bankwire
            ? new BankwireInstructions(
                wireOptions.Value.EscrowIban,
                wireOptions.Value.EscrowBic,
                wireOptions.Value.Beneficiary,
                payin.BankwireReference!,
                payin.AmountMinor,
                payin.Currency,
                payin.ExpiresAt!.Value
            )
            : null;

    /// <summary>
    /// A wire arrived on the escrow account. The right reference and exact amount confirm its payin; anything else
    /// is recorded, parked in a suspense account (the money did arrive), and confirms nothing.
    /// </summary>
    public Task<IncomingWire> ReceiveAsync(
        string platformId,
        string senderIban,
        Money amount,
        string reference,
        CancellationToken ct
    ) =>
        unitOfWork.RunAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var wire = new IncomingWire
                {
                    Id = Ids.New("wire"),
                    PlatformId = platformId,
                    Reference = reference,
                    AmountMinor = amount.AmountMinor,
                    Currency = amount.Currency.Code,
                    SenderIban = senderIban,
                    Status = "UNKNOWN_REFERENCE",
                    ReceivedAt = now,
                };
                db.IncomingWires.Add(wire);

                var candidate = await db
                    .Payins.AsNoTracking()
                    .FirstOrDefaultAsync(p => p.BankwireReference == reference && p.PlatformId == platformId, ct);
                if (candidate is not null)
                {
                    wire.PayinId = candidate.Id;
                    var payin = await outcomes.LockAsync(candidate, ct);
                    if (!payin.IsOpen)
                    {
                        wire.Status = "PAYIN_CLOSED";
                    }
                    else if (payin.AmountMinor != amount.AmountMinor || payin.Currency != amount.Currency.Code)
                    {
                        wire.Status = "AMOUNT_MISMATCH";
                    }
                    else
                    {
                        wire.Status = "MATCHED";
                        await outcomes.SucceedAsync(payin, LedgerAccounts.BankwireRail, senderIban, ct);
                    }
                }

                if (wire.Status != "MATCHED")
                {
                    await ledger.PostAsync(
                        [
                            new LedgerTransfer(
                                platformId,
                                LedgerAccounts.BankwireRail,
                                UnmatchedWiresAccount,
                                amount,
                                TransferKind.Payin,
                                wire.Id,
                                null,
                                now
                            ),
                        ],
                        ct
                    );
                }

                return wire;
            },
            ct
        );

    /// <summary>An unpaid wire past its deadline: the payin expires and its target stops waiting (an order fails and
    /// can be paid again).</summary>
    public async Task ExpireAsync(string payinId, CancellationToken ct)
    {
        await unitOfWork.RunAsync(
            async () =>
            {
                var payin = await outcomes.LockAsync(payinId, ct);
                var now = await platformClock.NowAsync(payin.PlatformId, ct);
                if (payin.Status != PayinStatus.Pending || payin.ExpiresAt > now)
                {
                    return;
                }

                payin.Expire(now);
                await outcomes.FailedAsync(payin, ct);
            },
            ct
        );
    }
}
