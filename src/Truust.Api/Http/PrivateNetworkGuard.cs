using System.Net;
using System.Net.Sockets;

namespace Truust.Api.Http;

/// <summary>Resolves the host names of outbound connections; tests replace it to play a rebinding DNS server.</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Keeps the requests Truust makes on a platform's behalf (webhook deliveries) out of Truust's own network. Without
/// it, a platform could register http://169.254.169.254/ or http://127.0.0.1:5432/ and have Truust read cloud
/// credentials or probe internal ports for it. A URL is checked when registered (literal addresses and localhost
/// names) and every address is checked again when connecting, after DNS resolution, so a name that resolves to an
/// internal address later (DNS rebinding) is refused too.
/// </summary>
public static class PrivateNetworkGuard
{
    // Ranges no webhook has a reason to reach: each is either this host, the private network it sits in, or a
    // well-known metadata service.
    private static readonly (IPNetwork Network, string Kind)[] RefusedNetworks =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved or broadcast"),
        (IPNetwork.Parse("168.63.129.16/32"), "metadata service"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "reserved"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly HashSet<string> MetadataHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    };

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");

    /// <summary>What kind of internal address <paramref name="address"/> is, or null when it is public.</summary>
    public static string? InternalKind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return InternalKind(address.MapToIPv4());
        }

        // An IPv6 address that carries an IPv4 one reaches that IPv4 address through a translator or a tunnel.
        if (EmbeddedIPv4(address) is { } embedded && InternalKind(embedded) is { } kind)
        {
            return kind;
        }

        foreach (var (network, name) in RefusedNetworks)
        {
            if (network.Contains(address))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="url"/> may not be registered as a webhook, or null. Only what the URL itself says is
    /// checked here (a literal address, a localhost or metadata name): a name's addresses are checked when
    /// connecting, since they may change between now and then.
    /// </summary>
    public static string? WhyRefused(Uri url)
    {
        var host = url.IdnHost.TrimEnd('.');
        if (
            url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(host, out var address)
        )
        {
            return InternalKind(address) is { } kind ? $"{url.Host} is a {kind} address" : null;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "localhost is this machine";
        }

        if (host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"{host} is a name of this machine";
        }

        return MetadataHosts.Contains(host) ? $"{host} is a cloud metadata service" : null;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and dials only addresses that
    /// are public (any address when <paramref name="allowPrivateNetworks"/>). A host with any internal address is
    /// refused as a whole: a public name has no business resolving into Truust's network.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(
        HostResolver resolver,
        bool allowPrivateNetworks
    ) =>
        async (context, ct) =>
        {
            var endpoint = context.DnsEndPoint;
            var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
                ? [literal]
                : await resolver.ResolveAsync(endpoint.Host, ct);
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"{endpoint.Host} has no address.");
            }

            if (!allowPrivateNetworks)
            {
                foreach (var address in addresses)
                {
                    if (InternalKind(address) is { } kind)
                    {
                        throw new HttpRequestException(
                            $"{endpoint.Host} resolves to {address}, a {kind} address; webhooks are not sent there."
                        );
                    }
                }
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, endpoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || (IPv4Compatible.Contains(address) && !IsUnspecifiedOrLoopback(bytes)))
        {
            return new IPAddress(bytes[12..16]);
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes[2..6]) : null;
    }

    // :: and ::1 fall in ::/96 but are not IPv4-compatible addresses; the table names them.
    private static bool IsUnspecifiedOrLoopback(byte[] bytes) => bytes[..15].All(b => b == 0) && bytes[15] <= 1;
}
