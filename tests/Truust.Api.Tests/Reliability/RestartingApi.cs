using System.Diagnostics;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>One life of the API process: its generation number and what the clients sent to it.</summary>
public sealed class ApiInstance(int generation, ApiProcess process)
{
    private volatile bool _killed;
    private int _sent;
    private int _killAfter = int.MaxValue;
    private readonly TaskCompletionSource _thresholdReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Generation { get; } = generation;

    public ApiProcess Process { get; } = process;

    public Uri BaseAddress => Process.BaseAddress;

    /// <summary>Set before the kill, so a client whose request breaks knows to wait for the next instance.</summary>
    public bool Killed
    {
        get => _killed;
        set => _killed = value;
    }

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Counts a request about to be sent to this instance.</summary>
    public void CountSent()
    {
        if (Interlocked.Increment(ref _sent) >= Volatile.Read(ref _killAfter))
        {
            _thresholdReached.TrySetResult();
        }
    }

    /// <summary>Completes once <paramref name="requests"/> requests were sent to this instance.</summary>
    public Task SentAtLeastAsync(int requests)
    {
        Volatile.Write(ref _killAfter, requests);
        if (Sent >= requests)
        {
            _thresholdReached.TrySetResult();
        }

        return _thresholdReached.Task;
    }
}

/// <summary>
/// The API as a process that the test kills and restarts on the same database. Clients ask for the instance to
/// talk to; while none is up they wait for the next one, as a real client retries until the service is back.
/// </summary>
public sealed class RestartingApi(IReadOnlyDictionary<string, string> settings, TimeSpan startTimeout)
    : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ApiProcess> _processes = [];
    private TaskCompletionSource<ApiInstance> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ApiInstance? _current;

    public ApiInstance Current => _current ?? throw new InvalidOperationException("The API was never started.");

    /// <summary>Starts the next generation and lets the waiting clients through.</summary>
    public async Task<TimeSpan> StartAsync()
    {
        var watch = Stopwatch.StartNew();
        TaskCompletionSource<ApiInstance> up;
        lock (_gate)
        {
            up = _up;
        }

        try
        {
            var process = await ApiProcess.StartAsync(settings, startTimeout);
            ApiInstance started;
            lock (_gate)
            {
                _processes.Add(process);
                started = new ApiInstance((_current?.Generation ?? 0) + 1, process);
                _current = started;
            }

            up.TrySetResult(started);
            return watch.Elapsed;
        }
        catch (Exception e)
        {
            // The clients waiting for an instance fail with the reason instead of hanging.
            up.TrySetException(e);
            throw;
        }
    }

    /// <summary>SIGKILLs the current instance: every request in it dies wherever it was.</summary>
    public ApiInstance Kill()
    {
        ApiInstance killed;
        lock (_gate)
        {
            killed = Current;
            killed.Killed = true;
            _up = new TaskCompletionSource<ApiInstance>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        killed.Process.Kill();
        return killed;
    }

    /// <summary>The live instance of generation <paramref name="atLeast"/> or later, once it is up.</summary>
    public async Task<ApiInstance> UpAsync(int atLeast)
    {
        while (true)
        {
            Task<ApiInstance> next;
            lock (_gate)
            {
                if (_current is { Killed: false } live && live.Generation >= atLeast)
                {
                    return live;
                }

                next = _up.Task;
            }

            await next.WaitAsync(startTimeout * 2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ApiProcess> processes;
        lock (_gate)
        {
            processes = [.. _processes];
            // Clients still running (the test failed early) stop waiting for an instance that will never come.
            if (_current is not null)
            {
                _current.Killed = true;
            }

            _up.TrySetException(new ObjectDisposedException(nameof(RestartingApi)));
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }
}
