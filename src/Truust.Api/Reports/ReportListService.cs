using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Persistence;

namespace Truust.Api.Reports;

/// <summary>The lists of payouts and refunds, newest first, with the filters <c>GET /v1/payins</c> takes.</summary>
public sealed class ReportListService(TruustDbContext db)
{
    public Task<Page<PayoutResponse>> PayoutsAsync(Caller caller, PayoutListQuery query, CancellationToken ct)
    {
        var found = caller.PlatformId is { } platformId
            ? db.Payouts.Where(p => p.PlatformId == platformId)
            : db.Payouts;
        if (query.OrderId is { } orderId)
        {
            found = found.Where(p => p.OrderId == orderId);
        }

        if (query.Status is { } status)
        {
            found = found.Where(p => p.Status == status);
        }

        if (query.Type is { } type)
        {
            found = found.Where(p => p.Type == type);
        }

        found = found.CreatedWithin(query, p => p.CreatedAt);

        return Paging.PageAsync(found, query, PayoutResponse.From, ct);
    }

    public Task<Page<RefundResponse>> RefundsAsync(Caller caller, RefundListQuery query, CancellationToken ct)
    {
        var found = caller.PlatformId is { } platformId
            ? db.Refunds.Where(r => r.PlatformId == platformId)
            : db.Refunds;
        if (query.OrderId is { } orderId)
        {
            found = found.Where(r => r.OrderId == orderId);
        }

        if (query.PayinId is { } payinId)
        {
            found = found.Where(r => r.PayinId == payinId);
        }

        if (query.Status is { } status)
        {
            found = found.Where(r => r.Status == status);
        }

        found = found.CreatedWithin(query, r => r.CreatedAt);

        return Paging.PageAsync(found, query, RefundResponse.From, ct);
    }
}
