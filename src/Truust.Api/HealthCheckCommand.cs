namespace Truust.Api;

/// <summary>
/// <c>dotnet Truust.Api.dll healthcheck [url]</c>: asks a running instance's readiness probe and exits 0 when it
/// answers 200, 1 otherwise. The container's HEALTHCHECK runs it because the ASP.NET Core runtime image has neither
/// curl nor wget. Without a URL it asks this container's own port (<c>ASPNETCORE_HTTP_PORTS</c>, else 8080).
/// </summary>
public static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    public static async Task<int> RunAsync(string[] args)
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(',', ';')[0].Trim();
        var url = args.Length > 0 ? args[0] : $"http://127.0.0.1:{port}/health/ready";
        // Never through a proxy from the environment: the probe asks this machine. The first answer after a start
        // JITs the readiness path, slow on a busy machine; the container's HEALTHCHECK timeout bounds it anyway.
        using var handler = new HttpClientHandler { UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(8) };
        try
        {
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }
}
