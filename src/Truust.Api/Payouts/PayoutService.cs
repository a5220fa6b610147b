using Microsoft.EntityFrameworkCore;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Api.Telemetry;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

/// <summary>
/// Payouts: the seller says where to be paid (ACCEPTED → PENDING_VALIDATE); after validation the release
/// worker pays them. A WALLET payout is credited in one commit. An ACCOUNT payout goes through the
/// <see cref="BankSubmission"/> (intent, bank call, answer): the bank's answer moves the money out of escrow and
/// RELEASES the order, or BLOCKS its release with the reason.
/// </summary>
public sealed class PayoutService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    OrderQueries orderQueries,
    LedgerService ledger,
    WalletService wallets,
    EventOutbox events,
    IBankGateway bank,
    BankSubmission submission,
    ReleasePosting posting,
    SellerHoldbacks holdbacks,
    SellerDebts debts,
    TimeProvider clock,
    PlatformClock platformClock
)
{
    public async Task<PayoutResponse> CreateForOrderAsync(
        Caller caller,
        CreatePayoutRequest request,
        OrderActor actor,
        CancellationToken ct
    )
    {
        var payout = await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(caller, request.OrderId!, ct);
                order.EnsureCan(OrderTrigger.CreatePayout, actor);
                if (order.HasMilestones && request.Type == PayoutType.Account)
                {
                    // Each milestone is paid when it is validated, in that commit: to a wallet. (A bank payout per
                    // milestone would need its own bank submission; not built yet.)
                    throw new BusinessRuleException(
                        "milestones_pay_to_wallet",
                        "An order paid in milestones pays each milestone to the seller's wallet: use type WALLET.",
                        "type"
                    );
                }

                string? bankAccountId = null,
                    walletId = null;
                if (request.Type == PayoutType.Account)
                {
                    var account = await db
                        .BankAccounts.AsNoTracking()
                        .FirstOrDefaultAsync(a => a.Id == request.BankaccountId, ct);
                    if (account is null || account.PlatformId != order.PlatformId)
                    {
                        throw new NotFoundException("bank_account", request.BankaccountId!);
                    }

                    if (account.CustomerId != order.SellerId)
                    {
                        throw new BusinessRuleException(
                            "destination_not_sellers",
                            "The bank account must belong to the order's seller.",
                            "bankaccount_id"
                        );
                    }

                    bankAccountId = account.Id;
                }
                else
                {
                    var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WalletId, ct);
                    if (wallet is null || wallet.PlatformId != order.PlatformId)
                    {
                        throw new NotFoundException("wallet", request.WalletId!);
                    }

                    if (wallet.CustomerId != order.SellerId)
                    {
                        throw new BusinessRuleException(
                            "destination_not_sellers",
                            "The wallet must belong to the order's seller.",
                            "wallet_id"
                        );
                    }

                    if (wallet.Currency != order.Currency)
                    {
                        throw new BusinessRuleException(
                            "currency_mismatch",
                            $"Wallet {wallet.Id} holds {wallet.Currency}; the order is in {order.Currency}.",
                            "wallet_id"
                        );
                    }

                    walletId = wallet.Id;
                }

                var payout = new Payout(
                    order.PlatformId,
                    order.SellerId,
                    request.Type!.Value,
                    Money.Zero(Currency.Of(order.Currency)),
                    bankAccountId,
                    walletId,
                    clock.GetUtcNow()
                )
                {
                    OrderId = order.Id,
                    NextAttemptAt = clock.GetUtcNow(),
                };
                db.Payouts.Add(payout);
                order.AttachPayout(payout.Id);
                orders.Apply(order, OrderTrigger.CreatePayout, actor);
                events.PayoutChanged(payout);
                return payout;
            },
            ct
        );
        return PayoutResponse.From(payout);
    }

    public async Task<Payout> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var payout = await db.Payouts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return payout is not null && caller.CanSee(payout.PlatformId)
            ? payout
            : throw new NotFoundException("payout", id);
    }

    /// <summary>Executes the release of one order whose payout the release worker claimed.</summary>
    public async Task ReleaseAsync(string payoutId, CancellationToken ct)
    {
        var payout = await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payoutId, ct);
        using var span = TruustTelemetry.Source.StartActivity("truust.payout");
        span?.SetTag("truust.payout_id", payoutId);
        span?.SetTag("truust.payout_type", WireName.Of(payout.Type));
        if (payout.Type == PayoutType.Account)
        {
            await submission.SubmitAsync(
                new BankRelease(posting, db, orders, orderQueries, holdbacks, debts, clock, payoutId, payout.OrderId!),
                ct
            );
            return;
        }

        await unitOfWork.RunAsync(
            async () =>
            {
                var order = await orders.LockAsync(payout.OrderId!, ct);
                var tracked = await db.Payouts.FirstAsync(p => p.Id == payoutId, ct);
                if (order.Status != OrderStatus.PendingRelease || tracked.Status != PayoutStatus.Pending)
                {
                    return;
                }

                var net = await posting.PaySellerSideAsync(
                    order,
                    LedgerAccounts.Wallet(tracked.DestinationWalletId!),
                    tracked,
                    null,
                    ct
                );
                tracked.SetAmount(net);
                tracked.MarkPaid(clock.GetUtcNow());
                orders.Apply(order, OrderTrigger.Release, OrderActor.System);
                events.PayoutChanged(tracked);
            },
            ct
        );
    }

    /// <summary>
    /// Asks the bank about a payout in transit: settled → PAID; returned → the money is credited to the
    /// seller's wallet in the payout's currency (created if needed), so it is never lost.
    /// </summary>
    public async Task CheckSettlementAsync(string payoutId, CancellationToken ct)
    {
        var payout = await db.Payouts.AsNoTracking().FirstAsync(p => p.Id == payoutId, ct);
        if (payout.Status != PayoutStatus.InTransit)
        {
            return;
        }

        var transfer = await bank.GetTransferAsync(
            payout.BankReference,
            await platformClock.NowAsync(payout.PlatformId, ct),
            ct
        );
        if (transfer.Status is not (BankTransferStatus.Settled or BankTransferStatus.Returned))
        {
            return;
        }

        var wallet =
            transfer.Status == BankTransferStatus.Returned
                ? await wallets.GetOrCreateForCustomerAsync(payout.PlatformId, payout.CustomerId, payout.Currency, ct)
                : null;
        await unitOfWork.RunAsync(
            async () =>
            {
                var tracked = await Locks.Payout(db, payoutId).SingleAsync(ct);
                if (tracked.Status != PayoutStatus.InTransit)
                {
                    return;
                }

                var now = clock.GetUtcNow();
                if (wallet is null)
                {
                    tracked.MarkPaid(now);
                }
                else
                {
                    tracked.MarkReturned(transfer.Reason ?? "returned by the beneficiary's bank", now);
                    await ledger.PostAsync(
                        [
                            new LedgerTransfer(
                                tracked.PlatformId,
                                LedgerAccounts.BankPayoutRail,
                                LedgerAccounts.Wallet(wallet.Id),
                                new Money(tracked.AmountMinor, Currency.Of(tracked.Currency)),
                                TransferKind.PayoutReturn,
                                tracked.Id,
                                tracked.OrderId,
                                now
                            ),
                        ],
                        ct
                    );
                }

                events.PayoutChanged(tracked);
                return;
            },
            ct
        );
    }

    /// <summary>Sandbox: the bank settles (or returns) the payout now rather than after its delay.</summary>
    public async Task<PayoutResponse> ForceSettlementAsync(
        Caller caller,
        string payoutId,
        bool settle,
        string? reason,
        SimulatedBank simulatedBank,
        CancellationToken ct
    )
    {
        var payout = await FindAsync(caller, payoutId, ct);
        if (payout.Status != PayoutStatus.InTransit)
        {
            throw new ConflictException(
                "payout_not_in_transit",
                $"Payout {payout.Id} is {WireName.Of(payout.Status)}; "
                    + "only a payout IN_TRANSIT at the bank can settle or fail."
            );
        }

        // Only the request whose decision the bank took goes on; a settle and a fail sent together cannot both
        // answer 200 with Truust recording one outcome and the bank keeping the other.
        if (!await simulatedBank.ForceOutcomeAsync(payout.BankReference, settle, reason, ct))
        {
            throw new ConflictException(
                "payout_not_in_transit",
                $"Payout {payout.Id} has already been settled or returned by the bank."
            );
        }

        await CheckSettlementAsync(payout.Id, ct);
        return PayoutResponse.From(await FindAsync(caller, payoutId, ct));
    }
}
