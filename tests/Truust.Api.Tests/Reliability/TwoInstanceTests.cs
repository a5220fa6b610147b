using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Integration;
using Xunit.Abstractions;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// Two API processes on loopback against one PostgreSQL database, as behind a load balancer. Requests alternate
/// between them; one is SIGKILLed under load and its clients go on against the other with the same keys. At the
/// end every background job has done its work exactly once (releases, settlements, wire expiries, campaign
/// deadlines and their refunds, webhook deliveries, card recovery, the idempotency purge), every acknowledged
/// request exists once, a dashboard session and an antiforgery token issued by one instance work on the other, a
/// retry on the other instance replays the first answer, the rate limit is the deployment's total, and the ledger
/// balances and reconciles.
/// </summary>
public sealed partial class TwoInstanceTests(ITestOutputHelper output)
{
    private const int Clients = 12;
    private const int Wallets = 6;
    private const long FundingMinor = 10_000_000;
    private const string ApprovedCard = "4242424242424242";

    /// <summary>The deployment-wide burst of failed authentications from one address, split over the two
    /// instances (RateLimits:Instances).</summary>
    private const int FailedAuthBurst = 20;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Two_instances_share_one_database_and_one_killed_instance_loses_nothing()
    {
        var server = await TestDatabaseServer.GetAsync();
        var database = await server.CreateDatabaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        try
        {
            await RunAsync(database, receiver);
        }
        finally
        {
            await server.ReleaseDatabaseAsync(database);
        }
    }

    private async Task RunAsync(string database, WebhookReceiver receiver)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Truust"] = database,
            ["Truust__OperatorKey"] = TruustApiFactory.OperatorKey,
            ["Truust__MigrateOnStartup"] = "false",
            ["RateLimits__Instances"] = "2",
            ["RateLimits__PermitsPerSecond"] = "100000",
            ["RateLimits__Burst"] = "100000",
            ["RateLimits__UnauthenticatedBurst"] = FailedAuthBurst.ToString(),
            ["RateLimits__UnauthenticatedPermitsPerSecond"] = "2",
            ["Workers__PollMilliseconds"] = "100",
            // Work claimed by the killed instance is taken over once this lease ends.
            ["Workers__LeaseSeconds"] = "2",
            ["Idempotency__LeaseSeconds"] = "2",
            ["Gateways__Bank__SettlementHours"] = "0",
            ["Gateways__Bankwire__ExpiryHours"] = "0",
            ["Webhooks__AllowPrivateNetworks"] = "true",
            ["Webhooks__TimeoutSeconds"] = "5",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        var started = await Task.WhenAll(
            ApiProcess.StartAsync(settings, StartTimeout),
            ApiProcess.StartAsync(settings, StartTimeout)
        );
        await using var a = started[0];
        await using var b = started[1];
        Log($"two instances up: {a.BaseAddress} and {b.BaseAddress}");
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var api = new TwoApis(http, a, b);

        var world = await SetUpAsync(api, receiver);
        await PlantExpiredIdempotencyKeyAsync(database);
        Log("set up");

        await DashboardSessionWorksOnBothAsync(a, b, world.Secret);
        await RetryOnTheOtherInstanceReplaysAsync(api, world);
        await RateLimitIsTheDeploymentTotalAsync(api);

        // Load through both, then one instance dies mid-load; its clients carry on against the other.
        using var stop = new CancellationTokenSource();
        var journal = new List<Acknowledged>();
        var load = Enumerable
            .Range(0, Clients)
            .Select(c => Task.Run(() => ClientAsync(api, world, c, journal, stop.Token)))
            .ToList();
        await api.SentAtLeastAsync(api.Sent + 150).WaitAsync(TimeSpan.FromSeconds(120));
        api.KillA();
        Log($"instance A (pid {a.ProcessId}) SIGKILLed after {api.Sent} requests");
        await api.SentAtLeastAsync(api.Sent + 100).WaitAsync(TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(120));
        Log($"load stopped: {journal.Count} acknowledged requests");

        await MakeCampaignsDueAsync(database, world);
        await WaitUntilAllWorkIsDoneAsync(database, receiver);
        var repeatedWebhooks = await AssertEachEffectOnceAsync(database, journal, world, receiver);
        Log($"{repeatedWebhooks} webhook(s) sent again by the survivor after the kill");
        await LedgerInvariants.AssertAsync(database);
        var reconciliation = await api.SendAsync(
            HttpMethod.Get,
            "/v1/reconciliation",
            null,
            null,
            TruustApiFactory.OperatorKey,
            1
        );
        using var report = JsonDocument.Parse(await reconciliation.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, reconciliation.StatusCode);
        Assert.Equal(0, report.RootElement.GetProperty("mismatches").GetArrayLength());
        Log("exactly once, invariants and reconciliation hold");
    }

    private sealed record World(
        string Secret,
        IReadOnlyList<string> Wallets,
        IReadOnlyList<string> Buyers,
        IReadOnlyList<(string Customer, string Wallet, string BankAccount)> Sellers,
        IReadOnlyList<string> Campaigns
    );

    /// <summary>An acknowledged request: what it was and the id of what it made.</summary>
    private sealed record Acknowledged(string Label, string Key, string Id);

    private static async Task<World> SetUpAsync(TwoApis api, WebhookReceiver receiver)
    {
        var platform = await api.PostAsync(
            "/v1/platforms",
            new
            {
                name = "Two instances",
                fee_percent_bp = 0,
                fee_fixed = 0,
            },
            "setup-platform",
            TruustApiFactory.OperatorKey,
            0
        );
        var secret = platform.GetProperty("api_key").GetProperty("secret").GetString()!;
        var n = 0;

        async Task<string> CreateAsync(string path, object body) =>
            Id(await api.PostAsync(path, body, $"setup-{Interlocked.Increment(ref n)}", secret, n));

        var endpoint = await api.PostAsync(
            "/v1/webhook_endpoints",
            new { url = receiver.Url("/hooks"), event_types = new[] { "*" } },
            "setup-hook",
            secret,
            1
        );
        receiver.Expect("/hooks", endpoint.GetProperty("secret").GetString()!);

        async Task<(string Holder, string Wallet)> FundedWalletAsync(int i)
        {
            var holder = await CreateAsync(
                "/v1/customers",
                new { name = $"holder{i}", email = $"holder{i}@example.com" }
            );
            var wallet = await CreateAsync("/v1/wallets", new { customer_id = holder, currency = "EUR" });
            var topup = await CreateAsync(
                $"/v1/wallets/{wallet}/topups",
                new { type = "ADDON", amount = FundingMinor }
            );
            await api.PostAsync(CardPath(topup), CardBody(), $"setup-card-{topup}", secret, i);
            return (holder, wallet);
        }

        async Task<(string, string, string)> SellerAsync(int i)
        {
            var seller = await CreateAsync(
                "/v1/customers",
                new { name = $"seller{i}", email = $"seller{i}@example.com" }
            );
            var wallet = await CreateAsync("/v1/wallets", new { customer_id = seller, currency = "EUR" });
            var account = await CreateAsync(
                $"/v1/customers/{seller}/bank_accounts",
                new { holder_name = $"Seller {i}", iban = TestIbans.Spain }
            );
            return (seller, wallet, account);
        }

        var funded = await Task.WhenAll(Enumerable.Range(0, Wallets).Select(FundedWalletAsync));
        var wallets = funded.Select(f => f.Wallet).ToArray();
        var buyers = await Task.WhenAll(
            Enumerable
                .Range(0, 3)
                .Select(i => CreateAsync("/v1/customers", new { name = $"buyer{i}", email = $"buyer{i}@example.com" }))
        );
        var sellers = await Task.WhenAll(Enumerable.Range(0, 3).Select(SellerAsync));

        // Campaigns with wallet contributions: the even ones reach their target (released to the owner at the
        // deadline), the odd ones do not (every contribution refunded).
        async Task<string> CampaignAsync(int c)
        {
            var campaign = await CreateAsync(
                "/v1/campaigns",
                new
                {
                    name = $"campaign {c}",
                    kind = "DONATION",
                    owner_id = sellers[c % sellers.Length].Item1,
                    target_amount = c % 2 == 0 ? 2_000 : 1_000_000,
                    currency = "EUR",
                    deadline = DateTimeOffset.UtcNow.AddDays(30),
                }
            );
            foreach (var contributor in funded.Skip(c).Take(2))
            {
                await CreateAsync(
                    $"/v1/campaigns/{campaign}/contributions",
                    new
                    {
                        contributor_id = contributor.Holder,
                        amount = 1_000,
                        type = "WALLET",
                        wallet_id = contributor.Wallet,
                    }
                );
            }

            return campaign;
        }

        var campaigns = await Task.WhenAll(Enumerable.Range(0, 4).Select(CampaignAsync));
        return new World(secret, wallets, buyers, sellers, campaigns);
    }

    /// <summary>A key from yesterday (the platform's creation, made old) that one instance's purge must delete.
    /// </summary>
    private static async Task PlantExpiredIdempotencyKeyAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var age = new NpgsqlCommand(
            "UPDATE idempotency_records SET expires_at = now() - interval '1 day' WHERE key = 'setup-platform'",
            connection
        );
        Assert.Equal(1, await age.ExecuteNonQueryAsync());
    }

    private static async Task DashboardSessionWorksOnBothAsync(ApiProcess a, ApiProcess b, string secret)
    {
        // One browser: one cookie jar for both instances (same host, different ports, as behind a balancer).
        var cookies = new CookieContainer();
        using var browser = new HttpClient(
            new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }
        );
        var page = await browser.GetStringAsync(new Uri(a.BaseAddress, "/dashboard/signin"));
        var token = TokenField().Match(page).Groups["token"].Value;
        Assert.NotEmpty(token);
        // The antiforgery token and its cookie from A are accepted by B; the session cookie B issues works on A.
        var signIn = await browser.PostAsync(
            new Uri(b.BaseAddress, "/dashboard/signin"),
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = secret, ["__RequestVerificationToken"] = token }
            )
        );
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        foreach (var instance in new[] { a, b })
        {
            var orders = await browser.GetAsync(new Uri(instance.BaseAddress, "/dashboard/orders"));
            Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        }
    }

    private static async Task RetryOnTheOtherInstanceReplaysAsync(TwoApis api, World world)
    {
        var body = new
        {
            from_wallet_id = world.Wallets[0],
            to_wallet_id = world.Wallets[1],
            amount = 77,
            description = "retried-on-b",
        };
        var first = await api.SendAsync(HttpMethod.Post, "/v1/transfers", body, "retried-on-b", world.Secret, 0);
        var retry = await api.SendAsync(HttpMethod.Post, "/v1/transfers", body, "retried-on-b", world.Secret, 1);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(first.StatusCode, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
    }

    /// <summary>
    /// Each instance enforces half of a limit, so an address guessing keys against both gets the deployment's total
    /// and no more (plus what refills meanwhile, 1 per second per instance).
    /// </summary>
    private static async Task RateLimitIsTheDeploymentTotalAsync(TwoApis api)
    {
        var watch = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * FailedAuthBurst; i++)
        {
            var secret = $"sk_test_never_issued_{i}";
            statuses.Add((await api.SendAsync(HttpMethod.Get, "/v1/customers", null, null, secret, i)).StatusCode);
        }

        var refilled = 2 * ((int)Math.Ceiling(watch.Elapsed.TotalSeconds) + 1);
        var refused = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        Assert.InRange(refused, FailedAuthBurst, FailedAuthBurst + refilled);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>Transfers, and order lifecycles paid by card and paid out to a wallet or a bank account, and wire
    /// payins left to expire; the requests alternate between the instances.</summary>
    private static async Task ClientAsync(
        TwoApis api,
        World world,
        int client,
        List<Acknowledged> journal,
        CancellationToken stop
    )
    {
        var random = new Random(client);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"c{client}-{n}";
            void Ack(string label, string k, string id)
            {
                lock (journal)
                {
                    journal.Add(new Acknowledged(label, k, id));
                }
            }

            if (n % 4 != 3)
            {
                var from = random.Next(world.Wallets.Count);
                var to = (from + 1 + random.Next(world.Wallets.Count - 1)) % world.Wallets.Count;
                var transfer = await api.PostAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = world.Wallets[from],
                        to_wallet_id = world.Wallets[to],
                        amount = random.Next(1, 500),
                        description = key,
                    },
                    key,
                    world.Secret,
                    n
                );
                Ack("transfer", key, Id(transfer));
                continue;
            }

            var seller = world.Sellers[random.Next(world.Sellers.Count)];
            var order = Id(
                await api.PostAsync(
                    "/v1/orders",
                    new
                    {
                        name = key,
                        amount = random.Next(100, 10_000),
                        currency = "EUR",
                        buyer_id = world.Buyers[random.Next(world.Buyers.Count)],
                        seller_id = seller.Customer,
                    },
                    $"{key}-create",
                    world.Secret,
                    n
                )
            );
            Ack("order", key, order);
            var byWire = n % 12 == 3;
            var payin = Id(
                await api.PostAsync(
                    "/v1/payins",
                    new { order_id = order, type = byWire ? "BANKWIRE" : "ADDON" },
                    $"{key}-payin",
                    world.Secret,
                    n + 1
                )
            );
            if (byWire)
            {
                // Its deadline is now (ExpiryHours 0): the wire-expiry job of one instance expires it.
                Ack("wire", key, payin);
                continue;
            }

            await api.PostAsync(CardPath(payin), CardBody(), $"{key}-card", world.Secret, n + 2);
            await api.PostAsync($"/v1/orders/{order}/accept", new { }, $"{key}-accept", world.Secret, n + 3);
            var toBank = n % 8 == 7;
            object payout = toBank
                ? new
                {
                    order_id = order,
                    type = "ACCOUNT",
                    bankaccount_id = seller.BankAccount,
                }
                : new
                {
                    order_id = order,
                    type = "WALLET",
                    wallet_id = seller.Wallet,
                };
            await api.PostAsync("/v1/payouts", payout, $"{key}-payout", world.Secret, n + 4);
            await api.PostAsync($"/v1/orders/{order}/validate", new { }, $"{key}-validate", world.Secret, n + 5);
            Ack(toBank ? "released to bank" : "released to wallet", key, order);
        }
    }

    private static async Task MakeCampaignsDueAsync(string database, World world)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var due = new NpgsqlCommand("UPDATE campaigns SET deadline = now() WHERE id = ANY($1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = world.Campaigns.ToArray() } },
        };
        Assert.Equal(world.Campaigns.Count, await due.ExecuteNonQueryAsync());
    }

    /// <summary>Everything the jobs owe, found by what is still due; the surviving instance must clear it.</summary>
    private async Task WaitUntilAllWorkIsDoneAsync(string database, WebhookReceiver receiver)
    {
        const string Outstanding = """
            SELECT 'order awaiting release ' || id FROM orders WHERE status = 'PENDING_RELEASE'
            UNION ALL SELECT 'payout not settled ' || id FROM payouts WHERE status <> 'PAID'
            UNION ALL SELECT 'payin not final ' || id FROM payins WHERE status IN ('PENDING', 'PROCESSING')
            UNION ALL SELECT 'campaign not settled ' || id FROM campaigns WHERE status IN ('OPEN', 'FUNDED')
            UNION ALL SELECT 'refund not done ' || id FROM refunds WHERE status NOT IN ('SUCCEEDED')
            UNION ALL SELECT 'webhook not delivered ' || id FROM webhook_deliveries WHERE status <> 'SUCCEEDED'
            UNION ALL SELECT 'idempotency key not purged' FROM idempotency_records WHERE key = 'setup-platform'
            """;
        var watch = Stopwatch.StartNew();
        List<string> left;
        do
        {
            await Task.Delay(200);
            left = await QueryAsync(database, Outstanding);
        } while (left.Count > 0 && watch.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(left.Count == 0, $"work left undone:\n{string.Join('\n', left.Take(20))}");
        Log($"all background work done {watch.Elapsed.TotalSeconds:0.0} s after the load ({receiver.BaseUrl})");
    }

    /// <summary>Returns how many webhooks were repeated after the kill.</summary>
    private static async Task<int> AssertEachEffectOnceAsync(
        string database,
        List<Acknowledged> journal,
        World world,
        WebhookReceiver receiver
    )
    {
        // No job posted the same money movement twice (the same kind, reference and accounts).
        var duplicates = await QueryAsync(
            database,
            """
            SELECT kind || ' ' || reference || ' x' || count(*) FROM ledger_transfers
            GROUP BY kind, reference, debit_account, credit_account HAVING count(*) > 1
            """
        );
        Assert.Empty(duplicates);
        // Each order and campaign went through each status once.
        Assert.Empty(
            await QueryAsync(
                database,
                """
                SELECT order_id || ' ' || "to" FROM order_status_changes
                GROUP BY order_id, "to" HAVING count(*) > 1
                UNION ALL SELECT campaign_id || ' ' || "to" FROM campaign_status_changes
                GROUP BY campaign_id, "to" HAVING count(*) > 1
                """
            )
        );

        // Every acknowledged request exists once, and its effect is final.
        var expected = journal
            .Select(j =>
                j.Label switch
                {
                    "transfer" => ($"SELECT count(*) FROM wallet_transfers WHERE description = '{j.Key}'", 1L),
                    "order" => ($"SELECT count(*) FROM orders WHERE name = '{j.Key}'", 1L),
                    "wire" => ($"SELECT count(*) FROM payins WHERE id = '{j.Id}' AND status = 'EXPIRED'", 1L),
                    _ => ($"SELECT count(*) FROM orders WHERE id = '{j.Id}' AND status = 'RELEASED'", 1L),
                }
            )
            .ToList();
        var counts = await ScalarsAsync(database, expected.Select(e => e.Item1));
        var wrong = expected.Zip(counts).Where(x => x.First.Item2 != x.Second).Select(x => x.First.Item1).ToList();
        Assert.True(
            wrong.Count == 0,
            $"{wrong.Count} acknowledged requests not applied once, e.g. {wrong.FirstOrDefault()}"
        );
        Assert.Contains(journal, j => j.Label == "wire");
        Assert.Contains(journal, j => j.Label == "released to bank");
        Assert.Contains(journal, j => j.Label == "released to wallet");

        // Campaigns: the funded ones succeeded, the others failed and refunded both contributions.
        var campaignStatuses = await QueryAsync(
            database,
            $"SELECT status FROM campaigns WHERE id IN ('{string.Join("','", world.Campaigns)}') ORDER BY id"
        );
        Assert.Equal(2, campaignStatuses.Count(s => s == "SUCCEEDED"));
        Assert.Equal(2, campaignStatuses.Count(s => s == "FAILED"));

        // Each event reached the endpoint, signed, and each delivery succeeded once in Truust's records though both
        // instances deliver. A delivery the killed instance had sent but not yet recorded is sent again by the
        // survivor with the same webhook-id (at least once, as Standard Webhooks promises; receivers deduplicate
        // by that id), so repeats are bounded by what one instance holds claimed: one batch.
        var events = await QueryAsync(database, "SELECT event_id FROM webhook_deliveries");
        var received = receiver.ReceivedAt("/hooks");
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Equal(events.Order(), received.Select(r => r.EventId).Distinct().Order());
        var repeated = received.GroupBy(r => r.EventId).Where(g => g.Count() > 1).ToList();
        Assert.All(repeated, g => Assert.Single(g.Select(r => r.Id).Distinct()));
        Assert.InRange(repeated.Sum(g => g.Count() - 1), 0, 20);
        Assert.Empty(
            await QueryAsync(
                database,
                """
                SELECT delivery_id FROM webhook_attempts WHERE error IS NULL
                GROUP BY delivery_id HAVING count(*) > 1
                """
            )
        );
        return repeated.Count;
    }

    private static async Task<List<string>> QueryAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<List<long>> ScalarsAsync(string database, IEnumerable<string> queries)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in queries)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        }

        var results = new List<long>();
        await using var reader = await batch.ExecuteReaderAsync();
        do
        {
            await reader.ReadAsync();
            results.Add(reader.GetInt64(0));
        } while (await reader.NextResultAsync());

        return results;
    }

    private static string Id(JsonElement created) => created.GetProperty("id").GetString()!;

    private static string CardPath(string payinId) => $"/v1/sandbox/payins/{payinId}/card";

    private static object CardBody() =>
        new
        {
            number = ApprovedCard,
            exp_month = 12,
            exp_year = DateTime.UtcNow.Year + 3,
            cvc = "123",
        };

    private void Log(string message) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds, 6:0.0} s] {message}");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>
    /// Two instances behind a round-robin "balancer": request n goes to instance n mod 2 while both live. A request
    /// whose connection breaks (its instance was killed) is sent again to the survivor, same key and same bytes, as
    /// a client behind a balancer would see it. A 503 or 429 is retried after its Retry-After.
    /// </summary>
    private sealed class TwoApis(HttpClient http, ApiProcess a, ApiProcess b)
    {
        private volatile bool _aKilled;
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public void KillA()
        {
            _aKilled = true;
            a.Kill();
        }

        public async Task SentAtLeastAsync(int requests)
        {
            while (Sent < requests)
            {
                await Task.Delay(20);
            }
        }

        public async Task<JsonElement> PostAsync(string path, object body, string key, string secret, int pick)
        {
            var response = await SendAsync(HttpMethod.Post, path, body, key, secret, pick);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        public async Task<HttpResponseMessage> SendAsync(
            HttpMethod method,
            string path,
            object? body,
            string? key,
            string secret,
            int pick
        )
        {
            var bytes = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body);
            for (var attempt = 0; ; attempt++)
            {
                var instance = _aKilled || pick % 2 == 1 ? b : a;
                using var request = new HttpRequestMessage(method, new Uri(instance.BaseAddress, path));
                request.Headers.Authorization = new("Bearer", secret);
                if (key is not null)
                {
                    request.Headers.Add("Idempotency-Key", key);
                }

                if (bytes is not null)
                {
                    request.Content = new ByteArrayContent(bytes)
                    {
                        Headers = { ContentType = new("application/json") },
                    };
                }

                Interlocked.Increment(ref _sent);
                try
                {
                    var response = await http.SendAsync(request);
                    var retryable =
                        response.StatusCode is HttpStatusCode.ServiceUnavailable
                        || (
                            response.StatusCode == HttpStatusCode.Conflict
                            && (await response.Content.ReadAsStringAsync()).Contains("idempotency_request_in_flight")
                        );
                    if (!retryable || attempt > 50 || key is null)
                    {
                        return response;
                    }

                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(500));
                }
                catch (HttpRequestException) when (instance == a && _aKilled && attempt < 50)
                {
                    // Killed under this request: the survivor takes the retry.
                }
            }
        }
    }
}
