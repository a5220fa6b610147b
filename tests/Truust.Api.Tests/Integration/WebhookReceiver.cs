using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

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

    /// <summary>Whether the Standard Webhooks reference library accepts this request with
    /// <paramref name="secret"/>.</summary>
    public bool VerifiesWith(string secret) => Signature.Split(' ').Any(signature => Verifies(secret, signature));

    private bool Verifies(string secret, string signature)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = Id,
            ["webhook-timestamp"] = Timestamp.ToString(),
            ["webhook-signature"] = signature,
        };
        try
        {
            new StandardWebhook(secret).Verify(Body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}

/// <summary>What the receiver answers to one request: a status, maybe a Retry-After, maybe after a
/// delay.</summary>
public sealed record ReceiverAnswer(int Status, int? RetryAfterSeconds = null, TimeSpan? Delay = null)
{
    public static readonly ReceiverAnswer Ok = new(200);
}

/// <summary>
/// A real HTTP server on a loopback port that plays a platform's webhook endpoint: it checks every request with the
/// README's verification example (the Standard Webhooks reference library, NuGet StandardWebhooks) against the
/// secret registered for its path, records what came, and answers 200, or what a test told it to answer.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, Func<ReceivedWebhook, ReceiverAnswer>> _rules = new();
    private readonly Dictionary<string, int> _failuresLeft = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentQueue<string> _started = new();

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

    /// <summary>Answers requests to <paramref name="path"/> as <paramref name="rule"/> says (null: the default
    /// again).</summary>
    public void Answer(string path, Func<ReceivedWebhook, ReceiverAnswer>? rule)
    {
        if (rule is null)
        {
            _rules.TryRemove(path, out _);
        }
        else
        {
            _rules[path] = rule;
        }
    }

    public IReadOnlyList<ReceivedWebhook> ReceivedAt(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>Paths of requests that have arrived, answered or not yet.</summary>
    public IReadOnlyList<string> Started => _started.ToList();

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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // begin-snippet: verify-webhook
    // Reads a Truust webhook and checks it with the Standard Webhooks library (NuGet StandardWebhooks 1.1.2): the
    // signature, and webhook-timestamp within five minutes of now. While a rolled secret is in its grace period,
    // webhook-signature carries two signatures ("v1,... v1,..."); this library version compares only the first one,
    // so each is checked on its own. Returns the body, or null when the request is not genuine.
    static async Task<string?> ReadVerifiedWebhookAsync(HttpRequest request, string secret)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var webhook = new StandardWebhook(secret);
        foreach (var signature in request.Headers["webhook-signature"].ToString().Split(' '))
        {
            var headers = new HeaderDictionary
            {
                ["webhook-id"] = request.Headers["webhook-id"],
                ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
                ["webhook-signature"] = signature,
            };
            try
            {
                webhook.Verify(body, headers);
                return body;
            }
            catch (WebhookVerificationException)
            {
                // Signed with another secret, or not by Truust: try the next signature.
            }
        }

        return null;
    }

    // end-snippet

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        _started.Enqueue(path);
        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync();
        }

        context.Request.Body.Position = 0;
        var verified = _secrets.TryGetValue(path, out var secret)
            ? await ReadVerifiedWebhookAsync(context.Request, secret)
            : null;
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        var seen = new ReceivedWebhook(
            path,
            id,
            long.TryParse(timestamp, out var t) ? t : -1,
            signature,
            body,
            verified == body,
            0
        );
        var answer = _rules.TryGetValue(path, out var rule) ? rule(seen) : ReceiverAnswer.Ok;
        lock (_gate)
        {
            if (_failuresLeft.TryGetValue(path, out var left) && left > 0)
            {
                _failuresLeft[path] = left - 1;
                answer = new ReceiverAnswer(500);
            }
        }

        if (answer.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up on this request: it was never answered, so it is not recorded as received.
                return;
            }
        }

        _received.Enqueue(seen with { AnsweredStatus = answer.Status });
        if (answer.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        context.Response.StatusCode = answer.Status;
    }
}
