using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

/// <summary>
/// Money moving between wallets (one transfer or an all-or-nothing batch) and out of them (withdrawals to a
/// bank account), and a wallet's history with its running balance.
/// </summary>
public sealed class WalletFlowService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    LedgerService ledger,
    EventOutbox events,
    PayinService payins,
    BankSubmission submission,
    SellerDebts debts,
    TimeProvider clock
)
{
    // Compiled once: every transfer reads its wallets, and EF Core would otherwise walk and look up the query's
    // expression tree on every call.
    private static readonly Func<TruustDbContext, string[], string, IAsyncEnumerable<Wallet>> WalletsOf =
        EF.CompileAsyncQuery(
            (TruustDbContext db, string[] ids, string platformId) =>
                db.Wallets.AsNoTracking().Where(w => ids.Contains(w.Id) && w.PlatformId == platformId)
        );

    public async Task<TransferResponse> TransferAsync(
        Caller caller,
        CreateTransferRequest request,
        CancellationToken ct
    )
    {
        var batch = await MoveAsync(
            caller,
            [new Leg(request.FromWalletId!, request.ToWalletId!, request.Amount!.Value)],
            request.Description,
            batchId: null,
            ct
        );
        return batch[0];
    }

    public async Task<TransferBatchResponse> BatchAsync(
        Caller caller,
        CreateTransferBatchRequest request,
        CancellationToken ct
    )
    {
        var batchId = Ids.New("trb");
        var legs = request.Legs!.Select(l => new Leg(l.FromWalletId!, l.ToWalletId!, l.Amount!.Value)).ToList();
        var transfers = await MoveAsync(caller, legs, request.Description, batchId, ct);
        return new TransferBatchResponse(batchId, transfers.Count, transfers);
    }

    /// <summary>
    /// Applies every leg in one transaction: the ledger locks the touched wallets in ascending id order (so
    /// concurrent batches cannot deadlock) and refuses any wallet that would go negative, and then no leg is kept.
    /// Legs are netted per wallet: a batch is one atomic movement, not a sequence.
    /// </summary>
    private async Task<IReadOnlyList<TransferResponse>> MoveAsync(
        Caller caller,
        IReadOnlyList<Leg> legs,
        string? description,
        string? batchId,
        CancellationToken ct
    )
    {
        var platformId = caller.RequirePlatform();
        var ids = legs.SelectMany(l => new[] { l.FromWalletId, l.ToWalletId }).Distinct().ToArray();
        var now = clock.GetUtcNow();
        List<WalletTransfer> transfers = [];
        // The wallets are read inside the unit: one transaction (one commit) per transfer instead of a read of its own
        // first. A refusal (unknown wallet, currencies differ, bad amount) leaves the unit without a change and is
        // thrown after it, so it never dooms a request transaction.
        var refusal = await unitOfWork.RunAsync(
            async () =>
            {
                var wallets = new Dictionary<string, Wallet>(ids.Length);
                await foreach (var wallet in WalletsOf(db, ids, platformId).WithCancellation(ct))
                {
                    wallets[wallet.Id] = wallet;
                }

                try
                {
                    transfers = Build(wallets);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }

                db.WalletTransfers.AddRange(transfers);
                await ledger.PostAsync(
                    transfers
                        .Select(t => new LedgerTransfer(
                            platformId,
                            LedgerAccounts.Wallet(t.FromWalletId),
                            LedgerAccounts.Wallet(t.ToWalletId),
                            new Money(t.AmountMinor, Currency.Of(t.Currency)),
                            TransferKind.WalletTransfer,
                            t.Id,
                            null,
                            now
                        ))
                        .ToList(),
                    ct
                );
                foreach (var transfer in transfers)
                {
                    events.Add(platformId, "transfer.created", transfer.Id, TransferResponse.From(transfer));
                }

                return null;
            },
            ct
        );
        refusal?.Throw();
        return transfers.Select(TransferResponse.From).ToList();

        List<WalletTransfer> Build(Dictionary<string, Wallet> wallets)
        {
            var built = new List<WalletTransfer>(legs.Count);
            for (var i = 0; i < legs.Count; i++)
            {
                var leg = legs[i];
                var prefix = batchId is null ? string.Empty : $"legs[{i}].";
                if (!wallets.TryGetValue(leg.FromWalletId, out var from))
                {
                    throw new NotFoundException("wallet", leg.FromWalletId);
                }

                if (!wallets.TryGetValue(leg.ToWalletId, out var to))
                {
                    throw new NotFoundException("wallet", leg.ToWalletId);
                }

                if (from.Currency != to.Currency)
                {
                    throw new BusinessRuleException(
                        "currency_mismatch",
                        $"Wallet {from.Id} holds {from.Currency} and wallet {to.Id} holds {to.Currency}.",
                        prefix + "to_wallet_id"
                    );
                }

                built.Add(
                    new WalletTransfer(
                        platformId,
                        from.Id,
                        to.Id,
                        Money.Positive(leg.AmountMinor, from.Currency, prefix + "amount"),
                        description,
                        batchId,
                        now
                    )
                );
            }

            return built;
        }
    }

    /// <summary>A top-up: a card or wire payin whose money goes to the wallet once confirmed
    /// (<see cref="TopupFunding"/>).</summary>
    public async Task<PayinResponse> TopupAsync(
        Caller caller,
        string walletId,
        PayinType type,
        long amountMinor,
        CancellationToken ct
    )
    {
        var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == walletId, ct);
        if (wallet is null || !caller.CanSee(wallet.PlatformId))
        {
            throw new NotFoundException("wallet", walletId);
        }

        if (type == PayinType.Wallet)
        {
            throw new BusinessRuleException(
                "invalid_topup_type",
                "A wallet is topped up by ADDON (card) or BANKWIRE.",
                "type"
            );
        }

        var payin = new Payin(
            wallet.PlatformId,
            PayinPurpose.Topup,
            type,
            Money.Positive(amountMinor, wallet.Currency),
            clock.GetUtcNow()
        )
        {
            TargetWalletId = wallet.Id,
            PayerId = wallet.CustomerId,
        };
        await unitOfWork.RunAsync(() => payins.AddAsync(payin, ct), ct);
        return payins.ToResponse(payin);
    }

    /// <summary>A withdrawal the caller asks for, from a customer's wallet it may see.</summary>
    public async Task<PayoutResponse> WithdrawAsync(
        Caller caller,
        string walletId,
        CreateWithdrawalRequest request,
        CancellationToken ct
    )
    {
        var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == walletId, ct);
        if (wallet is null || !caller.CanSee(wallet.PlatformId) || wallet.CustomerId is null)
        {
            throw new NotFoundException("wallet", walletId);
        }

        return await WithdrawAsync(wallet, request.BankaccountId!, request.Amount!.Value, ct);
    }

    /// <summary>
    /// A withdrawal from a customer's <paramref name="wallet"/> to one of the owner's bank accounts. The wallet is
    /// debited first (reserving the money), then the bank is called outside any transaction; a refusal puts the
    /// money back with a reversing transfer.
    /// </summary>
    public async Task<PayoutResponse> WithdrawAsync(
        Wallet wallet,
        string bankAccountId,
        long amountMinor,
        CancellationToken ct
    )
    {
        var account = await db.BankAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == bankAccountId, ct);
        if (account is null || account.PlatformId != wallet.PlatformId)
        {
            throw new NotFoundException("bank_account", bankAccountId);
        }

        if (account.CustomerId != wallet.CustomerId)
        {
            throw new BusinessRuleException(
                "destination_not_owners",
                "A withdrawal goes to a bank account of the wallet's owner.",
                "bankaccount_id"
            );
        }

        var amount = Money.Positive(amountMinor, wallet.Currency);
        var payout = await unitOfWork.RunAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var payout = new Payout(
                    wallet.PlatformId,
                    wallet.CustomerId!,
                    PayoutType.Account,
                    amount,
                    account.Id,
                    null,
                    now
                )
                {
                    SourceWalletId = wallet.Id,
                    NextAttemptAt = now,
                };
                payout.MarkSubmitting(account.Iban, now);
                // Leased to this request: if it dies before the bank answers, the release worker resumes it after this.
                payout.NextAttemptAt = now.AddMinutes(1);
                db.Payouts.Add(payout);
                // The owner's debts to the platform's reserve are repaid first, in the same posting (ADR 0012).
                var transfers = new List<LedgerTransfer>();
                await debts.RecoverBeforeWithdrawalAsync(wallet, amount.AmountMinor, transfers, ct);
                transfers.Add(
                    new LedgerTransfer(
                        wallet.PlatformId,
                        LedgerAccounts.Wallet(wallet.Id),
                        LedgerAccounts.BankPayoutRail,
                        amount,
                        TransferKind.Withdrawal,
                        payout.Id,
                        null,
                        now
                    )
                );
                await ledger.PostAsync(transfers, ct);
                events.PayoutChanged(payout);
                return payout;
            },
            ct
        );

        await SubmitWithdrawalAsync(payout.Id, ct);
        return PayoutResponse.From(await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payout.Id, ct));
    }

    /// <summary>
    /// Hands a SUBMITTING withdrawal to the bank and records the answer: in transit, or refused with the money put
    /// back in the wallet by a reversing transfer. A bank that cannot be reached leaves it SUBMITTING; the release
    /// worker resumes it when its lease ends.
    /// </summary>
    public Task SubmitWithdrawalAsync(string payoutId, CancellationToken ct) =>
        submission.SubmitAsync(new BankWithdrawal(db, ledger, payoutId), ct);

    /// <summary>One leg of a transfer batch, as the caller asked for it.</summary>
    private sealed record Leg(string FromWalletId, string ToWalletId, long AmountMinor);

    /// <summary>A withdrawal through the bank: the wallet was debited when it was asked for, so the intent is already
    /// SUBMITTING; a refusal puts the money back.</summary>
    private sealed class BankWithdrawal(TruustDbContext db, LedgerService ledger, string payoutId) : IBankPayment
    {
        public async Task<Payout> LockAsync(CancellationToken ct) => await Locks.Payout(db, payoutId).SingleAsync(ct);

        public Task<bool> BeginAsync(Payout payout, CancellationToken ct) =>
            Task.FromResult(payout.SourceWalletId is not null);

        public Task AcceptedAsync(Payout payout, DateTimeOffset now, CancellationToken ct) => Task.CompletedTask;

        public async Task RefusedAsync(Payout payout, DateTimeOffset now, CancellationToken ct) =>
            await ledger.PostAsync(
                [
                    new LedgerTransfer(
                        payout.PlatformId,
                        LedgerAccounts.BankPayoutRail,
                        LedgerAccounts.Wallet(payout.SourceWalletId!),
                        new Money(payout.AmountMinor, Currency.Of(payout.Currency)),
                        TransferKind.PayoutReturn,
                        payout.Id,
                        null,
                        now
                    ),
                ],
                ct
            );
    }
}
