using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Payouts;

/// <summary>
/// Sellers' debts to the platform's reserve (ADR 0012): recorded by a refund after release, recovered from the
/// seller's next releases, freed reserve holds and withdrawals. A recovery locks the seller's open debts (after the
/// order, before any wallet: the lock order) so two releases of one seller never recover the same debt twice.
/// </summary>
public sealed class SellerDebts(TruustDbContext db, PlatformReserve reserve, EventOutbox events, TimeProvider clock)
{
    public const string CreatedEvent = "seller_debt.created";
    public const string RecoveredEvent = "seller_debt.recovered";

    /// <summary>Records a new debt, inside the caller's unit of work.</summary>
    public SellerDebt Record(string platformId, string customerId, Money amount, string orderId, string refundId)
    {
        var debt = new SellerDebt(platformId, customerId, amount, orderId, refundId, clock.GetUtcNow());
        db.SellerDebts.Add(debt);
        events.Add(platformId, CreatedEvent, debt.Id, SellerDebtResponse.From(debt));
        return debt;
    }

    /// <summary>
    /// Inside the caller's transaction: takes up to <paramref name="availableMinor"/> out of
    /// <paramref name="sourceAccount"/> towards the seller's open debts in that currency, oldest first, adding one
    /// transfer to the reserve per debt to <paramref name="transfers"/> (the caller posts them). Returns what it took.
    /// </summary>
    public async Task<long> RecoverAsync(
        string platformId,
        string customerId,
        string currency,
        long availableMinor,
        string sourceAccount,
        string? orderId,
        List<LedgerTransfer> transfers,
        CancellationToken ct
    )
    {
        if (availableMinor <= 0)
        {
            return 0;
        }

        var open = await LockOpenAsync(platformId, customerId, currency, ct);
        if (open.Count == 0)
        {
            return 0;
        }

        var reserveWallet = await reserve.GetOrCreateWalletAsync(platformId, currency, ct);
        var now = clock.GetUtcNow();
        var taken = 0L;
        foreach (var debt in open)
        {
            // A debt a bank release in flight reserved in full gives nothing; a later one may.
            var part = debt.Recover(availableMinor - taken, now);
            if (part == 0)
            {
                continue;
            }

            taken += part;
            transfers.Add(
                new LedgerTransfer(
                    platformId,
                    sourceAccount,
                    LedgerAccounts.Wallet(reserveWallet.Id),
                    new Money(part, Currency.Of(currency)),
                    TransferKind.DebtRepayment,
                    debt.Id,
                    orderId,
                    now
                )
            );
            events.Add(platformId, RecoveredEvent, debt.Id, SellerDebtResponse.From(debt));
        }

        return taken;
    }

    /// <summary>
    /// At a bank release's intent, under the order's lock: reserves up to <paramref name="availableMinor"/> of the
    /// seller's open debts in that currency, oldest first, so no other recovery takes it while the bank decides.
    /// Returns what it reserved (the payout records it: <see cref="Payout.DebtRecoveryMinor"/>).
    /// </summary>
    public async Task<long> ReserveAsync(
        string platformId,
        string customerId,
        string currency,
        long availableMinor,
        CancellationToken ct
    )
    {
        if (availableMinor <= 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var reserved = 0L;
        foreach (var debt in await LockOpenAsync(platformId, customerId, currency, ct))
        {
            reserved += debt.Reserve(availableMinor - reserved, now);
        }

        return reserved;
    }

    /// <summary>
    /// When the bank answers a bank release that reserved <paramref name="reservedMinor"/>: accepted, the reservation
    /// is recovered out of <paramref name="sourceAccount"/> (one transfer to the reserve per debt, added to
    /// <paramref name="transfers"/>); refused, it is given back and the debts are outstanding again. Reservations are
    /// ended oldest debt first: which pending payout reserved which debt does not matter, only that together they
    /// never count more than is owed.
    /// </summary>
    public async Task EndReservationAsync(
        string platformId,
        string customerId,
        string currency,
        long reservedMinor,
        bool recovered,
        string sourceAccount,
        string? orderId,
        List<LedgerTransfer> transfers,
        CancellationToken ct
    )
    {
        if (reservedMinor == 0)
        {
            return;
        }

        var open = await LockOpenAsync(platformId, customerId, currency, ct);
        var reserveWallet = recovered ? await reserve.GetOrCreateWalletAsync(platformId, currency, ct) : null;
        var now = clock.GetUtcNow();
        var ended = 0L;
        foreach (var debt in open)
        {
            var part = debt.EndReservation(reservedMinor - ended, recovered, now);
            if (part == 0)
            {
                continue;
            }

            ended += part;
            if (reserveWallet is not null)
            {
                transfers.Add(
                    new LedgerTransfer(
                        platformId,
                        sourceAccount,
                        LedgerAccounts.Wallet(reserveWallet.Id),
                        new Money(part, Currency.Of(currency)),
                        TransferKind.DebtRepayment,
                        debt.Id,
                        orderId,
                        now
                    )
                );
                events.Add(platformId, RecoveredEvent, debt.Id, SellerDebtResponse.From(debt));
            }
        }

        if (ended != reservedMinor)
        {
            throw new InvalidOperationException(
                $"Seller {customerId}'s open debts hold {ended} of the {reservedMinor} reserved by a bank release."
            );
        }
    }

    /// <summary>
    /// Inside a withdrawal's transaction, before its own transfer: the seller's open debts are repaid out of the
    /// wallet first, and the withdrawal must fit in what is left (else 422 <c>insufficient_funds</c>, nothing
    /// changed). Adds the repayments to <paramref name="transfers"/>.
    /// </summary>
    public async Task RecoverBeforeWithdrawalAsync(
        Wallet wallet,
        long withdrawalMinor,
        List<LedgerTransfer> transfers,
        CancellationToken ct
    )
    {
        if (wallet.CustomerId is null)
        {
            return;
        }

        // What bank releases in flight reserved is theirs to recover, not the withdrawal's.
        var outstanding = (await LockOpenAsync(wallet.PlatformId, wallet.CustomerId, wallet.Currency, ct)).Sum(d =>
            d.UnreservedMinor
        );
        if (outstanding == 0)
        {
            return;
        }

        // Locked after the debts (the lock order), so the balance cannot change before the posting.
        await Locks.WalletAsync(db, wallet.Id, ct);
        var balance = await db
            .Wallets.AsNoTracking()
            .Where(w => w.Id == wallet.Id)
            .Select(w => w.BalanceMinor)
            .SingleAsync(ct);
        var repaid = Math.Min(outstanding, balance);
        if (balance - repaid < withdrawalMinor)
        {
            throw new BusinessRuleException(
                "insufficient_funds",
                $"Wallet {wallet.Id} holds {balance} minor units and its owner owes {outstanding} to the platform's "
                    + $"reserve, which is repaid first; {balance - repaid} are left for a withdrawal of "
                    + $"{withdrawalMinor}.",
                "amount"
            );
        }

        await RecoverAsync(
            wallet.PlatformId,
            wallet.CustomerId,
            wallet.Currency,
            repaid,
            LedgerAccounts.Wallet(wallet.Id),
            null,
            transfers,
            ct
        );
    }

    private Task<List<SellerDebt>> LockOpenAsync(
        string platformId,
        string customerId,
        string currency,
        CancellationToken ct
    ) =>
        db
            .SellerDebts.FromSqlInterpolated(
                $"""
                SELECT * FROM seller_debts
                WHERE platform_id = {platformId} AND customer_id = {customerId} AND currency = {currency}
                  AND status = {WireName.Of(SellerDebtStatus.Open)}
                ORDER BY id FOR UPDATE
                """
            )
            .ToListAsync(ct);

    public async Task<Page<SellerDebtResponse>> ListAsync(
        Caller caller,
        string customerId,
        PageQuery page,
        CancellationToken ct
    ) =>
        await Paging.PageAsync(
            db.SellerDebts.Where(d => d.CustomerId == customerId && d.PlatformId == caller.RequirePlatform()),
            page,
            SellerDebtResponse.From,
            ct
        );
}

/// <summary>A seller's debts.</summary>
[Route("v1/customers/{id}/debts")]
public sealed class SellerDebtsController(SellerDebts debts, CustomerService customers) : ApiControllerBase
{
    /// <summary>
    /// What the customer, as a seller, owes the platform's reserve after refunds after release, newest first: each
    /// debt with what was recovered from their later releases and withdrawals.
    /// </summary>
    [HttpGet]
    public async Task<Page<SellerDebtResponse>> List(string id, [FromQuery] PageQuery page, CancellationToken ct)
    {
        var customer = await customers.FindAsync(Caller, id, ct);
        return await debts.ListAsync(Caller, customer.Id, page, ct);
    }
}

/// <summary>
/// A seller's debt to the platform's reserve. <c>reserved</c> is the part of <c>outstanding</c> that releases to the
/// seller's bank account, handed to the bank and not yet answered, will recover (given back if the bank refuses).
/// </summary>
public sealed record SellerDebtResponse(
    string Id,
    string CustomerId,
    string OrderId,
    string RefundId,
    SellerDebtStatus Status,
    long Amount,
    long Recovered,
    long Outstanding,
    long Reserved,
    string Currency,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SettledAt
)
{
    [JsonPropertyOrder(-1)]
    public string Object => "seller_debt";

    public static SellerDebtResponse From(SellerDebt d) =>
        new(
            d.Id,
            d.CustomerId,
            d.OrderId,
            d.RefundId,
            d.Status,
            d.AmountMinor,
            d.RecoveredMinor,
            d.OutstandingMinor,
            d.ReservedMinor,
            d.Currency,
            d.CreatedAt,
            d.SettledAt
        );
}

public sealed class SellerDebtConfiguration : IEntityTypeConfiguration<SellerDebt>
{
    public void Configure(EntityTypeBuilder<SellerDebt> b)
    {
        b.HasKey(d => d.Id);
        b.Ignore(d => d.OutstandingMinor);
        b.Ignore(d => d.UnreservedMinor);
        b.HasIndex(d => new
            {
                d.PlatformId,
                d.CustomerId,
                d.Currency,
            })
            .HasFilter($"status = '{WireName.Of(SellerDebtStatus.Open)}'")
            .HasDatabaseName("ix_seller_debts_open");
        b.HasIndex(d => new { d.CustomerId, d.Id });
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_seller_debts_amount_positive", "amount_minor > 0");
            // Without it a recovery could take more than was owed, and the reserve would gain money from nowhere.
            t.HasCheckConstraint(
                "ck_seller_debts_recovered_within_amount",
                "recovered_minor >= 0 AND recovered_minor <= amount_minor"
            );
            // Nor could two bank releases in flight reserve more than is still owed.
            t.HasCheckConstraint(
                "ck_seller_debts_reserved_within_outstanding",
                "reserved_minor >= 0 AND recovered_minor + reserved_minor <= amount_minor"
            );
        });
    }
}
