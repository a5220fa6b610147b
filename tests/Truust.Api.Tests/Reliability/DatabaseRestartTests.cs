using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Xunit.Abstractions;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// PostgreSQL itself goes away under load: stopped like a crash (<c>pg_ctl stop -m immediate</c>) and started again
/// on the same data and port, or its sessions killed over and over. The shared test server cannot be stopped while
/// other classes use it, so this class runs its own cluster. Callers only ever hear 2xx or 503 with Retry-After,
/// liveness holds while readiness fails, the API recovers without a restart, and every request, retried with its
/// Idempotency-Key after a 503, takes effect exactly once with the ledger balanced.
/// </summary>
public sealed class DatabaseRestartTests(DatabaseRestartTests.OwnCluster cluster, ITestOutputHelper output)
    : IClassFixture<DatabaseRestartTests.OwnCluster>
{
    private const int Clients = 8;
    private const int Wallets = 4;
    private const long FundingMinor = 1_000_000;

    /// <summary>The API on a database of a cluster of its own, which the tests stop and start at will.</summary>
    public sealed class OwnCluster : IAsyncLifetime
    {
        private string? _runDirectory;
        private LocalPostgres? _postgres;

        public ClusterApiFactory Factory { get; private set; } = null!;

        /// <summary>
        /// The API's database; <see cref="TruustApiFactory.ConnectionString"/> is the shared one it does not use.
        /// </summary>
        public string ConnectionString { get; private set; } = null!;

        private string DataDirectory => _postgres!.DataDirectory;

        public async Task InitializeAsync()
        {
            _runDirectory = LocalClusterDirectories.Create();
            // Durable (not throwaway): an immediate stop loses WAL that synchronous_commit=off has not yet written,
            // which would drop acknowledged commits and blame the API for what a test setting did.
            _postgres = await LocalPostgres.StartAsync(Path.Combine(_runDirectory, "data"), throwaway: false);
            await _postgres.EnsureDatabaseAsync("truust");
            // Tuned as the API tunes it, so this test's connections share the API's pool (as they did before the API
            // added its pool settings) and a kill that empties one empties both.
            ConnectionString = DatabaseConnection.Tuned(
                new NpgsqlConnectionStringBuilder(_postgres.ConnectionString("truust"))
                {
                    // A stopped server refuses at once; these only bound a server that hangs, so the class stays short.
                    Timeout = 5,
                    CommandTimeout = 10,
                    MaxPoolSize = 50,
                }.ConnectionString
            );
            Factory = new ClusterApiFactory(ConnectionString);
            await Factory.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            try
            {
                if (Factory is not null)
                {
                    await ((IAsyncLifetime)Factory).DisposeAsync();
                }
            }
            finally
            {
                if (_postgres is not null)
                {
                    NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
                    // Stops it if it runs (after a failed test it may not); then a signal catches any survivor.
                    await _postgres.DisposeAsync();
                    LocalClusterDirectories.StopPostmaster(DataDirectory);
                }

                if (_runDirectory is not null)
                {
                    LocalClusterDirectories.Delete(_runDirectory);
                }
            }
        }

        /// <summary>A crash-like stop: every backend is killed at once, nothing is checkpointed.</summary>
        public Task StopImmediatelyAsync() => RunPgCtlAsync("stop", "-D", DataDirectory, "-m", "immediate", "-w");

        /// <summary>Starts the stopped cluster again on its data and port; it replays its WAL first.</summary>
        public Task StartAgainAsync() =>
            RunPgCtlAsync(
                "start",
                "-D",
                DataDirectory,
                "-w",
                "-t",
                "30",
                "-l",
                Path.Combine(DataDirectory, "server.log"),
                "-o",
                // As LocalPostgres starts it, so the API's connection string stays valid.
                $"-p {_postgres!.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                    + "-c max_connections=300"
            );

        public async Task<bool> IsRunningAsync() => (await PgCtlAsync("status", "-D", DataDirectory)).Code == 0;

        private async Task RunPgCtlAsync(params string[] args)
        {
            var (code, text) = await PgCtlAsync(args);
            Assert.True(code == 0, $"pg_ctl {args[0]} failed ({code}): {text}");
        }

        /// <summary>pg_ctl as LocalPostgres runs it: as root through runuser, since postgres refuses root.</summary>
        private static Task<(int Code, string Output)> PgCtlAsync(params string[] args)
        {
            var pgCtl = Path.Combine(LocalPostgres.FindBinDirectory()!, "pg_ctl");
            return Environment.UserName == "root"
                ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", pgCtl, .. args], TimeSpan.FromSeconds(40))
                : ProcessRunner.RunAsync(pgCtl, args, TimeSpan.FromSeconds(40));
        }
    }

    /// <summary>The API on the cluster's database, migrated at start-up, with no workers polling through outages.
    /// </summary>
    public sealed class ClusterApiFactory(string connectionString) : TruustApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Truust", connectionString);
            builder.UseSetting("Truust:MigrateOnStartup", "true");
            builder.UseSetting("Workers:Enabled", "false");
            builder.UseSetting("RateLimits:PermitsPerSecond", "100000");
            builder.UseSetting("RateLimits:Burst", "100000");
        }
    }

    [Fact]
    public async Task A_crash_stop_and_restart_of_postgres_answers_only_503_meanwhile_and_applies_every_request_once()
    {
        var watch = Stopwatch.StartNew();
        var world = await SetUpAsync();
        var load = new Load(world, cluster.Factory.Clock);
        var running = load.RunAsync(Clients);
        await load.WaitForAcknowledgedAsync(20, TimeSpan.FromSeconds(10));

        var stopping = DateTime.UtcNow;
        await cluster.StopImmediatelyAsync();
        load.OutageSince = DateTime.UtcNow;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(HttpStatusCode.OK, (await world.Client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await world.Client.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            load.OutageUntil = DateTime.UtcNow;
            await cluster.StartAgainAsync();
        }

        var restarted = DateTime.UtcNow;
        var recovered = await load.WaitForAcknowledgedAfterAsync(restarted, 20, TimeSpan.FromSeconds(15));
        await load.StopAsync(running);
        Assert.Equal(HttpStatusCode.OK, (await world.Client.GetAsync("/health/ready")).StatusCode);

        await load.RetryUnavailableAsync();
        output.WriteLine(
            $"stop took {(load.OutageSince!.Value - stopping).TotalSeconds:0.00} s, restart "
                + $"{(restarted - load.OutageUntil!.Value).TotalSeconds:0.00} s; from stop to first 2xx "
                + $"{(recovered - stopping).TotalSeconds:0.00} s; {load.Summary()}"
        );
        load.AssertOnly2xxAnd503();
        Assert.True(recovered - restarted < TimeSpan.FromSeconds(5), "The API took over 5 s to recover.");
        Assert.True(load.UnavailableDuringOutage > 0, "No request was answered while the database was down.");
        Assert.True(load.AcknowledgedDuringOutage == 0, "A request sent during the outage got a 2xx.");
        await load.AssertAppliedExactlyOnceAsync(cluster.ConnectionString);
        await LedgerInvariants.AssertAsync(cluster.ConnectionString);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"The test took {watch.Elapsed.TotalSeconds:0} s.");
    }

    [Fact]
    public async Task Killing_all_api_sessions_for_two_seconds_answers_only_2xx_or_503_and_applies_every_request_once()
    {
        var watch = Stopwatch.StartNew();
        var world = await SetUpAsync();
        var load = new Load(world, cluster.Factory.Clock);
        var running = load.RunAsync(Clients);
        await load.WaitForAcknowledgedAsync(20, TimeSpan.FromSeconds(10));

        var killed = 0L;
        var admin = new NpgsqlConnectionStringBuilder(cluster.ConnectionString)
        {
            Database = "postgres",
            Pooling = false,
        };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE datname = 'truust' AND pid <> pg_backend_pid()",
                connection
            );
            var until = DateTime.UtcNow.AddSeconds(2);
            while (DateTime.UtcNow < until)
            {
                killed += (long)(await kill.ExecuteScalarAsync())!;
                await Task.Delay(10);
            }
        }

        await load.WaitForAcknowledgedAfterAsync(DateTime.UtcNow, 20, TimeSpan.FromSeconds(10));
        await load.StopAsync(running);
        await load.RetryUnavailableAsync();
        output.WriteLine($"{killed} sessions killed; {load.Summary()}");
        load.AssertOnly2xxAnd503();
        Assert.True(killed > 0, "No session of the API was killed.");
        await load.AssertAppliedExactlyOnceAsync(cluster.ConnectionString);
        await LedgerInvariants.AssertAsync(cluster.ConnectionString);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The test took {watch.Elapsed.TotalSeconds:0} s.");
    }

    private sealed record World(HttpClient Client, IReadOnlyList<string> Wallets);

    private async Task<World> SetUpAsync()
    {
        if (!await cluster.IsRunningAsync())
        {
            // A failed earlier test may have left it stopped; this one should not fail for that.
            await cluster.StartAgainAsync();
        }

        var platform = await cluster.Factory.CreateTestPlatformAsync();
        platform.Client.Timeout = TimeSpan.FromSeconds(20);
        var wallets = new List<string>();
        for (var i = 0; i < Wallets; i++)
        {
            wallets.Add((await platform.Client.CreateFundedWalletAsync(FundingMinor, $"Holder {i}")).Id);
        }

        return new World(platform.Client, wallets);
    }

    /// <summary>One POST with its Idempotency-Key and every answer it got, in order.</summary>
    private sealed record Sent(string Key, string Path, object Body, DateTime SentAt)
    {
        public ConcurrentQueue<(int Status, string? Code, DateTime At)> Answers { get; } = new();

        public string? CreatedId { get; set; }

        public long Amount { get; init; }

        public string? From { get; init; }

        public string? To { get; init; }
    }

    /// <summary>
    /// Platform backends creating customers and moving money between wallets, each request with a fresh key. A
    /// 503 is checked (problem+json, service_unavailable, Retry-After) and the request put aside to be retried.
    /// </summary>
    private sealed class Load(World world, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        private readonly ConcurrentQueue<Sent> _sent = new();
        private readonly ConcurrentQueue<string> _wrong = new();
        private readonly CancellationTokenSource _stop = new();

        public DateTime? OutageSince { get; set; }

        public DateTime? OutageUntil { get; set; }

        public int UnavailableDuringOutage =>
            _sent.Count(s => InOutage(s.SentAt) && s.Answers.Any(a => a.Status == 503 && a.At < OutageUntil));

        public int AcknowledgedDuringOutage =>
            _sent.Count(s => InOutage(s.SentAt) && s.Answers.Any(a => a.Status < 300 && a.At < OutageUntil));

        public Task RunAsync(int clients) =>
            Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(new Random(c)))));

        public async Task StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(20));
        }

        public async Task WaitForAcknowledgedAsync(int count, TimeSpan limit) =>
            await WaitForAcknowledgedAfterAsync(DateTime.MinValue, count, limit);

        /// <summary>Waits for <paramref name="count"/> 2xx answers to requests sent after <paramref name="since"/>
        /// and returns when the first came.</summary>
        public async Task<DateTime> WaitForAcknowledgedAfterAsync(DateTime since, int count, TimeSpan limit)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var answers = _sent
                    .Where(s => s.SentAt > since)
                    .Select(s => s.Answers.Where(a => a.Status < 300).Select(a => a.At).FirstOrDefault())
                    .Where(at => at != default)
                    .ToList();
                var acknowledged = answers.Count;
                if (acknowledged >= count)
                {
                    return answers.Min();
                }

                Assert.True(
                    watch.Elapsed < limit,
                    $"Only {acknowledged} requests were acknowledged within {limit.TotalSeconds} s; {Summary()}"
                );
                await Task.Delay(20);
            }
        }

        /// <summary>
        /// Sends every request that got a 503 again, same key and body, until it is acknowledged. The fake clock
        /// moves past the idempotency leases, so a key a broken request left claimed can be taken over.
        /// </summary>
        public async Task RetryUnavailableAsync()
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            var pending = _sent.Where(s => s.Answers.All(a => a.Status >= 300)).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(15);
            foreach (var request in pending)
            {
                while (request.Answers.All(a => a.Status >= 300))
                {
                    var (status, _) = await SendAsync(request);
                    Assert.True(
                        status < 300 || DateTime.UtcNow < deadline,
                        $"{request.Path} {request.Key} was not acknowledged on retry: {Describe(request)}"
                    );
                    if (status >= 300)
                    {
                        await Task.Delay(50);
                    }
                }
            }
        }

        public void AssertOnly2xxAnd503() =>
            Assert.True(
                _wrong.IsEmpty,
                $"{_wrong.Count} answers were neither 2xx nor 503:\n" + string.Join('\n', _wrong)
            );

        /// <summary>
        /// Each request is in the database exactly once (found by the key it carried as its name or description),
        /// and the wallets moved by exactly the acknowledged transfers.
        /// </summary>
        public async Task AssertAppliedExactlyOnceAsync(string connectionString)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var customers = await CountByAsync(connection, "SELECT name, count(*) FROM customers GROUP BY name");
            var transfers = await CountByAsync(
                connection,
                "SELECT description, count(*) FROM wallet_transfers WHERE description IS NOT NULL GROUP BY description"
            );
            var problems = new List<string>();
            foreach (var request in _sent)
            {
                var rows = request.Path == "/v1/customers" ? customers : transfers;
                var found = rows.GetValueOrDefault(request.Key);
                if (found != 1)
                {
                    problems.Add($"{request.Path} {request.Key}: {found} rows; {Describe(request)}");
                }
            }

            var expected = world.Wallets.ToDictionary(w => w, _ => FundingMinor);
            foreach (var transfer in _sent.Where(s => s.From is not null))
            {
                expected[transfer.From!] -= transfer.Amount;
                expected[transfer.To!] += transfer.Amount;
            }

            foreach (var (wallet, balance) in expected)
            {
                await using var read = new NpgsqlCommand("SELECT balance_minor FROM wallets WHERE id = $1", connection)
                {
                    Parameters = { new() { Value = wallet } },
                };
                var actual = (long)(await read.ExecuteScalarAsync())!;
                if (actual != balance)
                {
                    problems.Add($"wallet {wallet}: balance {actual}, the acknowledged transfers say {balance}");
                }
            }

            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }

        public string Summary()
        {
            var answers = _sent.SelectMany(s => s.Answers).ToList();
            var byStatus = string.Join(
                ", ",
                answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")
            );
            return $"{_sent.Count} requests, {answers.Count} answers ({byStatus}), "
                + $"{_sent.Count(s => s.Answers.Any(a => a.Status == 503))} retried after a 503";
        }

        private bool InOutage(DateTime at) => at > OutageSince && (OutageUntil is null || at < OutageUntil);

        private async Task ClientAsync(Random random)
        {
            while (!_stop.IsCancellationRequested)
            {
                var key = $"k{Guid.NewGuid():N}";
                Sent request;
                if (random.Next(3) == 0)
                {
                    request = new Sent(
                        key,
                        "/v1/customers",
                        new { name = key, email = $"{key}@example.com" },
                        DateTime.UtcNow
                    );
                }
                else
                {
                    var from = random.Next(world.Wallets.Count);
                    var to = (from + 1 + random.Next(world.Wallets.Count - 1)) % world.Wallets.Count;
                    var amount = random.Next(1, 100);
                    request = new Sent(
                        key,
                        "/v1/transfers",
                        new
                        {
                            from_wallet_id = world.Wallets[from],
                            to_wallet_id = world.Wallets[to],
                            amount,
                            description = key,
                        },
                        DateTime.UtcNow
                    )
                    {
                        Amount = amount,
                        From = world.Wallets[from],
                        To = world.Wallets[to],
                    };
                }

                _sent.Enqueue(request);
                var (status, _) = await SendAsync(request);
                if (status == 503)
                {
                    // Not a hot loop against a database that is down: a real client would wait Retry-After.
                    await Task.Delay(50);
                }
            }
        }

        private async Task<(int Status, string? Code)> SendAsync(Sent request)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Path)
            {
                Content = HttpJson.Content(request.Body),
            };
            message.Headers.Add(IdempotencyMiddleware.Header, request.Key);
            using var response = await world.Client.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            string? code = null;
            if (status >= 300)
            {
                code = Field(text, "code");
                if (status != 503)
                {
                    _wrong.Enqueue($"{request.Path} {request.Key}: {status} {text}");
                }
                else if (
                    response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || code != "service_unavailable"
                    || !(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1))
                )
                {
                    _wrong.Enqueue(
                        $"{request.Path} {request.Key}: 503 as {response.Content.Headers.ContentType}, "
                            + $"Retry-After '{response.Headers.RetryAfter}': {text}"
                    );
                }
            }

            request.Answers.Enqueue((status, code, DateTime.UtcNow));
            return (status, code);
        }

        private static string Describe(Sent request) =>
            $"sent {request.SentAt:HH:mm:ss.fff}, answers "
            + string.Join(", ", request.Answers.Select(a => $"{a.Status} {a.Code} at {a.At:HH:mm:ss.fff}"));

        private static string? Field(string json, string name)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static async Task<Dictionary<string, long>> CountByAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var counts = new Dictionary<string, long>();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }
    }
}
