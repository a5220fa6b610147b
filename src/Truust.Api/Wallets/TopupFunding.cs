using Truust.Api.Ledger;
using Truust.Api.Payins;
using Truust.Domain.Ledger;
using Truust.Domain.Payments;

namespace Truust.Api.Wallets;

/// <summary>
/// A top-up: a card or wire payin whose money goes to a wallet once confirmed. The wallet's balance row is locked
/// by the ledger when it is credited, so there is nothing to lock first, and nothing waits on a failed top-up.
/// </summary>
public sealed class TopupFunding(LedgerService ledger, TimeProvider clock) : IPayinFunding
{
    public bool Funds(Payin payin) => payin.Purpose == PayinPurpose.Topup;

    public Task LockAsync(Payin payin, CancellationToken ct) => Task.CompletedTask;

    public async Task FundAsync(Payin payin, string source, CancellationToken ct) =>
        await ledger.PostAsync(
            [
                new LedgerTransfer(
                    payin.PlatformId,
                    source,
                    LedgerAccounts.Wallet(payin.TargetWalletId!),
                    payin.Amount,
                    TransferKind.Topup,
                    payin.Id,
                    null,
                    clock.GetUtcNow()
                ),
            ],
            ct
        );

    public Task FailAsync(Payin payin, CancellationToken ct) => Task.CompletedTask;
}
