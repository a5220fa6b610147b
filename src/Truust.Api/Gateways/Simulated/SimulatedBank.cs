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
        CancellationToken ct
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var existing = await db.BankTransfers.FirstOrDefaultAsync(t => t.Reference == reference, ct);
        if (existing is null)
        {
            var now = clock.GetUtcNow();
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

    public async Task<BankTransfer> GetTransferAsync(string reference, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var transfer =
            await db.BankTransfers.FirstOrDefaultAsync(t => t.Reference == reference, ct)
            ?? throw new InvalidOperationException($"The bank has no transfer '{reference}'.");
        if (transfer.Status == "ACCEPTED" && clock.GetUtcNow() >= transfer.SettlesAt)
        {
            var returned = transfer.Iban.EndsWith(ReturnedSuffix, StringComparison.Ordinal);
            transfer.Status = returned ? "RETURNED" : "SETTLED";
            transfer.Reason = returned ? "beneficiary_bank_returned: account frozen" : null;
            await db.SaveChangesAsync(ct);
        }

        return ToTransfer(transfer);
    }

    /// <summary>Sandbox: settles (or returns) an accepted transfer now instead of after the delay.</summary>
    public async Task ForceOutcomeAsync(string reference, bool settle, string? reason, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimulatorDbContext>();
        var transfer =
            await db.BankTransfers.FirstOrDefaultAsync(t => t.Reference == reference, ct)
            ?? throw new InvalidOperationException($"The bank has no transfer '{reference}'.");
        if (transfer.Status == "ACCEPTED")
        {
            transfer.Status = settle ? "SETTLED" : "RETURNED";
            transfer.Reason = settle ? null : reason ?? "beneficiary_bank_returned";
            transfer.SettlesAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
    }

    private static BankTransfer ToTransfer(SimulatedBankTransfer t) =>
        new(t.Reference, Enum.Parse<BankTransferStatus>(t.Status, ignoreCase: true), t.Reason, t.SettlesAt);
}
