using Truust.Api.Disputes;
using Truust.Domain.Disputes;

namespace Truust.Api.Pages.Dashboard;

/// <summary><c>/dashboard/disputes</c>: the open disputes, the nearest deadline first.</summary>
public sealed class DisputesModel(DisputeService disputes) : DashboardPageModel
{
    public const int QueueSize = 200;

    public IReadOnlyList<Dispute> Queue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "Disputes";
        ViewData["Section"] = "disputes";
        Queue = await disputes.QueueAsync(Caller, QueueSize, ct);
    }
}
