using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Truust.Api.Http;

/// <summary>
/// Behind a reverse proxy (TLS terminated there), <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> give the
/// caller's address (rate limits, the <c>/metrics</c> check, logs) and the scheme. They are believed only from the
/// proxies listed in <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c>
/// (CIDR): from anyone else they are ignored, or any caller could claim any address. None configured, none is
/// believed (not even from loopback).
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ForwardedHeaders");
        var proxies = Parse(
            section,
            "KnownProxies",
            (string text, out IPAddress value) => IPAddress.TryParse(text, out value!)
        );
        var networks = Parse<IPNetwork>(section, "KnownNetworks", IPNetwork.TryParse);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            // One proxy in front: the last X-Forwarded-For entry is the one it added.
            options.ForwardLimit = section.GetValue("ForwardLimit", 1);
        });
        return services;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static List<T> Parse<T>(IConfigurationSection section, string key, TryParse<T> parse) =>
        section
            .GetSection(key)
            .GetChildren()
            .Select(child =>
                parse(child.Value?.Trim() ?? "", out var value) && value is not null
                    ? value
                    : throw new InvalidSettingException(
                        $"ForwardedHeaders:{key}:{child.Key}: '{child.Value}' is not "
                            + (typeof(T) == typeof(IPAddress) ? "an IP address." : "a network in CIDR notation.")
                    )
            )
            .ToList();
}
