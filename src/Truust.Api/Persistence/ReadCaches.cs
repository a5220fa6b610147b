using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Truust.Api.Persistence;

/// <summary>
/// When rows read on every request but rarely changed (API keys, webhook endpoints) may be served from memory. A cached
/// copy is good only while the generation it was read in is still current and it is younger than a few seconds;
/// every change to those tables moves the generation on: at once in this process when the change commits (the
/// writer's unit wakes <see cref="ICommitSignal"/> this), and in every process through the <c>truust_cache</c>
/// notification that a trigger on those tables sends and <see cref="ReadCacheListener"/> receives. While that listener
/// is not connected, nothing is served from memory, so a revocation can never be missed.
/// </summary>
public sealed class ReadCacheGeneration : ICommitSignal
{
    public const string Channel = "truust_cache";

    private long _generation;
    private volatile bool _listening;

    public long Current => Interlocked.Read(ref _generation);

    /// <summary>Whether changes made by other processes reach this one (the listener is connected).</summary>
    public bool Live => _listening;

    public void Wake() => Interlocked.Increment(ref _generation);

    internal void SetListening(bool listening)
    {
        _listening = listening;
        Wake();
    }
}

/// <summary>A cache of one kind of rarely changed rows, valid for a few seconds within one generation.</summary>
public sealed class ReadCache<TValue>(ReadCacheGeneration generation, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (long Generation, long Until, TValue Value)> _entries = new();

    public async ValueTask<TValue> GetAsync(string key, Func<Task<TValue>> load)
    {
        // Read before the load: a change that commits while the load runs moves the generation on, so what the load
        // saw is never served afterwards.
        var current = generation.Current;
        var now = Stopwatch.GetTimestamp();
        if (
            generation.Live
            && _entries.TryGetValue(key, out var entry)
            && entry.Generation == current
            && entry.Until > now
        )
        {
            return entry.Value;
        }

        var value = await load();
        if (generation.Live)
        {
            if (_entries.Count > 10_000)
            {
                _entries.Clear();
            }

            _entries[key] = (current, now + (long)(lifetime.TotalSeconds * Stopwatch.Frequency), value);
        }

        return value;
    }

    public TValue Get(string key, Func<TValue> load) =>
        GetAsync(key, () => Task.FromResult(load())).AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// Listens on <see cref="ReadCacheGeneration.Channel"/> on a connection of its own and moves the generation on at each
/// notification; reconnects after a failure, serving nothing from memory until it listens again.
/// </summary>
public sealed class ReadCacheListener(
    ReadCacheGeneration generation,
    DatabaseConnection database,
    ILogger<ReadCacheListener> log
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(database.Required)
                {
                    Pooling = false,
                    KeepAlive = 5,
                    ApplicationName = "truust-cache-listener",
                };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => generation.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {ReadCacheGeneration.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                generation.SetListening(true);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogDebug(
                    "Read cache listener disconnected ({Reason}); caches off until it listens again",
                    e.Message
                );
            }
            finally
            {
                generation.SetListening(false);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
