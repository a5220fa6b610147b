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

    public void OrderCreated(Order order) =>
        Add(order.PlatformId, "order.created", order.Id, OrderEventData.Of(order, null));

    public void OrderStatusChanged(Order order, OrderStatus from) =>
        Add(order.PlatformId, "order.status_changed", order.Id, OrderEventData.Of(order, from));

    public void PayinChanged(Payin payin) =>
        Add(payin.PlatformId, PayinEventData.TypeOf(payin.Status), payin.Id, PayinEventData.Of(payin));

    public void PayoutChanged(Payout payout) =>
        Add(payout.PlatformId, PayoutEventData.TypeOf(payout.Status), payout.Id, PayoutEventData.Of(payout));

    public void RefundChanged(Refund refund) =>
        Add(refund.PlatformId, RefundEventData.TypeOf(refund.Status), refund.Id, RefundEventData.Of(refund));

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
}
