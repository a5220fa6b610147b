using System.Net;

namespace Truust.Api.Http;

/// <summary>Resolves the host names of outbound connections; tests replace it to play a rebinding DNS server.</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        Dns.GetHostAddressesAsync(host, ct);
}
