using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Workers;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

/// <summary>
/// Adds events to the outbox of the current unit of work, with one webhook delivery per endpoint that wants
/// them: events and deliveries commit with the change, so a crash after the commit loses nothing.
/// </summary>
public sealed class EventOutbox
{
    private readonly TruustDbContext _db;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, List<WebhookEndpoint>> _endpoints = new();
    private readonly UnitOfWork _unitOfWork;
    private readonly WorkerSignals _signals;
    private readonly ReadCache<List<WebhookEndpoint>> _cache;

    public EventOutbox(
        TruustDbContext db,
        TimeProvider clock,
        UnitOfWork unitOfWork,
        WorkerSignals signals,
        ReadCache<List<WebhookEndpoint>> cache
    )
    {
        _cache = cache;
        _db = db;
        _clock = clock;
        _unitOfWork = unitOfWork;
        _signals = signals;
    }

    public void OrderCreated(Order order) => Add(order.PlatformId, "order.created", order.Id, Snapshot(order, null));

    public void OrderStatusChanged(Order order, OrderStatus from) =>
        Add(order.PlatformId, "order.status_changed", order.Id, Snapshot(order, from));

    public void PayinChanged(Payin payin) =>
        Add(
            payin.PlatformId,
            payin.Status switch
            {
                PayinStatus.Succeeded => "payin.confirmed",
                PayinStatus.Failed => "payin.denied",
                PayinStatus.RequiresAction => "payin.requires_action",
                PayinStatus.Expired => "payin.expired",
                PayinStatus.Cancelled => "payin.cancelled",
                PayinStatus.ChargedBack => "payin.charged_back",
                _ => "payin.created",
            },
            payin.Id,
            new
            {
                id = payin.Id,
                @object = "payin",
                order_id = payin.OrderId,
                type = WireName.Of(payin.Type),
                status = WireName.Of(payin.Status),
                amount = payin.AmountMinor,
                currency = payin.Currency,
                failure_code = payin.FailureCode,
            }
        );

    public void PayoutChanged(Payout payout) =>
        Add(
            payout.PlatformId,
            $"payout.{WireName.Of(payout.Status).ToLowerInvariant()}",
            payout.Id,
            new
            {
                id = payout.Id,
                @object = "payout",
                order_id = payout.OrderId,
                type = WireName.Of(payout.Type),
                status = WireName.Of(payout.Status),
                amount = payout.AmountMinor,
                currency = payout.Currency,
                failure_reason = payout.FailureReason,
            }
        );

    public void RefundChanged(Refund refund) =>
        Add(
            refund.PlatformId,
            $"refund.{WireName.Of(refund.Status).ToLowerInvariant()}",
            refund.Id,
            new
            {
                id = refund.Id,
                @object = "refund",
                order_id = refund.OrderId,
                payin_id = refund.PayinId,
                status = WireName.Of(refund.Status),
                amount = refund.AmountMinor,
                currency = refund.Currency,
            }
        );

    public void Add(string platformId, string type, string objectId, object snapshot)
    {
        var now = _clock.GetUtcNow();
        var e = new Event(platformId, type, objectId, JsonSerializer.Serialize(snapshot, JsonDefaults.Options), now);
        _db.Events.Add(e);
        foreach (var endpoint in EndpointsOf(platformId).Where(w => w.Wants(type)))
        {
            _db.WebhookDeliveries.Add(new WebhookDelivery(endpoint.Id, e.Id, now));
            _unitOfWork.WakeAfterCommit(_signals.Webhooks);
        }
    }

    private List<WebhookEndpoint> EndpointsOf(string platformId)
    {
        if (!_endpoints.TryGetValue(platformId, out var endpoints))
        {
            // Endpoints change rarely and every event needs them: served from memory for a few seconds, forgotten at
            // once when one changes (ReadCacheGeneration). The entities are shared between requests: read only. A
            // disabled endpoint still gets its events queued: they are delivered once it is enabled again.
            endpoints = _cache.Get(
                platformId,
                () => _db.WebhookEndpoints.AsNoTracking().Where(w => w.PlatformId == platformId).ToList()
            );
            _endpoints[platformId] = endpoints;
        }

        return endpoints;
    }

    private static object Snapshot(Order order, OrderStatus? from) =>
        new
        {
            id = order.Id,
            @object = "order",
            status = WireName.Of(order.Status),
            previous_status = from is { } f ? WireName.Of(f) : null,
            amount = order.AmountMinor,
            currency = order.Currency,
            held = order.HeldMinor,
            buyer_id = order.BuyerId,
            seller_id = order.SellerId,
            metadata = order.Metadata,
        };
}
