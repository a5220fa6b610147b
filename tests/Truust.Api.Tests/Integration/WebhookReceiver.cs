using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Truust.Api.Tests.Integration;

/// <summary>One webhook request as the receiver saw it, and whether its signature checked out.</summary>
public sealed record ReceivedWebhook(
    string Path,
    string Id,
    long Timestamp,
    string Signature,
    string Body,
    bool SignatureValid,
    int AnsweredStatus
)
{
    private JsonElement Root => JsonDocument.Parse(Body).RootElement;

    public string EventId => Root.GetProperty("id").GetString()!;

    public string Type => Root.GetProperty("type").GetString()!;

    public string ObjectId => Root.GetProperty("object_id").GetString()!;

    public long Sequence => Root.GetProperty("sequence").GetInt64();

    public JsonElement Data => Root.GetProperty("data").Clone();
}

/// <summary>
/// A real HTTP server on a loopback port that plays a platform's webhook endpoint: it checks every request's
/// Standard Webhooks signature against the secret registered for its path (its own HMAC code, independent of
/// Truust's), records what came, and answers 200, or 500 while a path is told to fail.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly Dictionary<string, int> _failuresLeft = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/{**path}", (HttpContext context) => receiver!.HandleAsync(context));
        await app.StartAsync();
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        receiver = new WebhookReceiver(app, address);
        return receiver;
    }

    public string Url(string path) => BaseUrl + path;

    /// <summary>The secret requests to <paramref name="path"/> must be signed with.</summary>
    public void Expect(string path, string secret) => _secrets[path] = secret;

    /// <summary>Answers the next <paramref name="times"/> requests to <paramref name="path"/> with 500.</summary>
    public void FailNext(string path, int times)
    {
        lock (_gate)
        {
            _failuresLeft[path] = times;
        }
    }

    public IReadOnlyList<ReceivedWebhook> ReceivedAt(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>Waits until the requests to <paramref name="path"/> satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(
        string path,
        Func<IReadOnlyList<ReceivedWebhook>, bool> done,
        string what,
        int timeoutSeconds = 15
    )
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var received = ReceivedAt(path);
            if (done(received))
            {
                return received;
            }

            Assert.True(
                watch.Elapsed < TimeSpan.FromSeconds(timeoutSeconds),
                $"Timed out waiting for {what} at {path}; received: "
                    + string.Join(", ", received.Select(r => $"{r.Type} ({r.AnsweredStatus})"))
            );
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Standard Webhooks: "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key being the secret's
    /// base64 part (after "whsec_").
    /// </summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string header)
    {
        var key = Convert.FromBase64String(
            secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret
        );
        using var hmac = new HMACSHA256(key);
        var mac = hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        var expected = "v1," + Convert.ToBase64String(mac);
        return header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => s == expected);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        var valid = _secrets.TryGetValue(path, out var secret) && Verify(secret, id, timestamp, body, signature);
        bool fail;
        lock (_gate)
        {
            fail = _failuresLeft.TryGetValue(path, out var left) && left > 0;
            if (fail)
            {
                _failuresLeft[path] = left - 1;
            }
        }

        var status = fail ? 500 : 200;
        _received.Enqueue(
            new ReceivedWebhook(path, id, long.TryParse(timestamp, out var t) ? t : -1, signature, body, valid, status)
        );
        context.Response.StatusCode = status;
    }
}
