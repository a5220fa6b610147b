using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// A load generator for a running Truust (see bench/README.md). Every loop is bounded in count and time and
// targets only the URL given (loopback by default). `compare` runs the API against pgbench (bench/run.sh).
if (args.Length > 0 && args[0] == "compare")
{
    return await Compare.RunAsync(args[1..]);
}

var options = BenchOptions.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 })
{
    BaseAddress = new Uri(options.Url),
    Timeout = TimeSpan.FromSeconds(30),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
var api = new Api(http);

switch (options.Scenario)
{
    case "lifecycle":
        await Scenarios.LifecycleAsync(api, options);
        break;
    case "transfers":
        await Scenarios.TransfersAsync(api, options);
        break;
    case "seed-orders":
        await Scenarios.SeedOrdersAsync(api, options);
        break;
    case "list":
        await Scenarios.ListAsync(api, options);
        break;
    case "dashboard":
        await Scenarios.DashboardAsync(options);
        break;
    case "releases":
        await Scenarios.ReleasesAsync(api, options);
        break;
    default:
        Console.Error.WriteLine(
            $"Unknown scenario '{options.Scenario}'. Use lifecycle, transfers, seed-orders, list, dashboard or "
                + "releases."
        );
        return 2;
}

return 0;

internal sealed record BenchOptions(
    string Url,
    string Key,
    string Scenario,
    int Concurrency,
    int Count,
    int Wallets,
    TimeSpan MaxDuration,
    string? Path
)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        return new BenchOptions(
            Get("url", "http://127.0.0.1:5080"),
            Get("key", "sk_test_demo_truust_00000000000000000000"),
            Get("scenario", "lifecycle"),
            int.Parse(Get("concurrency", "16")),
            int.Parse(Get("count", "500")),
            int.Parse(Get("wallets", "100")),
            TimeSpan.FromSeconds(int.Parse(Get("max-seconds", "120"))),
            args.Contains("--path") ? Get("path", "/v1/orders?limit=100") : null
        );
    }
}

internal sealed class Api(HttpClient http)
{
    public readonly Stats Stats = new();

    public async Task<JsonElement> PostAsync(string path, object? body, string label)
    {
        var content = new StringContent(
            body is null ? "" : JsonSerializer.Serialize(body),
            Encoding.UTF8,
            "application/json"
        );
        return await SendAsync(() => http.PostAsync(path, content), label);
    }

    public Task<JsonElement> GetAsync(string path, string label) => SendAsync(() => http.GetAsync(path), label);

    private async Task<JsonElement> SendAsync(Func<Task<HttpResponseMessage>> send, string label)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send();
        var text = await response.Content.ReadAsStringAsync();
        Stats.Record(label, watch.Elapsed, (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure(label, (int)response.StatusCode, text);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

internal sealed class BenchFailure(string label, int status, string body) : Exception($"{label}: {status} {body}")
{
    public int Status { get; } = status;
}

internal sealed class Stats
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<double>> _latencies = new();
    private readonly Dictionary<int, int> _statuses = new();

    public void Record(string label, TimeSpan elapsed, int status)
    {
        lock (_gate)
        {
            if (!_latencies.TryGetValue(label, out var list))
            {
                _latencies[label] = list = [];
            }

            list.Add(elapsed.TotalMilliseconds);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        }
    }

    public void Print(TimeSpan wall)
    {
        Console.WriteLine($"{"request", -22} {"count", 7} {"p50 ms", 8} {"p95 ms", 8} {"p99 ms", 8} {"max ms", 8}");
        foreach (var (label, list) in _latencies.OrderBy(p => p.Key))
        {
            list.Sort();
            double P(double q) => list[Math.Min(list.Count - 1, (int)(q * list.Count))];
            Console.WriteLine(
                $"{label, -22} {list.Count, 7} {P(0.50), 8:F1} {P(0.95), 8:F1} {P(0.99), 8:F1} {list[^1], 8:F1}"
            );
        }

        // Setup requests ran before the clock started; only the measured ones count towards the rate.
        var total = _latencies.Where(p => p.Key != "setup").Sum(p => p.Value.Count);
        Console.WriteLine(
            $"statuses: {string.Join(", ", _statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}"
        );
        Console.WriteLine(
            $"{total} measured requests in {wall.TotalSeconds:F2} s = {total / wall.TotalSeconds:F0} requests/s"
        );
    }
}

internal static class Scenarios
{
    private static readonly object Card = new
    {
        number = "4242424242424242",
        exp_month = 12,
        exp_year = 2030,
        cvc = "123",
    };

    /// <summary>Whole escrow lifecycles: order, card payin, accept, wallet payout, validate (release is
    /// automatic).</summary>
    public static async Task LifecycleAsync(Api api, BenchOptions o)
    {
        var seller = Id(
            await api.PostAsync("/v1/customers", new { name = "Bench seller", email = "seller@bench.test" }, "setup")
        );
        var buyer = Id(
            await api.PostAsync("/v1/customers", new { name = "Bench buyer", email = "buyer@bench.test" }, "setup")
        );
        var wallet = await WalletAsync(api, seller);
        var watch = Stopwatch.StartNew();
        var completed = 0;
        await RunAsync(
            o,
            async _ =>
            {
                var order = Id(
                    await api.PostAsync(
                        "/v1/orders",
                        new
                        {
                            name = "Bench order",
                            amount = 1000,
                            currency = "EUR",
                            buyer_id = buyer,
                            seller_id = seller,
                        },
                        "create order"
                    )
                );
                var payin = Id(
                    await api.PostAsync("/v1/payins", new { order_id = order, type = "ADDON" }, "create payin")
                );
                await api.PostAsync($"/v1/sandbox/payins/{payin}/card", Card, "pay by card");
                await api.PostAsync($"/v1/orders/{order}/accept", null, "accept");
                await api.PostAsync(
                    "/v1/payouts",
                    new
                    {
                        order_id = order,
                        type = "WALLET",
                        wallet_id = wallet,
                    },
                    "create payout"
                );
                await api.PostAsync($"/v1/orders/{order}/validate", null, "validate");
                Interlocked.Increment(ref completed);
            }
        );
        watch.Stop();
        api.Stats.Print(watch.Elapsed);
        // What completed, not --count: --max-seconds may have stopped the run early, and failed lifecycles do not count.
        Console.WriteLine(
            $"{completed} lifecycles completed in {watch.Elapsed.TotalSeconds:F2} s = "
                + $"{completed / watch.Elapsed.TotalSeconds:F1} lifecycles/s"
        );
    }

    /// <summary>
    /// Random wallet-to-wallet transfers among --wallets wallets. Run it with 2 wallets and with 100 to see what a
    /// hot row costs: every transfer locks both of its wallets.
    /// </summary>
    public static async Task TransfersAsync(Api api, BenchOptions o)
    {
        var wallets = new List<string>();
        for (var i = 0; i < o.Wallets; i++)
        {
            var customer = Id(
                await api.PostAsync("/v1/customers", new { name = $"Bench {i}", email = $"w{i}@bench.test" }, "setup")
            );
            var wallet = await WalletAsync(api, customer);
            var topup = Id(
                await api.PostAsync(
                    $"/v1/wallets/{wallet}/topups",
                    new { type = "ADDON", amount = 100_000_000 },
                    "setup"
                )
            );
            await api.PostAsync($"/v1/sandbox/payins/{topup}/card", Card, "setup");
            wallets.Add(wallet);
        }

        var watch = Stopwatch.StartNew();
        await RunAsync(
            o,
            async i =>
            {
                var from = wallets[Random.Shared.Next(wallets.Count)];
                var to = wallets[(wallets.IndexOf(from) + 1 + Random.Shared.Next(wallets.Count - 1)) % wallets.Count];
                await api.PostAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from,
                        to_wallet_id = to,
                        amount = 1 + i % 100,
                    },
                    "transfer"
                );
            }
        );
        watch.Stop();
        api.Stats.Print(watch.Elapsed);
    }

    /// <summary>
    /// In-request releases with and without a platform fee, alternating in one run: per phase, --count orders of four
    /// milestones each over --wallets sellers (each with its own wallet) are paid, accepted and given a wallet payout
    /// (setup, not measured), then every milestone is validated (one release each) with --concurrency clients,
    /// milestone by milestone so that concurrent validates are on different orders. Phases: fee, no fee, fee, no fee.
    /// A release with a fee credits the platform's one fee wallet; without, only the seller's wallet.
    /// </summary>
    public static async Task ReleasesAsync(Api api, BenchOptions o)
    {
        const int milestones = 4;
        var buyer = Id(
            await api.PostAsync("/v1/customers", new { name = "Bench buyer", email = "buyer@bench.test" }, "setup")
        );
        var sellers = new List<(string Customer, string Wallet)>();
        for (var i = 0; i < o.Wallets; i++)
        {
            var seller = Id(
                await api.PostAsync("/v1/customers", new { name = $"Seller {i}", email = $"s{i}@bench.test" }, "setup")
            );
            sellers.Add((seller, await WalletAsync(api, seller)));
        }

        var totals = new Dictionary<bool, (int Releases, double Seconds)> { [true] = (0, 0), [false] = (0, 0) };
        // A short unmeasured pair first: the first phase would otherwise pay for the JIT and the connection pools.
        var phases = new[] { (true, false), (false, false), (true, true), (false, true), (true, true), (false, true) };
        foreach (var (withFee, measured) in phases)
        {
            var count = measured ? o.Count : Math.Max(1, o.Count / 4);
            var orders = new (string Order, string[] Milestones)[count];
            await RunAsync(
                o with
                {
                    Count = count,
                    MaxDuration = TimeSpan.FromMinutes(30),
                },
                async i =>
                {
                    var (seller, wallet) = sellers[i % sellers.Count];
                    var order = await api.PostAsync(
                        "/v1/orders",
                        new
                        {
                            name = "Bench release",
                            amount = 4_000,
                            currency = "EUR",
                            fee_amount = withFee ? 200 : 0,
                            buyer_id = buyer,
                            seller_id = seller,
                            milestones = Enumerable
                                .Range(1, milestones)
                                .Select(m => new { name = $"Stage {m}", amount = 1_000 })
                                .ToArray(),
                        },
                        "setup"
                    );
                    var id = Id(order);
                    var payin = Id(await api.PostAsync("/v1/payins", new { order_id = id, type = "ADDON" }, "setup"));
                    await api.PostAsync($"/v1/sandbox/payins/{payin}/card", Card, "setup");
                    await api.PostAsync($"/v1/orders/{id}/accept", null, "setup");
                    await api.PostAsync(
                        "/v1/payouts",
                        new
                        {
                            order_id = id,
                            type = "WALLET",
                            wallet_id = wallet,
                        },
                        "setup"
                    );
                    var stages = order
                        .GetProperty("milestones")
                        .EnumerateArray()
                        .Select(m => m.GetProperty("id").GetString()!)
                        .ToArray();
                    orders[i] = (id, stages);
                }
            );
            var ready = orders.Where(x => x.Order is not null).ToArray();
            // Warm-up validates are counted as setup: not in the figures.
            var label =
                !measured ? "setup"
                : withFee ? "validate (fee)"
                : "validate (no fee)";
            var released = 0;
            var watch = Stopwatch.StartNew();
            await RunAsync(
                o with
                {
                    Count = ready.Length * milestones,
                },
                async i =>
                {
                    var (order, stages) = ready[i % ready.Length];
                    await api.PostAsync(
                        $"/v1/orders/{order}/milestones/{stages[i / ready.Length]}/validate",
                        null,
                        label
                    );
                    Interlocked.Increment(ref released);
                }
            );
            watch.Stop();
            if (measured)
            {
                var (r, s) = totals[withFee];
                totals[withFee] = (r + released, s + watch.Elapsed.TotalSeconds);
            }

            Console.WriteLine(
                $"{(measured ? label : withFee ? "warm-up (fee)" : "warm-up (no fee)")}: {released} releases in "
                    + $"{watch.Elapsed.TotalSeconds:F2} s = "
                    + $"{released / watch.Elapsed.TotalSeconds:F1} releases/s"
            );
        }

        api.Stats.Print(TimeSpan.FromSeconds(totals[true].Seconds + totals[false].Seconds));
        var fee = totals[true].Releases / totals[true].Seconds;
        var none = totals[false].Releases / totals[false].Seconds;
        Console.WriteLine(
            $"releases/s with fee {fee:F1}, without {none:F1}: with fee ÷ without = {fee / none:F2} "
                + $"(load average {File.ReadAllText("/proc/loadavg").Trim()})"
        );
    }

    /// <summary>Creates --count orders (for the list and dashboard benchmarks).</summary>
    public static async Task SeedOrdersAsync(Api api, BenchOptions o)
    {
        var seller = Id(
            await api.PostAsync("/v1/customers", new { name = "Seed seller", email = "seed@bench.test" }, "setup")
        );
        var watch = Stopwatch.StartNew();
        await RunAsync(
            o,
            i =>
                api.PostAsync(
                    "/v1/orders",
                    new
                    {
                        name = $"Seeded order {i}",
                        amount = 100 + i,
                        currency = "EUR",
                        seller_id = seller,
                    },
                    "create order"
                )
        );
        watch.Stop();
        api.Stats.Print(watch.Elapsed);
    }

    /// <summary>Fetches --path (default: the first page of 100 orders) --count times.</summary>
    public static async Task ListAsync(Api api, BenchOptions o)
    {
        var path = o.Path ?? "/v1/orders?limit=100";
        var watch = Stopwatch.StartNew();
        await RunAsync(o, _ => api.GetAsync(path, "list"));
        watch.Stop();
        api.Stats.Print(watch.Elapsed);
    }

    /// <summary>
    /// Signs in to the dashboard with --key (as a browser would: the form's antiforgery token, then the session
    /// cookie), then renders --count times each of the order list's first page, a status filter, a name search and
    /// the next page (or only --path when given), with --concurrency at a time.
    /// </summary>
    public static async Task DashboardAsync(BenchOptions o)
    {
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(
            new SocketsHttpHandler
            {
                CookieContainer = cookies,
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = o.Concurrency * 2,
            }
        )
        {
            BaseAddress = new Uri(o.Url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var form = await browser.GetStringAsync("/dashboard/signin");
        var token = System
            .Text.RegularExpressions.Regex.Match(
                form,
                "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\""
            )
            .Groups[1]
            .Value;
        using var signIn = await browser.PostAsync(
            "/dashboard/signin",
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = o.Key, ["__RequestVerificationToken"] = token }
            )
        );
        if ((int)signIn.StatusCode != 302 || signIn.Headers.Location?.OriginalString != "/dashboard/orders")
        {
            Console.Error.WriteLine($"Sign-in failed: {(int)signIn.StatusCode}. Is --key a platform or operator key?");
            return;
        }

        var first = await browser.GetStringAsync("/dashboard/orders");
        var count = System.Text.RegularExpressions.Regex.Match(first, "data-testid=\"result-count\">([^<]+)<");
        Console.WriteLine($"Signed in; the list says: {count.Groups[1].Value.Trim()}");
        var older = System.Text.RegularExpressions.Regex.Match(first, "href=\"(/dashboard/orders\\?after=[^\"]+)\"");
        var pages = o.Path is { } path
            ? new[] { ("dashboard " + path, path) }
            : new[]
            {
                ("first page", "/dashboard/orders"),
                ("status filter", "/dashboard/orders?status=PUBLISHED"),
                ("name search", "/dashboard/orders?q=guitar"),
                (
                    "second page",
                    older.Success ? System.Net.WebUtility.HtmlDecode(older.Groups[1].Value) : "/dashboard/orders"
                ),
            };
        var stats = new Stats();
        foreach (var (label, url) in pages)
        {
            // A few unmeasured renders first, so compilation and connection warm-up are not in the figures.
            for (var i = 0; i < 3; i++)
            {
                using var _ = await browser.GetAsync(url);
            }
        }

        var watch = Stopwatch.StartNew();
        foreach (var (label, url) in pages)
        {
            await RunAsync(
                o,
                async _ =>
                {
                    var started = Stopwatch.StartNew();
                    using var response = await browser.GetAsync(url);
                    await response.Content.ReadAsStringAsync();
                    stats.Record(label, started.Elapsed, (int)response.StatusCode);
                    if ((int)response.StatusCode != 200)
                    {
                        throw new BenchFailure(label, (int)response.StatusCode, url);
                    }
                }
            );
        }

        watch.Stop();
        stats.Print(watch.Elapsed);
    }

    private static async Task<string> WalletAsync(Api api, string customer) =>
        Id(await api.PostAsync("/v1/wallets", new { customer_id = customer, currency = "EUR" }, "setup"));

    /// <summary>Runs <paramref name="work"/> --count times with --concurrency workers, stopping at
    /// --max-seconds.</summary>
    private static async Task RunAsync(BenchOptions o, Func<int, Task> work)
    {
        var next = -1;
        var deadline = Stopwatch.StartNew();
        var failures = 0;
        var workers = Enumerable
            .Range(0, o.Concurrency)
            .Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < o.Count && deadline.Elapsed < o.MaxDuration)
                {
                    try
                    {
                        await work(i);
                    }
                    catch (BenchFailure e)
                    {
                        if (Interlocked.Increment(ref failures) <= 5)
                        {
                            Console.Error.WriteLine(e.Message);
                        }
                    }
                }
            });
        await Task.WhenAll(workers);
        if (failures > 0)
        {
            Console.WriteLine($"{failures} iterations failed");
        }
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;
}
