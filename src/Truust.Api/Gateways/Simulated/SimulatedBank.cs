using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Domain;

namespace Truust.Api.Gateways.Simulated;

public sealed class SimulatedBankOptions
{
    /// <summary>How long an accepted transfer takes to settle (24–72 h at real banks).</summary>
    public int SettlementHours { get; set; } = 48;
}

/// <summary>
/// A bank that accepts outgoing transfers and settles them after a delay, with magic account numbers that make
/// it refuse a transfer up front or return it after accepting it. Idempotent on the reference.
/// </summary>
public sealed class SimulatedBank(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<SimulatedBankOptions> options
) : IBankGateway
{
    /// <summary>An IBAN whose account number ends in these digits is refused up front (account closed).</summary>
    public const string RefusedSuffix = "0000000666";

    /// <summary>An IBAN whose account number ends in these digits is accepted, then returned at settlement.</summary>
    public const string ReturnedSuffix = "0000000777";

    public async Task<BankTransfer> SubmitTransferAsync(
        string reference,
        string iban,
        Money amount,
        DateTimeOffset asOf,
        CancellationToken ct
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var existing = await db.BankTransfers.FirstOrDefaultAsync(t => t.Reference == reference, ct);
        if (existing is null)
        {
            var now = asOf;
            var refused = iban.EndsWith(RefusedSuffix, StringComparison.Ordinal);
            existing = new SimulatedBankTransfer
            {
                Reference = reference,
                Iban = iban,
                AmountMinor = amount.AmountMinor,
                Currency = amount.Currency.Code,
                Status = refused ? "REFUSED" : "ACCEPTED",
                Reason = refused ? "account_closed: the beneficiary's account is closed" : null,
                SettlesAt = now.AddHours(options.Value.SettlementHours),
                CreatedAt = now,
            };
            db.BankTransfers.Add(existing);
            await db.SaveChangesAsync(ct);
        }

        return ToTransfer(existing);
    }

    public async Task<BankTransfer> GetTransferAsync(string reference, DateTimeOffset asOf, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var transfer = await FindAsync(db, reference, ct);
        if (transfer.Status == "ACCEPTED" && asOf >= transfer.SettlesAt)
        {
            var returned = transfer.Iban.EndsWith(ReturnedSuffix, StringComparison.Ordinal);
            await DecideAsync(
                db,
                reference,
                returned ? "RETURNED" : "SETTLED",
                returned ? "beneficiary_bank_returned: account frozen" : null,
                transfer.SettlesAt,
                ct
            );
            transfer = await FindAsync(db, reference, ct);
        }

        return ToTransfer(transfer);
    }

    /// <summary>
    /// Sandbox: settles (or returns) an accepted transfer now instead of after the delay. True when this call
    /// decided the outcome; false when the transfer had already been settled, returned or refused (by an earlier
    /// call, a concurrent one, or the settlement delay), which is then left as it is.
    /// </summary>
    public async Task<bool> ForceOutcomeAsync(string reference, bool settle, string? reason, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        await FindAsync(db, reference, ct);
        return await DecideAsync(
                db,
                reference,
                settle ? "SETTLED" : "RETURNED",
                settle ? null : reason ?? "beneficiary_bank_returned",
                clock.GetUtcNow(),
                ct
            ) == 1;
    }

    /// <summary>
    /// Moves an ACCEPTED transfer to its outcome in one guarded statement: of two concurrent decisions (a sandbox
    /// settle and fail, or either and the settlement delay) the row lock lets exactly one through, and the other
    /// changes nothing. A read-then-save would let the second overwrite the first after Truust acted on it.
    /// </summary>
    private static Task<int> DecideAsync(
        SimulatorDbContext db,
        string reference,
        string status,
        string? reason,
        DateTimeOffset settledAt,
        CancellationToken ct
    ) =>
        db
            .BankTransfers.Where(t => t.Reference == reference && t.Status == "ACCEPTED")
            .ExecuteUpdateAsync(
                set =>
                    set.SetProperty(t => t.Status, status)
                        .SetProperty(t => t.Reason, reason)
                        .SetProperty(t => t.SettlesAt, settledAt),
                ct
            );

    private static async Task<SimulatedBankTransfer> FindAsync(
        SimulatorDbContext db,
        string reference,
        CancellationToken ct
    ) =>
        await db.BankTransfers.AsNoTracking().FirstOrDefaultAsync(t => t.Reference == reference, ct)
        ?? throw new InvalidOperationException($"The bank has no transfer '{reference}'.");

    private static BankTransfer ToTransfer(SimulatedBankTransfer t) =>
        new(t.Reference, Enum.Parse<BankTransferStatus>(t.Status, ignoreCase: true), t.Reason, t.SettlesAt);
}
