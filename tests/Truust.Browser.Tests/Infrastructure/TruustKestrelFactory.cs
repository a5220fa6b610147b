using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Truust.Browser.Tests.Infrastructure;

/// <summary>
/// The real application on a real Kestrel socket, so a browser can reach it. Its public base URL is the server's
/// own address, so the links it hands out (buyer_link, direct_link, ...) lead back to it.
/// </summary>
public sealed class TruustKestrelFactory : WebApplicationFactory<Program>
{
    public const string OperatorKey = "sk_operator_browser_tests_9c41f0a27e5b4d18";

    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="connectionString">The server's database.</param>
    /// <param name="settings">Configuration on top of the defaults (for instance <c>Workers:Enabled=false</c>).</param>
    public TruustKestrelFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        // The port is chosen before start because the links must carry it; the gap between releasing it here and
        // Kestrel binding it is a few milliseconds on a loopback port.
        var port = FreeLoopbackPort();
        BaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Truust", _connectionString);
        builder.UseSetting("Truust:OperatorKey", OperatorKey);
        builder.UseSetting("Truust:SeedDemo", "false");
        builder.UseSetting("Truust:MigrateOnStartup", "true");
        builder.UseSetting("Truust:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Every test signs in from 127.0.0.1; the per-address sign-in limit is tested in the API tests.
        builder.UseSetting("RateLimits:SignInsPerMinute", "100000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
