using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// Property-based hostile input over every operation of the OpenAPI document (issue "Money at the edges"). CsCheck
/// generates, per operation, requests with malformed JSON, wrong JSON types, negative, zero and huge amounts, long
/// strings, odd Unicode, unknown and missing fields, arrays for objects, deep nesting, unknown and foreign ids, odd
/// path parameters, bad query parameters, wrong content types, empty bodies, and every kind of caller. Every answer
/// is a 2xx (a read that was legitimate after all) or a 4xx problem+json with a <c>code</c>; never a 5xx; and a
/// batch of them changes nothing in the database.
/// </summary>
/// <remarks>
/// Runs are deterministic: batch i uses seed <see cref="FirstSeed"/> + i. A failure prints the batch's seed; set
/// <c>CsCheck_Seed</c> to it to replay that batch alone, or HOSTILE_INPUT_BATCHES to a larger number to explore.
/// </remarks>
public sealed partial class HostileInputTests(HostileInputApiFactory factory, ITestOutputHelper output)
    : IClassFixture<HostileInputApiFactory>
{
    /// <summary>
    /// Whether NUL and the other C0 control characters (and DEL) are generated, in paths, query strings and JSON text,
    /// as input the API must refuse with a 4xx. Today a NUL reaches PostgreSQL and answers 500; the 'edges' branch
    /// refuses them (ControlCharacterGuard, TextInput). The integrator sets this to true after merging 'edges'.
    /// </summary>
    public const bool ControlCharactersAreRefused = false;

    /// <summary>
    /// Whether 400 malformed_request bodies are held to naming no .NET type. Today they pass System.Text.Json's own
    /// messages through ("could not be mapped to any .NET member contained in type 'Truust.Api...'"); the 'edges'
    /// branch describes them in JSON terms (JsonInputErrors). The integrator sets this to true after merging 'edges'.
    /// </summary>
    public const bool DotNetTypeNamesAreHidden = true;

    /// <summary>Each batch holds one request per operation: ~70 requests, two database snapshots.</summary>
    private const int Batches = 15;

    private const ulong FirstSeed = 20_261_203;

    private const uint SeedStream = 7;

    private static readonly string[] DotNetNames = ["Truust.", "System.", "Microsoft."];

    [Fact]
    public async Task Every_operation_answers_hostile_input_with_a_4xx_problem_and_changes_nothing()
    {
        var operations = await factory.OperationsAsync();
        var tally = new Tally();

        var failures = await SampleAsync(
            Seeds(BatchCount(Batches)),
            async (client, batch) =>
            {
                var before = await factory.SnapshotAsync();
                var failures = new List<string>();
                foreach (var request in batch)
                {
                    var answer = await SendAsync(client, request);
                    tally.Add(request, answer);
                    failures.AddRange(Violations(request, answer).Select(v => Failure(request, answer, v)));
                }

                try
                {
                    (await factory.SnapshotAsync()).AssertSameAs(before);
                }
                catch (XunitException e)
                {
                    var writes = string.Join('\n', batch.Where(r => !r.IsRead));
                    failures.Add($"The batch changed the database.\n{e.Message}\nIts writes:\n{writes}");
                }

                return failures;
            }
        );

        tally.WriteTo(output);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(operations.Count >= 60, $"The OpenAPI document lists only {operations.Count} operations.");
        Assert.Equal(operations.Count, tally.Operations);
    }

    [Fact]
    public async Task Writes_with_odd_but_readable_values_answer_a_success_or_a_4xx_problem_never_a_5xx()
    {
        // A world of its own: these writes may succeed, and must not change what the other tests aim at.
        var world = await HostileWorld.CreateAsync(factory);
        var tally = new Tally();

        var failures = await SampleAsync(
            Seeds(BatchCount(5), offset: 2_000),
            requests => requests.TolerableBatch(),
            async (client, batch) =>
            {
                var failures = new List<string>();
                foreach (var request in batch)
                {
                    var answer = await SendAsync(client, request);
                    tally.Add(request, answer);
                    failures.AddRange(
                        Violations(request, answer, successAllowed: true).Select(v => Failure(request, answer, v))
                    );
                }

                return failures;
            },
            world,
            tolerableOnly: true
        );

        tally.WriteTo(output);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task No_problem_answered_to_hostile_input_names_a_dotnet_type_or_namespace()
    {
        var problems = 0;

        var failures = await SampleAsync(
            Seeds(BatchCount(5), offset: 1_000),
            async (client, batch) =>
            {
                var failures = new List<string>();
                foreach (var request in batch)
                {
                    var answer = await SendAsync(client, request);
                    if (answer.Status is < 400 or >= 500)
                    {
                        continue;
                    }

                    problems++;
                    if (!DotNetTypeNamesAreHidden && answer.Code == "malformed_request")
                    {
                        continue;
                    }

                    failures.AddRange(
                        DotNetNames
                            .Where(n => answer.Body.Contains(n, StringComparison.Ordinal))
                            .Select(n => Failure(request, answer, $"named '{n}…'"))
                    );
                }

                return failures;
            }
        );

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(problems > 100, $"Only {problems} problems were answered; the generator lost its teeth.");
    }

    /// <summary>The generator attacks what the document declares, so the document must declare only real inputs.
    /// </summary>
    [Fact]
    public async Task Every_parameter_the_OpenAPI_document_declares_is_a_snake_case_input()
    {
        var operations = await factory.OperationsAsync();

        var parameters = operations.SelectMany(o => o.PathParameters.Concat(o.QueryParameters).Select(p => (o, p)));

        // keyId is a route template name that never reaches the wire as a name; every other name does.
        Assert.All(
            parameters.Where(x => x.p.Name != "keyId"),
            x => Assert.True(SnakeCase().IsMatch(x.p.Name), $"{x.o.Name} declares '{x.p.Name}'.")
        );
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    /// <summary>
    /// Requests the generator found answering 500, kept as named examples. Placeholders: <c>{orders}</c> is one of the
    /// platform's order ids (likewise every collection), <c>{other:orders}</c> another platform's. The caller is
    /// "platform" (its key) or "operator" (the operator key, acting as no platform).
    /// </summary>
    [Theory]
    [InlineData("The operator lists customers", "operator", "GET", "/v1/customers", null, null)]
    [InlineData("The operator lists campaigns", "operator", "GET", "/v1/campaigns?limit=100", null, null)]
    [InlineData(
        "A UTF-8 body declared as UTF-16",
        "platform",
        "POST",
        "/v1/orders",
        "application/json; charset=utf-16",
        "{\"name\":\"Bike\",\"amount\":100,\"currency\":\"EUR\",\"seller_id\":\"{customers}\",\"splits\":1}"
    )]
    [InlineData(
        "A null leg in a transfer batch",
        "platform",
        "POST",
        "/v1/transfers/batch",
        "application/json",
        "{\"legs\":[null],\"description\":\"Hostile input\"}"
    )]
    [InlineData(
        "A null split in an order",
        "platform",
        "POST",
        "/v1/orders",
        "application/json",
        "{\"name\":\"Bike\",\"amount\":1000,\"currency\":\"EUR\",\"seller_id\":\"{customers}\",\"splits\":[null]}"
    )]
    [InlineData(
        "A null order in an order group",
        "platform",
        "POST",
        "/v1/order_groups",
        "application/json",
        "{\"buyer_id\":\"{customers}\",\"currency\":\"EUR\",\"orders\":[null]}"
    )]
    public async Task A_request_that_once_answered_500_is_refused_with_a_problem_and_changes_nothing(
        string example,
        string caller,
        string method,
        string url,
        string? contentType,
        string? body
    )
    {
        var world = await factory.WorldAsync();
        using var client = factory.CreateClient();
        var key = caller == "operator" ? TruustApiFactory.OperatorKey : world.Platform.Secret;
        var request = new HostileRequest(
            example,
            method,
            Resolve(world, url),
            caller == "operator" ? Credentials.OperatorKey : Credentials.PlatformKey,
            [new("Authorization", "Bearer " + key)],
            contentType,
            body is null ? null : Encoding.UTF8.GetBytes(Resolve(world, body)),
            [new Attack(example, method != "GET")]
        );

        var answer = await factory.AssertUnchangedAsync(() => SendAsync(client, request));

        Assert.Empty(Violations(request, answer).Select(v => Failure(request, answer, v)));
    }

    /// <summary>
    /// Found by the tolerable writes: the operator paying an order for a platform fired the trigger as
    /// Operator | Platform, which the history could not store (500, nothing kept). It is the operator who acted.
    /// </summary>
    [Fact]
    public async Task The_operator_paying_an_order_for_a_platform_is_recorded_in_the_history_as_the_operator()
    {
        var platform = await factory.CreateTestPlatformAsync();
        // Without a buyer, so that paying changes the status (an order whose buyer is known is PENDING_PUBLISH from
        // its creation, and its first payment starts in place, with no history row).
        var seller = await platform.Client.CreateCustomerAsync("Sam Seller");
        var order = await (
            await platform.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Vintage bicycle",
                    amount = 1_000,
                    currency = "EUR",
                    seller_id = seller.Id,
                }
            )
        ).ReadAsync<Truust.Api.Orders.OrderResponse>(HttpStatusCode.Created);
        using var operatorClient = factory.OperatorClient();
        operatorClient.DefaultRequestHeaders.Add("Truust-Platform", platform.Id);

        var payin = await operatorClient.PostJsonAsync("/v1/payins", new { order_id = order.Id, type = "ADDON" });

        await payin.ReadJsonAsync(HttpStatusCode.Created);
        var history = await platform.Client.GetJsonAsync<JsonElement>($"/v1/orders/{order.Id}/history");
        var payment = history
            .GetProperty("data")
            .EnumerateArray()
            .Single(c => c.GetProperty("action").GetString() == "pay");
        Assert.Equal(
            ("PENDING_PUBLISH", "OPERATOR"),
            (payment.GetProperty("to").GetString(), payment.GetProperty("actor").GetString())
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// Found by the generator: Npgsql writes only offset 0 to a timestamptz, so a timestamp with another offset (a
    /// list filter, a campaign deadline) answered 500. The API speaks UTC; it reads any offset as the same instant.
    /// </summary>
    [Fact]
    public async Task A_timestamp_with_an_offset_is_read_as_the_same_instant_in_UTC()
    {
        var platform = await factory.CreateTestPlatformAsync();
        var owner = await platform.Client.CreateCustomerAsync("Owner");
        var deadline = factory.Clock.GetUtcNow().AddDays(30);
        var local = deadline.ToOffset(TimeSpan.FromHours(14)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz");

        var orders = await platform.Client.GetAsync($"/v1/orders?created_gte={Uri.EscapeDataString(local)}");
        var campaign = await platform.Client.PostJsonAsync(
            "/v1/campaigns",
            new
            {
                name = "Solar roofs",
                kind = "DONATION",
                owner_id = owner.Id,
                target_amount = 100_000,
                currency = "EUR",
                deadline = local,
                mode = "KEEP_IT_ALL",
            }
        );

        await orders.ReadJsonAsync();
        var created = await campaign.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(deadline, created.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, created.GetProperty("deadline").GetDateTimeOffset().Offset);
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// Runs one CsCheck sample per seed, each a batch with one request per operation, and returns every failure with
    /// the seed that replays its batch. All batches run, so one run shows every defect, not only the first.
    /// </summary>
    private async Task<List<string>> SampleAsync(
        IEnumerable<string> seeds,
        Func<HttpClient, HostileRequest[], Task<List<string>>> check
    ) => await SampleAsync(seeds, requests => requests.Batch(), check, await factory.WorldAsync());

    private async Task<List<string>> SampleAsync(
        IEnumerable<string> seeds,
        Func<HostileRequests, Gen<HostileRequest[]>> batches,
        Func<HttpClient, HostileRequest[], Task<List<string>>> check,
        HostileWorld world,
        bool tolerableOnly = false
    )
    {
        var requests = new HostileRequests(
            world,
            await factory.OperationsAsync(),
            ControlCharactersAreRefused,
            tolerableOnly
        );
        using var client = factory.CreateClient();
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            try
            {
                await batches(requests)
                    .SampleAsync(
                        async batch =>
                        {
                            if (await check(client, batch) is { Count: > 0 } found)
                            {
                                throw new XunitException(string.Join("\n\n", found));
                            }
                        },
                        seed: seed,
                        iter: 1,
                        threads: 1,
                        print: batch => $"a batch of {batch.Length} requests; its failures:"
                    );
            }
            catch (CsCheckException e)
            {
                failures.Add($"{e.Message}\n{e.InnerException?.Message}");
            }
        }

        return failures;
    }

    /// <summary>The batches a test runs: <paramref name="usual"/>, or HOSTILE_INPUT_BATCHES to explore.</summary>
    private static int BatchCount(int usual) =>
        int.TryParse(Environment.GetEnvironmentVariable("HOSTILE_INPUT_BATCHES"), out var count) ? count : usual;

    private static IEnumerable<string> Seeds(int count, ulong offset = 0)
    {
        // CsCheck_Seed (printed by a failure) replays just that batch.
        if (Check.Seed is { } replay)
        {
            return [replay];
        }

        return Enumerable.Range(0, count).Select(i => new PCG(SeedStream, FirstSeed + offset + (ulong)i).ToString());
    }

    private static string Resolve(HostileWorld world, string text)
    {
        foreach (var (collection, ids) in world.Own)
        {
            text = text.Replace("{" + collection + "}", ids[0], StringComparison.Ordinal);
        }

        foreach (var (collection, ids) in world.Foreign)
        {
            text = text.Replace("{other:" + collection + "}", ids[0], StringComparison.Ordinal);
        }

        return text;
    }

    private sealed record Answer(int Status, string? MediaType, string Body, JsonElement? Json)
    {
        public string? Code =>
            Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("code", out var code)
            && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
    }

    private static async Task<Answer> SendAsync(HttpClient client, HostileRequest request)
    {
        using var message = request.ToMessage();
        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        JsonElement? json = null;
        try
        {
            json = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            // Left null: a problem that is not JSON is reported as such.
        }

        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, json);
    }

    /// <summary>What is wrong with <paramref name="answer"/> to <paramref name="request"/>; empty when it is right.
    /// </summary>
    private static IEnumerable<string> Violations(HostileRequest request, Answer answer, bool successAllowed = false)
    {
        if (answer.Status >= 500)
        {
            yield return $"answered {answer.Status}";
            yield break;
        }

        if (answer.Status is < 200 or (>= 300 and < 400))
        {
            yield return $"answered {answer.Status}, neither a success nor a client error";
            yield break;
        }

        if (answer.Status < 300)
        {
            if (request.MustBeRefused || !(request.IsRead || successAllowed))
            {
                yield return $"accepted ({answer.Status}) a request it must refuse";
            }

            yield break;
        }

        if (answer.MediaType != "application/problem+json")
        {
            yield return $"answered {answer.Status} as {answer.MediaType ?? "no content type"}, not problem+json";
        }

        if (answer.Code is null)
        {
            yield return $"answered {answer.Status} without a string 'code'";
        }

        if (
            answer.Json is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("status", out var status)
            || status.ValueKind != JsonValueKind.Number
            || status.GetInt32() != answer.Status
        )
        {
            yield return $"answered {answer.Status} with a problem whose 'status' differs";
        }
    }

    private static string Failure(HostileRequest request, Answer answer, string violation) =>
        $"{request.Operation} {violation}:\n  {request}\n  answer: {(HttpStatusCode)answer.Status} "
        + $"{answer.MediaType} {(answer.Body.Length > 600 ? answer.Body[..600] + "…" : answer.Body)}";

    /// <summary>What the API answered, overall and per operation: shows whether attacks reach past the first check.
    /// </summary>
    private sealed class Tally
    {
        private readonly SortedDictionary<string, int> _byCode = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, SortedDictionary<int, int>> _byOperation = new(
            StringComparer.Ordinal
        );
        private int _requests;

        public int Operations => _byOperation.Count;

        public void Add(HostileRequest request, Answer answer)
        {
            _requests++;
            var code = $"{answer.Status} {answer.Code}".TrimEnd();
            _byCode[code] = _byCode.GetValueOrDefault(code) + 1;
            var statuses = _byOperation.TryGetValue(request.Operation, out var found)
                ? found
                : _byOperation[request.Operation] = [];
            statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
        }

        public void WriteTo(ITestOutputHelper output)
        {
            output.WriteLine($"{_requests} hostile requests over {Operations} operations, answered:");
            foreach (var (code, count) in _byCode)
            {
                output.WriteLine($"  {count, 5} {code}");
            }

            foreach (var (operation, statuses) in _byOperation)
            {
                output.WriteLine($"  {operation}: {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}");
            }
        }
    }
}
