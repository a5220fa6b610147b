using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Persistence;
using Truust.Api.Platforms;
using Truust.Domain;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Orders;

/// <summary>
/// Paying an order, or a whole cart with one payin: DRAFT or FAILURE → PENDING_PUBLISH. What the payin's outcome
/// then does to the orders is <see cref="OrderFunding"/>'s and <see cref="CartFunding"/>'s.
/// </summary>
public sealed class OrderPaymentService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    OrderService orders,
    PayinService payins,
    PlatformClock clock
)
{
    public async Task<PayinResponse> PayAsync(
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
                var payin = new Payin(
                    first.PlatformId,
                    PayinPurpose.Order,
                    request.Type!.Value,
                    total,
                    await clock.NowAsync(first.PlatformId, ct)
                )
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

                foreach (var target in targets)
                {
                    target.AttachPayin(payin.Id);
                    orders.Apply(target, OrderTrigger.Pay, actor);
                }

                await payins.AddAsync(payin, ct);
                return payin;
            },
            ct
        );
        return payins.ToResponse(payin);
    }
}
