using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Truust.Api.Http;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// How to see in the database that a request took effect: <see cref="Sql"/> returns one id per application of the
/// request (a row it created, or the object it changed), with <c>$1</c> bound to <see cref="Parameter"/>.
/// </summary>
public sealed record Effect(string Sql, string Parameter);

/// <summary>A money-moving POST as the client saw it: what it sent, every attempt, and the answer it kept.</summary>
public sealed class JournaledRequest(string label, string path, string key, byte[] body, Effect effect)
{
    private readonly List<string> _attempts = [];

    /// <summary>What the request is for, e.g. "transfer" or "order accept".</summary>
    public string Label { get; } = label;

    public string Path { get; } = path;

    public string Key { get; } = key;

    /// <summary>The exact bytes sent, every attempt: a retry must be the same request.</summary>
    public byte[] Body { get; } = body;

    public Effect Effect { get; } = effect;

    /// <summary>At least one attempt got no answer: the connection broke (the kill) or was refused.</summary>
    public bool Unknown { get; private set; }

    /// <summary>The final answer's status; null when the client gave up without one.</summary>
    public int? Status { get; private set; }

    public byte[] ResponseBody { get; private set; } = [];

    /// <summary>The final answer carried <c>Idempotent-Replayed: true</c>.</summary>
    public bool AnsweredByReplay { get; private set; }

    public bool Acknowledged => Status is >= 200 and < 300;

    public IReadOnlyList<string> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The problem <c>code</c> of the final answer, or its status.</summary>
    public string Outcome =>
        Status is null ? "no answer"
        : Acknowledged ? Status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{Status} {Field(ResponseBody, "code") ?? "(no code)"}";

    /// <summary>The <c>id</c> of the object in the final answer.</summary>
    public string? ResponseId => Field(ResponseBody, "id");

    public override string ToString() =>
        $"{Label} {Path} [{Key}] -> {Outcome}; attempts: {string.Join(" | ", Attempts)}";

    internal void NoAnswer(int generation, Exception e)
    {
        Unknown = true;
        Attempt($"g{generation}: no answer ({e.GetType().Name})");
    }

    internal void Answer(int generation, int status, byte[] body, bool replayed, bool final)
    {
        Attempt($"g{generation}: {status}{(replayed ? " replayed" : "")} {(status >= 300 ? Field(body, "code") : "")}");
        if (final)
        {
            (Status, ResponseBody, AnsweredByReplay) = (status, body, replayed);
        }
    }

    internal void GaveUp(string reason) => Attempt($"gave up: {reason}");

    private void Attempt(string line)
    {
        lock (_attempts)
        {
            _attempts.Add(line.TrimEnd());
        }
    }

    internal static string? Field(byte[] body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return
                document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// A platform backend that does what the API asks of its clients: every POST carries an Idempotency-Key, and a
/// request whose connection broke is sent again, same key and same bytes, once the service is back. It keeps a
/// journal of every money-moving request for the checks at the end.
/// </summary>
public sealed class JournaledClient(RestartingApi api, HttpClient http, string secret)
{
    /// <summary>
    /// A request is abandoned after this long on one instance without a final answer (the test then fails on it).
    /// </summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(40);

    private const int ServerErrorRetries = 5;

    private readonly ConcurrentQueue<JournaledRequest> _journal = new();
    private int _inFlight;

    public IReadOnlyList<JournaledRequest> Journal => [.. _journal];

    /// <summary>Requests sent and not yet answered, at this moment.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Posts until it has a final answer and records the request in the journal.</summary>
    public async Task<JournaledRequest> PostAsync(string label, string path, object body, string key, Effect effect)
    {
        var request = new JournaledRequest(
            label,
            path,
            key,
            JsonSerializer.SerializeToUtf8Bytes(body, JsonDefaults.Options),
            effect
        );
        _journal.Enqueue(request);
        await SendUntilAnsweredAsync(request);
        return request;
    }

    /// <summary>Sends a journaled request once more, as it was, to the live instance.</summary>
    public async Task<(int Status, byte[] Body, bool Replayed)> ResendAsync(JournaledRequest request)
    {
        var instance = await api.UpAsync(1);
        using var message = Message(instance, request);
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), IsReplay(response));
    }

    private async Task SendUntilAnsweredAsync(JournaledRequest request)
    {
        var watch = Stopwatch.StartNew();
        var atLeast = 1;
        var serverErrors = 0;
        while (true)
        {
            if (watch.Elapsed > RequestDeadline)
            {
                request.GaveUp($"no final answer within {RequestDeadline.TotalSeconds} s");
                return;
            }

            var instance = await api.UpAsync(atLeast);
            int status;
            byte[] body;
            bool replayed;
            instance.CountSent();
            Interlocked.Increment(ref _inFlight);
            try
            {
                using var message = Message(instance, request);
                using var timeout = new CancellationTokenSource(RequestDeadline);
                using var response = await http.SendAsync(message, timeout.Token);
                body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                status = (int)response.StatusCode;
                replayed = IsReplay(response);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                request.NoAnswer(instance.Generation, e);
                if (instance.Killed)
                {
                    // The instance died under the request: whether it took effect is unknown, so the same request
                    // goes to the next instance, as a client that lost its connection would send it. The deadline
                    // starts again: waiting for a restart is not the API failing to answer.
                    atLeast = instance.Generation + 1;
                    watch.Restart();
                }
                else
                {
                    await Task.Delay(100);
                }

                continue;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            var code = status >= 400 ? JournaledRequest.Field(body, "code") : null;
            // Answers that say "not now" are retried as the API documents; everything else is the answer.
            var retry =
                (status == 409 && code == "idempotency_request_in_flight")
                || status == 429
                || (status >= 500 && ++serverErrors <= ServerErrorRetries);
            request.Answer(instance.Generation, status, body, replayed, final: !retry);
            if (!retry)
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    private HttpRequestMessage Message(ApiInstance instance, JournaledRequest request)
    {
        var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(instance.BaseAddress, request.Path))
        {
            Content = content,
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        message.Headers.Add(IdempotencyMiddleware.Header, request.Key);
        return message;
    }

    private static bool IsReplay(HttpResponseMessage response) =>
        response.Headers.TryGetValues(IdempotencyMiddleware.ReplayedHeader, out var values)
        && values.Contains("true", StringComparer.Ordinal);
}
