using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

/// <summary>
/// <c>compare</c>: the API against PostgreSQL's own limit in one run (bench/run.sh starts both). For each scenario and
/// client count it runs the API, then pgbench (-M prepared) with a script that does the same SQL work, alternating,
/// and prints throughput, latency, statuses, the ratio to pgbench, write transactions and statements per request
/// (txid and pg_stat_statements deltas), and the API's and PostgreSQL's CPU and the API's peak RSS (/proc).
/// </summary>
internal static class Compare
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var o = new CompareOptions(
            Get("url", "http://127.0.0.1:5080"),
            Get("key", "sk_test_demo_truust_00000000000000000000"),
            Get("db", ""),
            int.Parse(Get("api-pid", "0"), CultureInfo.InvariantCulture),
            int.Parse(Get("pg-pid", "0"), CultureInfo.InvariantCulture),
            Get("scripts", "bench"),
            args.Contains("--short"),
            Get("command", "bash bench/run.sh"),
            Get("results", Path.Combine(Get("scripts", "bench"), "results.md"))
        );
        if (o.Db.Length == 0)
        {
            Console.Error.WriteLine("compare needs --db (bench/run.sh passes it).");
            return 2;
        }

        var run = new CompareRun(o);
        await run.ExecuteAsync();
        return 0;
    }
}

internal sealed record CompareOptions(
    string Url,
    string Key,
    string Db,
    int ApiPid,
    int PgPid,
    string Scripts,
    bool Short,
    string Command,
    string ResultsPath
);

/// <summary>What one side (API or pgbench) did in one point.</summary>
internal sealed record PointResult(
    string Scenario,
    int Clients,
    string Side,
    long Requests,
    double Seconds,
    List<double> LatenciesMs,
    Dictionary<string, long> Statuses,
    double WriteTxPerRequest,
    double StatementsPerRequest,
    double ApiCpuMsPerRequest,
    double PgCpuMsPerRequest,
    double ApiCpuCores,
    double ApiPeakRssMb,
    string Load,
    string Note
)
{
    public double Throughput => Requests / Seconds;

    public double P(double q)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        return LatenciesMs[Math.Min(LatenciesMs.Count - 1, (int)(q * LatenciesMs.Count))];
    }
}

internal sealed class CompareRun(CompareOptions options)
{
    private int Wallets => o.Short ? 100 : 200;

    private readonly CompareOptions o = options;

    private static readonly object Card = new
    {
        number = "4242424242424242",
        exp_month = 12,
        exp_year = 2030,
        cvc = "123",
    };

    private readonly List<PointResult> _results = [];
    private readonly List<string> _notes = [];
    private HttpClient _http = null!;
    private string _platform = "";
    private readonly List<string> _apiWallets = [];
    private string _seller = "";
    private string _buyer = "";
    private string _sellerWallet = "";
    private bool _statements;

    private TimeSpan Duration => TimeSpan.FromSeconds(o.Short ? 3 : 10);

    public async Task ExecuteAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = Load();
        _http = new HttpClient(
            new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 512,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            }
        )
        {
            BaseAddress = new Uri(o.Url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Key);
        Console.WriteLine($"== setup ({Wallets} API wallets, {Wallets} pgbench wallets); load {loadBefore}");
        await SetupAsync();
        Console.WriteLine("== warm-up (JIT, pools): not measured");
        await ApiClosedAsync("warm-up", 8, TimeSpan.FromSeconds(o.Short ? 4 : 8), TransferAsync(false, hot: false));
        await ApiClosedAsync("warm-up", 4, TimeSpan.FromSeconds(o.Short ? 1 : 2), ReadAsync);
        await ApiClosedAsync("warm-up", 4, TimeSpan.FromSeconds(o.Short ? 1 : 2), LifecycleAsync);
        _results.Clear();

        var idle = await IdleCommitsAsync();
        int[] transferClients = o.Short ? [1, 8, 32] : [1, 8, 32, 64];
        foreach (var c in transferClients)
        {
            await PointAsync("transfers", c, TransferAsync(false, hot: false), "transfer", hot: 0);
            if (!o.Short || c != 1)
            {
                await PointAsync("transfers+key", c, TransferAsync(true, hot: false), null, hot: 0);
            }
        }

        foreach (var c in o.Short ? new[] { 32 } : [8, 32])
        {
            await PointAsync("hot wallet", c, TransferAsync(false, hot: true), "transfer", hot: 1);
        }

        foreach (var c in o.Short ? new[] { 8, 32 } : [1, 8, 32, 64])
        {
            // The ceiling of reads through HTTP on this machine: the same client, connections and concurrency against
            // the one endpoint that does no work at all (routing only: no authentication, no database).
            await PointAsync("HTTP no-op (/health/live)", c, NoopAsync, null, hot: 0);
            await PointAsync("reads", c, ReadAsync, "read", hot: 0);
        }

        foreach (var c in o.Short ? new[] { 8 } : [8, 32])
        {
            await PointAsync("lifecycles (6 requests each)", c, LifecycleAsync, null, hot: 0);
        }

        await RetryStormAsync(32);
        await OpenLoopAsync(32);
        var audit = await CommitAuditAsync(idle);

        var loadAfter = Load();
        var table = Render(started, loadBefore, loadAfter, idle, audit);
        Console.WriteLine();
        Console.WriteLine(table);
        WriteResults(table);
    }

    // ---- setup -------------------------------------------------------------------------------------------------

    private async Task SetupAsync()
    {
        var customers = new List<string>();
        for (var i = 0; i < Wallets; i++)
        {
            customers.Add(
                await IdOf(PostAsync("/v1/customers", new { name = $"Bench {i}", email = $"b{i}@bench.test" }))
            );
        }

        await Parallel.ForEachAsync(
            customers,
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (customer, _) =>
            {
                var wallet = await IdOf(PostAsync("/v1/wallets", new { customer_id = customer, currency = "EUR" }));
                var topup = await IdOf(
                    PostAsync($"/v1/wallets/{wallet}/topups", new { type = "ADDON", amount = 1_000_000_000 })
                );
                await IdOf(PostAsync($"/v1/sandbox/payins/{topup}/card", Card), id: false);
                lock (_apiWallets)
                {
                    _apiWallets.Add(wallet);
                }
            }
        );
        _apiWallets.Sort(StringComparer.Ordinal);
        _seller = await IdOf(PostAsync("/v1/customers", new { name = "Bench seller", email = "s@bench.test" }));
        _buyer = await IdOf(PostAsync("/v1/customers", new { name = "Bench buyer", email = "u@bench.test" }));
        _sellerWallet = await IdOf(PostAsync("/v1/wallets", new { customer_id = _seller, currency = "EUR" }));

        await using var db = await OpenAsync();
        _platform = (string)(await Scalar(db, $"SELECT platform_id FROM customers WHERE id = '{customers[0]}'"))!;
        // pgbench's wallets: same table, same platform, funded directly (this database is thrown away).
        await Exec(
            db,
            $"""
            INSERT INTO customers (id, platform_id, name, email, type, metadata, created_at, updated_at)
            SELECT 'cus_bench_' || g, platform_id, name, email, type, metadata, now(), now()
            FROM customers, generate_series(1, {Wallets}) g WHERE id = '{customers[0]}';
            INSERT INTO wallets (id, balance_minor, created_at, currency, customer_id, kind, platform_id)
            SELECT 'wal_bench_' || g, 1000000000000, now(), 'EUR', 'cus_bench_' || g, 'CUSTOMER', '{_platform}'
            FROM generate_series(1, {Wallets}) g;
            """
        );
        try
        {
            await Exec(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await Scalar(db, "SELECT count(*) FROM pg_stat_statements");
            _statements = true;
        }
        catch (PostgresException e)
        {
            _notes.Add($"pg_stat_statements unavailable ({e.MessageText}): statements per request not measured.");
        }
    }

    // ---- the work of one iteration ------------------------------------------------------------------------------

    private Func<int, Task<string>> TransferAsync(bool withKey, bool hot) =>
        async i =>
        {
            var (from, to) = Pair(hot);
            var body = Json(
                new
                {
                    from_wallet_id = from,
                    to_wallet_id = to,
                    amount = 1 + i % 100,
                }
            );
            return await SendAsync(HttpMethod.Post, "/v1/transfers", body, withKey ? Guid.NewGuid().ToString() : null);
        };

    private async Task<string> ReadAsync(int i) =>
        await SendAsync(
            HttpMethod.Get,
            $"/v1/wallets/{_apiWallets[Random.Shared.Next(_apiWallets.Count)]}",
            null,
            null
        );

    private async Task<string> NoopAsync(int i) => await SendAsync(HttpMethod.Get, "/health/live", null, null);

    private async Task<string> LifecycleAsync(int i)
    {
        var order = await IdOf(
            PostAsync(
                "/v1/orders",
                new
                {
                    name = "Bench order",
                    amount = 1000,
                    currency = "EUR",
                    buyer_id = _buyer,
                    seller_id = _seller,
                }
            )
        );
        var payin = await IdOf(PostAsync("/v1/payins", new { order_id = order, type = "ADDON" }));
        await IdOf(PostAsync($"/v1/sandbox/payins/{payin}/card", Card), id: false);
        await IdOf(PostAsync($"/v1/orders/{order}/accept", null), id: false);
        await IdOf(
            PostAsync(
                "/v1/payouts",
                new
                {
                    order_id = order,
                    type = "WALLET",
                    wallet_id = _sellerWallet,
                }
            ),
            id: false
        );
        await IdOf(PostAsync($"/v1/orders/{order}/validate", null), id: false);
        return "200";
    }

    private (string From, string To) Pair(bool hot)
    {
        if (hot)
        {
            return (_apiWallets[1 + Random.Shared.Next(_apiWallets.Count - 1)], _apiWallets[0]);
        }

        var a = Random.Shared.Next(_apiWallets.Count);
        var b = (a + 1 + Random.Shared.Next(_apiWallets.Count - 1)) % _apiWallets.Count;
        return (_apiWallets[a], _apiWallets[b]);
    }

    // ---- one point: the API, then pgbench ------------------------------------------------------------------------

    private async Task PointAsync(
        string scenario,
        int clients,
        Func<int, Task<string>> work,
        string? script,
        int hot,
        int unit = 1
    )
    {
        var api = await ApiClosedAsync(scenario, clients, Duration, work, unit);
        Print(api);
        if (script is not null)
        {
            Print(await PgbenchAsync(scenario, clients, script, hot, rate: null));
        }
    }

    private async Task<PointResult> ApiClosedAsync(
        string scenario,
        int clients,
        TimeSpan duration,
        Func<int, Task<string>> work,
        int unit = 1
    )
    {
        var latencies = new List<double>();
        var statuses = new Dictionary<string, long>();
        var next = -1;
        var window = await Window.StartAsync(this);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, clients)
                .Select(_ =>
                    Task.Run(async () =>
                    {
                        while (watch.Elapsed < duration)
                        {
                            var i = Interlocked.Increment(ref next);
                            var started = Stopwatch.GetTimestamp();
                            string status;
                            try
                            {
                                status = await work(i);
                            }
                            catch (BenchFailure e)
                            {
                                status = e.Status.ToString(CultureInfo.InvariantCulture);
                            }
                            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                            {
                                status = e.GetType().Name;
                            }

                            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                            lock (latencies)
                            {
                                latencies.Add(ms);
                                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                            }
                        }
                    })
                )
        );
        var seconds = watch.Elapsed.TotalSeconds;
        // A lifecycle is six requests: its rate counts completed lifecycles (what finished, never the plan).
        return await window.FinishAsync(scenario, clients, "API", latencies.Count, seconds, latencies, statuses, unit);
    }

    private async Task<PointResult> PgbenchAsync(string scenario, int clients, string script, int hot, double? rate)
    {
        var builder = new NpgsqlConnectionStringBuilder(o.Db);
        var logs = Directory.CreateTempSubdirectory("truust-pgbench-");
        var arguments = new List<string>
        {
            "-h",
            builder.Host ?? "127.0.0.1",
            "-p",
            builder.Port.ToString(CultureInfo.InvariantCulture),
            "-U",
            builder.Username ?? "postgres",
            "-n",
            "-M",
            "prepared",
            "-c",
            clients.ToString(CultureInfo.InvariantCulture),
            "-j",
            Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
            "-T",
            ((int)Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-f",
            Path.Combine(o.Scripts, "sql", script + ".sql"),
            "-D",
            $"wallets={Wallets}",
            "-D",
            $"hot={hot}",
            "-D",
            $"platform={_platform}",
            "-l",
            "--log-prefix",
            Path.Combine(logs.FullName, "pgb"),
        };
        if (rate is { } r)
        {
            arguments.AddRange(["-R", r.ToString("F0", CultureInfo.InvariantCulture)]);
        }

        arguments.Add(builder.Database ?? "truust");
        var start = new ProcessStartInfo("pgbench") { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ForEach(start.ArgumentList.Add);
        if (builder.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        var window = await Window.StartAsync(this);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        var latencies = new List<double>();
        var failed = 0L;
        foreach (var file in Directory.GetFiles(logs.FullName))
        {
            foreach (var line in File.ReadLines(file))
            {
                // client_id transaction_no time script_no time_epoch time_us [schedule_lag]
                var f = line.Split(' ');
                if (f.Length < 6)
                {
                    continue;
                }

                if (f[2] is "failed" or "skipped")
                {
                    failed++;
                    continue;
                }

                var us = double.Parse(f[2], CultureInfo.InvariantCulture);
                if (rate is not null && f.Length > 6)
                {
                    // Open loop: latency counts from the scheduled start, as the API side's does.
                    us += double.Parse(f[6], CultureInfo.InvariantCulture);
                }

                latencies.Add(us / 1000);
            }
        }

        logs.Delete(recursive: true);
        var tps = System.Text.RegularExpressions.Regex.Match(output, @"tps = ([0-9.]+) \(without");
        var note = process.ExitCode == 0 ? "" : "pgbench: " + errors.Split('\n').FirstOrDefault(l => l.Length > 0);
        var statuses = new Dictionary<string, long> { ["ok"] = latencies.Count };
        if (failed > 0)
        {
            statuses["failed"] = failed;
        }

        var measured = tps.Success ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        // pgbench's own tps (without connection start-up) decides the rate; its log gives the latencies.
        var effectiveSeconds = measured > 0 ? latencies.Count / measured : seconds;
        var result = await window.FinishAsync(
            scenario,
            clients,
            "pgbench",
            latencies.Count,
            effectiveSeconds,
            latencies,
            statuses,
            1
        );
        return result with { Note = note };
    }

    // ---- retry storm and open loop ------------------------------------------------------------------------------

    /// <summary>
    /// Idempotency-Keys replayed and sent concurrently: each iteration reuses one of the last 16 keys (same body)
    /// half of the time. Afterwards every key must have applied exactly once.
    /// </summary>
    private async Task RetryStormAsync(int clients)
    {
        var recent = new (string Key, string Body)[16];
        var sent = new HashSet<string>();
        var replayed = 0L;
        var api = await ApiClosedAsync(
            "retry storm",
            clients,
            Duration,
            async i =>
            {
                (string Key, string Body) pick;
                lock (recent)
                {
                    var slot = Random.Shared.Next(recent.Length);
                    if (recent[slot].Key is null || Random.Shared.Next(2) == 0)
                    {
                        var (from, to) = Pair(false);
                        var key = "storm-" + Guid.NewGuid();
                        var body = Json(
                            new
                            {
                                from_wallet_id = from,
                                to_wallet_id = to,
                                amount = 1 + i % 100,
                                description = key,
                            }
                        );
                        recent[slot] = (key, body);
                        sent.Add(key);
                    }

                    pick = recent[slot];
                }

                var status = await SendAsync(HttpMethod.Post, "/v1/transfers", pick.Body, pick.Key, replay: true);
                if (status.EndsWith("replayed", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref replayed);
                }

                return status;
            }
        );
        await using var db = await OpenAsync();
        var applied = Convert.ToInt64(
            await Scalar(db, "SELECT count(*) FROM wallet_transfers WHERE description LIKE 'storm-%'"),
            CultureInfo.InvariantCulture
        );
        var twice = Convert.ToInt64(
            await Scalar(
                db,
                "SELECT count(*) FROM (SELECT description FROM wallet_transfers WHERE description LIKE 'storm-%' "
                    + "GROUP BY description HAVING count(*) > 1) d"
            ),
            CultureInfo.InvariantCulture
        );
        var note = $"{sent.Count} keys, {applied} transfers applied, {twice} applied twice, {replayed} replayed";
        Print(api with { Note = note });
        _notes.Add($"Retry storm at {clients} clients: {note}.");
        Print(await PgbenchAsync("retry storm", clients, "transfer", 0, rate: null));
    }

    /// <summary>
    /// Open loop: transfers arrive at a fixed rate (half of what the API managed closed-loop at 32 clients),
    /// whatever the answers' speed; latency counts from the scheduled arrival. pgbench runs at the same rate.
    /// </summary>
    private async Task OpenLoopAsync(int clients)
    {
        var closed = _results.FirstOrDefault(r => r is { Scenario: "transfers", Side: "API", Clients: 32 });
        var rate = Math.Max(20, Math.Round((closed?.Throughput ?? 100) * 0.5 / 10) * 10);
        var scenario = $"open loop {rate:F0}/s";
        var latencies = new List<double>();
        var statuses = new Dictionary<string, long>();
        var window = await Window.StartAsync(this);
        var watch = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        var total = (int)(rate * Duration.TotalSeconds);
        var work = TransferAsync(false, hot: false);
        using var gate = new SemaphoreSlim(512);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var index = i;
            await gate.WaitAsync();
            inFlight.Add(
                Task.Run(async () =>
                {
                    string status;
                    try
                    {
                        status = await work(index);
                    }
                    catch (BenchFailure e)
                    {
                        status = e.Status.ToString(CultureInfo.InvariantCulture);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        status = e.GetType().Name;
                    }
                    finally
                    {
                        gate.Release();
                    }

                    var ms = (watch.Elapsed - due).TotalMilliseconds;
                    lock (latencies)
                    {
                        latencies.Add(ms);
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    }
                })
            );
        }

        await Task.WhenAll(inFlight);
        var api = await window.FinishAsync(
            scenario,
            clients,
            "API",
            latencies.Count,
            watch.Elapsed.TotalSeconds,
            latencies,
            statuses,
            1
        );
        Print(api);
        Print(await PgbenchAsync(scenario, clients, "transfer", 0, rate));
    }

    // ---- commits: idle, and per transfer with and without a key -------------------------------------------------

    private async Task<double> IdleCommitsAsync()
    {
        // pg_stat_database is flushed by each backend at most once a second and by an idle one within ten, so the
        // idle window waits for that before and after.
        var seconds = o.Short ? 8 : 20;
        await Task.Delay(TimeSpan.FromSeconds(11));
        await using var db = await OpenAsync();
        var before = await XactCommitAsync(db);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = await XactCommitAsync(db);
        // Each reading is one transaction of its own.
        var perSecond = (after - before - 1) / (double)seconds;
        Console.WriteLine($"idle: {perSecond:F2} commits/s (pg_stat_database, workers only)");
        return perSecond;
    }

    private async Task<List<string>> CommitAuditAsync(double idlePerSecond)
    {
        var lines = new List<string>();
        foreach (var withKey in new[] { false, true })
        {
            await Task.Delay(TimeSpan.FromSeconds(11));
            await using var db = await OpenAsync();
            var commits0 = await XactCommitAsync(db);
            var window = Stopwatch.StartNew();
            var xid0 = await XidAsync(db);
            if (_statements)
            {
                await Exec(db, "SELECT pg_stat_statements_reset()");
            }

            var count = o.Short ? 100 : 300;
            var work = TransferAsync(withKey, hot: false);
            var statuses = new Dictionary<string, long>();
            for (var i = 0; i < count; i++)
            {
                var s = await work(i);
                statuses[s] = statuses.GetValueOrDefault(s) + 1;
            }

            var xid1 = await XidAsync(db);
            var statements = _statements ? await StatementsAsync(db) : double.NaN;
            await Task.Delay(TimeSpan.FromSeconds(11));
            var commits1 = await XactCommitAsync(db);
            // The workers' idle polling over the window is not the transfers' doing.
            var workers = idlePerSecond * window.Elapsed.TotalSeconds;
            var line =
                $"{count} transfers one after another, {(withKey ? "with" : "without")} an Idempotency-Key "
                + $"({string.Join(" ", statuses.Select(p => $"{p.Key}×{p.Value}"))}): "
                + $"**{(commits1 - commits0 - 3 - workers) / (double)count:F2} commits per transfer** "
                + "(pg_stat_database "
                + $"xact_commit, settled; this tool's own readings and {workers:F0} idle worker commits subtracted), "
                + $"{(xid1 - xid0 - 1) / (double)count:F2} write transactions (txids) per transfer, "
                + $"{statements / count:F2} statements per transfer (pg_stat_statements, incl. BEGIN/COMMIT and the "
                + "workers' polls meanwhile)";
            Console.WriteLine(line);
            lines.Add(line);
        }

        return lines;
    }

    // ---- measurement window: database counters and /proc ---------------------------------------------------------

    private sealed class Window
    {
        private CompareRun _run = null!;
        private long _xid;
        private CancellationTokenSource _stop = null!;
        private Task<(double ApiCpuSeconds, double PgCpuSeconds, double PeakRssMb)> _sampler = null!;
        private string _load = "";

        public static async Task<Window> StartAsync(CompareRun run)
        {
            var w = new Window { _run = run, _load = Load() };
            await using (var db = await run.OpenAsync())
            {
                w._xid = await XidAsync(db);
                if (run._statements)
                {
                    await Exec(db, "SELECT pg_stat_statements_reset()");
                }
            }

            w._stop = new CancellationTokenSource();
            w._sampler = Task.Run(() => Sample(run.o.ApiPid, run.o.PgPid, w._stop.Token));
            return w;
        }

        public async Task<PointResult> FinishAsync(
            string scenario,
            int clients,
            string side,
            long requests,
            double seconds,
            List<double> latencies,
            Dictionary<string, long> statuses,
            int unit
        )
        {
            await _stop.CancelAsync();
            var (apiCpu, pgCpu, rss) = await _sampler;
            await using var db = await _run.OpenAsync();
            var xid = await XidAsync(db);
            var statements = _run._statements ? await StatementsAsync(db) : double.NaN;
            latencies.Sort();
            var units = Math.Max(1, requests / unit);
            return new PointResult(
                scenario,
                clients,
                side,
                units,
                seconds,
                latencies,
                statuses,
                (xid - _xid - 1) / (double)units,
                statements / units,
                side == "API" ? apiCpu * 1000 / units : double.NaN,
                pgCpu * 1000 / units,
                apiCpu / seconds,
                rss,
                _load,
                ""
            );
        }
    }

    private static async Task<(double, double, double)> Sample(int apiPid, int pgPid, CancellationToken ct)
    {
        var api0 = CpuSeconds(apiPid);
        var pgStart = new Dictionary<int, double>();
        var pgLast = new Dictionary<int, double>();
        foreach (var (pid, cpu) in PgProcesses(pgPid))
        {
            pgStart[pid] = cpu;
            pgLast[pid] = cpu;
        }

        var peak = 0.0;
        while (true)
        {
            peak = Math.Max(peak, RssMb(apiPid));
            foreach (var (pid, cpu) in PgProcesses(pgPid))
            {
                pgLast[pid] = cpu;
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException) { }
        }

        var pgCpu = pgLast.Sum(p => p.Value - pgStart.GetValueOrDefault(p.Key));
        return (CpuSeconds(apiPid) - api0, pgCpu, peak);
    }

    private static double CpuSeconds(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 (utime, stime) are 11 and 12 after the name; clock ticks of 1/100 s.
            return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture))
                / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static IEnumerable<(int Pid, double Cpu)> PgProcesses(int postmaster)
    {
        if (postmaster <= 0)
        {
            yield break;
        }

        yield return (postmaster, CpuSeconds(postmaster));
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(f[1], CultureInfo.InvariantCulture) == postmaster)
            {
                yield return (
                    pid,
                    (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture))
                        / 100.0
                );
            }
        }
    }

    private static double RssMb(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        try
        {
            var line = File.ReadLines($"/proc/{pid}/status")
                .First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
                / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    // ---- database helpers ----------------------------------------------------------------------------------------

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(o.Db) { Pooling = false, ApplicationName = "truust-bench" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> XidAsync(NpgsqlConnection db) =>
        Convert.ToInt64(await Scalar(db, "SELECT txid_current()"), CultureInfo.InvariantCulture);

    private static async Task<long> XactCommitAsync(NpgsqlConnection db) =>
        Convert.ToInt64(
            await Scalar(db, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"),
            CultureInfo.InvariantCulture
        );

    /// <summary>Statements executed since the reset, not counting this tool's own readings.</summary>
    private static async Task<double> StatementsAsync(NpgsqlConnection db) =>
        Convert.ToDouble(
            await Scalar(
                db,
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                    + "WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat%' "
                    + "AND s.query NOT LIKE '%txid_current%'"
            ),
            CultureInfo.InvariantCulture
        );

    private static async Task<object?> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return await command.ExecuteScalarAsync();
    }

    private static async Task Exec(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    // ---- HTTP helpers --------------------------------------------------------------------------------------------

    private static string Json(object body) => JsonSerializer.Serialize(body);

    private Task<string> PostAsync(string path, object? body) =>
        SendAsync(HttpMethod.Post, path, body is null ? "" : Json(body), null, keepBody: true);

    private static async Task<string> IdOf(Task<string> response, bool id = true)
    {
        var body = await response;
        return id ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()! : body;
    }

    /// <summary>Sends one request; returns its status (or, with keepBody, its body) and throws on a non-2xx when
    /// keepBody is set (setup and lifecycle steps must succeed).</summary>
    private async Task<string> SendAsync(
        HttpMethod method,
        string path,
        string? body,
        string? idempotencyKey,
        bool keepBody = false,
        bool replay = false
    )
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (keepBody)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailure(path, status, text);
            }

            return text;
        }

        var replayed = replay && response.Headers.Contains("Idempotent-Replayed");
        return status.ToString(CultureInfo.InvariantCulture) + (replayed ? " replayed" : "");
    }

    // ---- output --------------------------------------------------------------------------------------------------

    private void Print(PointResult r)
    {
        _results.Add(r);
        Console.WriteLine(Row(r, Ratio(r)));
    }

    private string Ratio(PointResult r)
    {
        if (r.Side != "API")
        {
            return "1";
        }

        var anchor = _results.LastOrDefault(a =>
            a.Side == "pgbench" && a.Clients == r.Clients && AnchorScenario(a.Scenario) == AnchorScenario(r.Scenario)
        );
        return anchor is null ? "" : (r.Throughput / anchor.Throughput).ToString("F2", CultureInfo.InvariantCulture);
    }

    private static string AnchorScenario(string scenario) =>
        scenario switch
        {
            "transfers+key" => "transfers",
            "HTTP no-op (/health/live)" => "reads",
            _ => scenario,
        };

    private static string Row(PointResult r, string ratio) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"| {r.Scenario} | {r.Clients} | {r.Side} | {r.Throughput:F0} | {r.P(0.5):F1} | {r.P(0.99):F1} | "
                + $"{(r.LatenciesMs.Count > 0 ? r.LatenciesMs[^1] : double.NaN):F1} | "
                + $"{string.Join(" ", r.Statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))} | {ratio} | "
                + $"{r.WriteTxPerRequest:F2} | {r.StatementsPerRequest:F1} | {Dash(r.ApiCpuMsPerRequest)} | "
                + $"{r.PgCpuMsPerRequest:F2} | {Dash(r.ApiCpuCores, "F2")} | {(r.Side == "API" ? Rss(r) : "")} | "
                + $"{r.Load} | {r.Note} |"
        );

    private static string Rss(PointResult r) => r.ApiPeakRssMb.ToString("F0", CultureInfo.InvariantCulture);

    private static string Dash(double value, string format = "F2") =>
        double.IsNaN(value) || value == 0 ? "" : value.ToString(format, CultureInfo.InvariantCulture);

    private string Render(DateTimeOffset started, string loadBefore, string loadAfter, double idle, List<string> audit)
    {
        var b = new StringBuilder();
        b.AppendLine(
            $"Run {started:yyyy-MM-dd HH:mm} UTC, {(o.Short ? "short" : "full")} mode, {Environment.ProcessorCount} "
                + $"cores, load average {loadBefore} before and {loadAfter} after (other work shares the machine: "
                + "compare the API with pgbench within a row pair, not across runs)."
        );
        b.AppendLine();
        b.AppendLine("```bash");
        b.AppendLine(o.Command.Trim());
        b.AppendLine("```");
        b.AppendLine();
        b.AppendLine(
            "| scenario | clients | side | per s | p50 ms | p99 ms | max ms | statuses | ratio | write tx/req | "
                + "stmts/req | API CPU ms/req | PG CPU ms/req | API cores | API RSS MB | load | note |"
        );
        b.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in _results)
        {
            b.AppendLine(Row(r, Ratio(r)));
        }

        b.AppendLine();
        b.AppendLine($"Idle (no requests): {idle:F2} commits/s in pg_stat_database, the workers' polling.");
        foreach (var line in audit)
        {
            b.AppendLine();
            b.AppendLine(line);
        }

        foreach (var note in _notes)
        {
            b.AppendLine();
            b.AppendLine(note);
        }

        return b.ToString();
    }

    private void WriteResults(string table)
    {
        const string begin = "<!-- compare:begin -->";
        const string end = "<!-- compare:end -->";
        var path = o.ResultsPath;
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmark results\n";
        var block = $"{begin}\n{table}{end}";
        var i = text.IndexOf(begin, StringComparison.Ordinal);
        var j = text.IndexOf(end, StringComparison.Ordinal);
        if (i >= 0 && j > i)
        {
            text = text[..i] + block + text[(j + end.Length)..];
        }
        else
        {
            var heading = "\n## The API against pgbench (bench/run.sh, latest run)\n\n";
            var first = text.IndexOf("\n## ", StringComparison.Ordinal);
            text = first >= 0 ? text[..first] + heading + block + "\n" + text[first..] : text + heading + block + "\n";
        }

        File.WriteAllText(path, text);
        Console.WriteLine($"Written to {path}");
    }
}
