using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Truust.Api.Campaigns;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Orders;
using Truust.Api.Persistence;
using Truust.Api.Sandbox;
using Truust.Api.Webhooks;
using Truust.Domain;
using Truust.Domain.Banking;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

/// <summary>
/// Payins: money coming in by card, bank wire or wallet. Card and wire outcomes arrive from outside (the card
/// gateway, the bank); each is recorded in one transaction that locks the order, so an outcome that arrives
/// after the order moved on (cancelled meanwhile) cannot fund it.
/// </summary>
public sealed class PayinService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    LedgerService ledger,
    EventOutbox events,
    ICardGateway cards,
    ContributionFunding contributions,
    IOptions<BankwireOptions> wireOptions,
    IOptions<TruustOptions> options,
    TimeProvider clock
)
{
    public const string UnmatchedWiresAccount = "suspense:unmatched_wires";

    public async Task<PayinResponse> CreateForOrderAsync(
        Caller caller,
        CreatePayinRequest request,
        OrderActor actor,
        CancellationToken ct
    )
    {
        var payin = await unitOfWork.RunAsync(
            async () =>
            {
                var targets = request.OrderGroupId is { } groupId
                    ? await orders.LockGroupAsync(caller, groupId, ct)
                    : [await orders.LockAsync(caller, request.OrderId!, ct)];
                foreach (var target in targets)
                {
                    target.EnsureCan(OrderTrigger.Pay, actor);
                }

                var first = targets[0];
                var total = targets.Select(o => o.Amount).Aggregate((a, b) => a + b);
                var now = clock.GetUtcNow();
                var payin = new Payin(first.PlatformId, PayinPurpose.Order, request.Type!.Value, total, now)
                {
                    OrderId = request.OrderGroupId is null ? first.Id : null,
                    OrderGroupId = request.OrderGroupId,
                    PayerId = first.BuyerId,
                };

                if (payin.Type == PayinType.Wallet)
                {
                    var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WalletId, ct);
                    if (wallet is null || wallet.PlatformId != first.PlatformId)
                    {
                        throw new NotFoundException("wallet", request.WalletId!);
                    }

                    if (wallet.CustomerId is null || (first.BuyerId is not null && wallet.CustomerId != first.BuyerId))
                    {
                        throw new BusinessRuleException(
                            "wallet_not_buyers",
                            "A WALLET payin is paid from the buyer's own wallet.",
                            "wallet_id"
                        );
                    }

                    if (wallet.Currency != first.Currency)
                    {
                        throw new BusinessRuleException(
                            "currency_mismatch",
                            $"Wallet {wallet.Id} holds {wallet.Currency}; the order is in {first.Currency}.",
                            "wallet_id"
                        );
                    }

                    if (first.BuyerId is null)
                    {
                        first.IdentifyBuyer(wallet.CustomerId);
                        payin.PayerId = wallet.CustomerId;
                    }

                    payin.SourceWalletId = wallet.Id;
                }
                else if (payin.Type == PayinType.Bankwire)
                {
                    PrepareWire(payin, now);
                }

                db.Payins.Add(payin);
                foreach (var target in targets)
                {
                    target.AttachPayin(payin.Id);
                    orders.Apply(target, OrderTrigger.Pay, actor);
                }

                events.PayinChanged(payin);
                if (payin.Type == PayinType.Wallet)
                {
                    // The wallet is debited in this same commit; the guarded UPDATE refuses an overdraft, and then
                    // nothing at all (orders, payin, history) is kept.
                    await FundAsync(targets, payin, LedgerAccounts.Wallet(payin.SourceWalletId!), null, ct);
                }

                return payin;
            },
            ct
        );
        return ToResponse(payin);
    }

    /// <summary>A top-up: a card or wire payin whose money goes to the wallet once confirmed.</summary>
    public async Task<PayinResponse> CreateTopupAsync(
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

        var now = clock.GetUtcNow();
        var payin = new Payin(
            wallet.PlatformId,
            PayinPurpose.Topup,
            type,
            Money.Positive(amountMinor, wallet.Currency),
            now
        )
        {
            TargetWalletId = wallet.Id,
            PayerId = wallet.CustomerId,
        };
        if (type == PayinType.Bankwire)
        {
            PrepareWire(payin, now);
        }

        db.Payins.Add(payin);
        events.PayinChanged(payin);
        await unitOfWork.SaveAsync(ct);
        return ToResponse(payin);
    }

    public async Task<PayinResponse> GetAsync(Caller caller, string id, CancellationToken ct) =>
        ToResponse(await FindAsync(caller, id, ct));

    public async Task<Payin> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var payin = await db.Payins.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return payin is not null && caller.CanSee(payin.PlatformId) ? payin : throw new NotFoundException("payin", id);
    }

    public async Task<Payin?> FindByTokenAsync(string token, CancellationToken ct) =>
        await db.Payins.AsNoTracking().FirstOrDefaultAsync(p => p.Token == token, ct);

    /// <summary>
    /// The buyer's card details reach the card gateway (outside any transaction); the outcome is then recorded.
    /// The card number is checked (Luhn, expiry) before it is sent, and never stored.
    /// </summary>
    public async Task<Payin> SubmitCardAsync(Payin payin, CardDetails card, CancellationToken ct)
    {
        if (payin.Type != PayinType.Addon)
        {
            throw new ConflictException(
                "not_a_card_payin",
                $"Payin {payin.Id} is {EnumWire.Name(payin.Type)}, not ADDON."
            );
        }

        if (payin.Status != PayinStatus.Pending)
        {
            throw new ConflictException("payin_not_open", $"Payin {payin.Id} is {EnumWire.Name(payin.Status)}.");
        }

        CardRules.Validate(card, clock.GetUtcNow());
        var authorization = await cards.AuthorizeAsync(payin.Id, payin.Amount, card, ct);
        return await RecordCardOutcomeAsync(payin.Id, authorization, card.Expiry, ct);
    }

    /// <summary>The buyer answered the 3-D Secure challenge.</summary>
    public async Task<Payin> CompleteChallengeAsync(Payin payin, bool authenticated, CancellationToken ct)
    {
        if (payin.Status != PayinStatus.RequiresAction)
        {
            throw new ConflictException(
                "no_challenge_pending",
                $"Payin {payin.Id} has no 3-D Secure challenge pending."
            );
        }

        var authorization = await cards.CompleteChallengeAsync(payin.Id, authenticated, ct);
        return await RecordCardOutcomeAsync(payin.Id, authorization, payin.CardExpiry, ct);
    }

    /// <summary>
    /// A wire arrived on the escrow account. The right reference and exact amount confirm its payin; anything else
    /// is recorded, parked in a suspense account (the money did arrive), and confirms nothing.
    /// </summary>
    public async Task<IncomingWireResponse> ReceiveWireAsync(
        Caller caller,
        SandboxBankwireRequest request,
        CancellationToken ct
    )
    {
        var senderIban = Iban.Parse(request.SenderIban!, "sender_iban").Value;
        var amount = Money.Positive(request.Amount!.Value, request.Currency!);
        var reference = request.Reference!.Trim().ToUpperInvariant();
        var platformId = caller.RequirePlatform();
        var wire = await unitOfWork.RunAsync(
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
                    var targets = await LockWhatItFundsAsync(candidate, ct);
                    var payin = await Locks.Payin(db, candidate.Id).SingleAsync(ct);
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
                        await FundAsync(targets, payin, LedgerAccounts.BankwireRail, senderIban, ct);
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
        return new IncomingWireResponse(
            wire.Id,
            wire.Reference,
            wire.AmountMinor,
            wire.Currency,
            wire.Status,
            wire.PayinId,
            wire.ReceivedAt
        );
    }

    /// <summary>An unpaid wire past its deadline: the payin expires and its order fails (it can be paid
    /// again).</summary>
    public async Task ExpireWireAsync(string payinId, CancellationToken ct)
    {
        await unitOfWork.RunAsync(
            async () =>
            {
                var candidate = await db.Payins.AsNoTracking().FirstAsync(p => p.Id == payinId, ct);
                var targets = await LockWhatItFundsAsync(candidate, ct);
                var payin = await Locks.Payin(db, payinId).SingleAsync(ct);
                if (payin.Status != PayinStatus.Pending || payin.ExpiresAt > clock.GetUtcNow())
                {
                    return;
                }

                payin.Expire(clock.GetUtcNow());
                events.PayinChanged(payin);
                FailOrders(targets, payin, OrderActor.System, "bank wire expired");
                if (payin.Purpose == PayinPurpose.Contribution)
                {
                    await contributions.FailAsync(payin, ct);
                }

                return;
            },
            ct
        );
    }

    public PayinResponse ToResponse(Payin payin)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var wire =
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
        var card = payin.CardLast4 is null
            ? null
            : new CardSummary(payin.CardBrand!, payin.CardLast4, payin.CardExpiry!);
        var next =
            payin.Status == PayinStatus.RequiresAction
                ? new NextAction("three_d_secure", $"{baseUrl}/pay/{payin.Token}/3ds")
                : null;
        return new PayinResponse(
            payin.Id,
            payin.OrderId,
            payin.OrderGroupId,
            payin.TargetWalletId ?? payin.SourceWalletId,
            payin.Purpose,
            payin.Type,
            payin.Status,
            payin.AmountMinor,
            payin.Currency,
            $"{baseUrl}/pay/{payin.Token}",
            wire,
            card,
            next,
            payin.FailureCode,
            payin.FailureMessage,
            payin.CreatedAt,
            payin.UpdatedAt
        );
    }

    private async Task<Payin> RecordCardOutcomeAsync(
        string payinId,
        CardAuthorization authorization,
        string? expiry,
        CancellationToken ct
    )
    {
        var recorded = await unitOfWork.RunAsync(
            async () =>
            {
                var candidate = await db.Payins.AsNoTracking().FirstAsync(p => p.Id == payinId, ct);
                var targets = await LockWhatItFundsAsync(candidate, ct);
                var payin = await Locks.Payin(db, payinId).SingleAsync(ct);
                if (!payin.IsOpen)
                {
                    return (Payin: payin, Late: true);
                }

                payin.RecordCard(authorization.Brand, authorization.Last4, expiry ?? string.Empty);
                var now = clock.GetUtcNow();
                switch (authorization.Outcome)
                {
                    case CardOutcome.Approved:
                        await FundAsync(targets, payin, LedgerAccounts.CardRail, null, ct);
                        break;
                    case CardOutcome.ChallengeRequired:
                        payin.RequireAction(now);
                        events.PayinChanged(payin);
                        break;
                    default:
                        payin.Fail(
                            authorization.DeclineCode ?? "card_declined",
                            authorization.Message ?? "The card was declined.",
                            now
                        );
                        events.PayinChanged(payin);
                        FailOrders(targets, payin, OrderActor.Gateway, payin.FailureCode);
                        if (payin.Purpose == PayinPurpose.Contribution)
                        {
                            await contributions.FailAsync(payin, ct);
                        }

                        break;
                }

                return (Payin: payin, Late: false);
            },
            ct
        );

        if (recorded.Late)
        {
            // The payin was closed (its order cancelled) while the card was being charged: the charge must not
            // stay on the buyer's card with nothing in escrow to show for it, so it is voided at the processor.
            if (authorization.Outcome == CardOutcome.Approved)
            {
                await cards.RefundAsync($"{payinId}-void", payinId, recorded.Payin.Amount, ct);
            }

            throw new ConflictException(
                "payin_not_open",
                $"Payin {payinId} is already {EnumWire.Name(recorded.Payin.Status)}; the card was not charged."
            );
        }

        return recorded.Payin;
    }

    /// <summary>
    /// The payin succeeded: its money moves from <paramref name="source"/> into what it funds (each order's escrow,
    /// or a wallet for a top-up), in the caller's transaction.
    /// </summary>
    private async Task FundAsync(
        IReadOnlyList<Order> targets,
        Payin payin,
        string source,
        string? senderIban,
        CancellationToken ct
    )
    {
        var now = clock.GetUtcNow();
        payin.Succeed(now, senderIban);
        events.PayinChanged(payin);
        switch (payin.Purpose)
        {
            case PayinPurpose.Order:
                await ledger.PostAsync(
                    targets
                        .Select(o => new LedgerTransfer(
                            payin.PlatformId,
                            source,
                            LedgerAccounts.Escrow(o.Id),
                            o.Amount,
                            TransferKind.Payin,
                            payin.Id,
                            o.Id,
                            now
                        ))
                        .ToList(),
                    ct
                );
                foreach (var order in targets)
                {
                    order.Hold(order.AmountMinor);
                    orders.Apply(order, OrderTrigger.ConfirmPayin, OrderActor.Gateway);
                }

                break;
            case PayinPurpose.Topup:
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
                            now
                        ),
                    ],
                    ct
                );
                break;
            case PayinPurpose.Contribution:
                await contributions.ConfirmAsync(payin, source, ct);
                break;
            default:
                throw new InvalidOperationException($"Unknown payin purpose {payin.Purpose}.");
        }
    }

    /// <summary>
    /// Adds a payin for a campaign contribution to the caller's transaction: a wire gets its reference and deadline;
    /// a WALLET payin is debited and confirmed at once (insufficient funds rolls the whole request back).
    /// </summary>
    public async Task<Payin> AddContributionPayinAsync(
        string platformId,
        PayinType type,
        Money amount,
        string campaignId,
        string contributionId,
        string contributorId,
        string? sourceWalletId,
        CancellationToken ct
    )
    {
        var now = clock.GetUtcNow();
        var payin = new Payin(platformId, PayinPurpose.Contribution, type, amount, now)
        {
            CampaignId = campaignId,
            ContributionId = contributionId,
            PayerId = contributorId,
            SourceWalletId = sourceWalletId,
        };
        if (type == PayinType.Bankwire)
        {
            PrepareWire(payin, now);
        }

        db.Payins.Add(payin);
        events.PayinChanged(payin);
        if (type == PayinType.Wallet)
        {
            await FundAsync([], payin, LedgerAccounts.Wallet(sourceWalletId!), null, ct);
        }

        return payin;
    }

    private void FailOrders(IReadOnlyList<Order> targets, Payin payin, OrderActor actor, string? reason)
    {
        foreach (var order in targets.Where(o => o.PayinId == payin.Id && o.Status == OrderStatus.PendingPublish))
        {
            orders.Apply(order, OrderTrigger.FailPayin, actor, reason);
        }
    }

    /// <summary>
    /// Locks what a payin funds before the payin itself, the order every writer takes (orders in id order, or the
    /// campaign; then the payin; then wallets), so recording an outcome cannot deadlock with a cancel or a close.
    /// </summary>
    private async Task<IReadOnlyList<Order>> LockWhatItFundsAsync(Payin payin, CancellationToken ct)
    {
        var system = new Caller(null, true);
        if (payin.CampaignId is { } campaignId)
        {
            // Tracked, so ContributionFunding finds the locked row in the change tracker.
            await Locks.Campaign(db, campaignId).SingleAsync(ct);
            return [];
        }

        if (payin.OrderGroupId is { } groupId)
        {
            return await orders.LockGroupAsync(system, groupId, ct);
        }

        return payin.OrderId is null ? [] : [await orders.LockAsync(system, payin.OrderId, ct)];
    }

    /// <summary>A wire payin gets the unique reference the buyer writes on the transfer, and its deadline.</summary>
    private void PrepareWire(Payin payin, DateTimeOffset now)
    {
        payin.BankwireReference = NewWireReference();
        payin.ExpiresAt = now.AddHours(wireOptions.Value.ExpiryHours);
    }

    private static string NewWireReference() => "TRU-" + Ids.Secret(5).ToUpperInvariant();
}

/// <summary>Card checks Truust makes before a number reaches the gateway.</summary>
public static class CardRules
{
    public static void Validate(CardDetails card, DateTimeOffset now)
    {
        if (card.Number.Length is < 12 or > 19 || !card.Number.All(char.IsAsciiDigit) || !Luhn(card.Number))
        {
            throw new BusinessRuleException(
                "invalid_card_number",
                "The card number is not valid (Luhn check failed).",
                "number"
            );
        }

        var lastValidMonth = new DateTimeOffset(card.ExpiryYear, card.ExpiryMonth, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(
            1
        );
        if (lastValidMonth <= now)
        {
            throw new BusinessRuleException(
                "expired_card",
                $"The card expired at the end of {card.Expiry}.",
                "exp_year"
            );
        }
    }

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
