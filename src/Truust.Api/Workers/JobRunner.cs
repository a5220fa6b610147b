using Microsoft.Extensions.Options;
using Truust.Api.Persistence;

namespace Truust.Api.Workers;

/// <summary>Runs one job in a loop: a batch, then a pause until the poll interval passes or a request wakes
/// it.</summary>
public sealed class JobRunner<TJob>(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner<TJob>> log,
    WorkerSignal? signal = null
) : BackgroundService
    where TJob : IWorkerJob
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var idleRounds = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                taken = await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (DatabaseOutage.Find(e) is { } cause)
            {
                // The database is restarting or out of reach: one line per round, the next round tries again.
                log.LogWarning(
                    "Worker {Job} skipped a round: database unavailable ({Reason})",
                    typeof(TJob).Name,
                    cause.Message
                );
            }
            catch (Exception e)
            {
                // One bad item must not stop the worker; the item's lease ends and it is tried again.
                log.LogError(e, "Worker {Job} failed a round", typeof(TJob).Name);
            }

            if (taken >= options.Value.BatchSize)
            {
                continue;
            }

            // Nothing to do: poll less and less often (up to IdlePollMilliseconds), so an idle instance does not keep
            // the database busy; a request that makes work wakes the signalled jobs at once, and any work found
            // brings the pace back.
            idleRounds = taken > 0 ? 0 : idleRounds + 1;
            var pause = options.Value.PauseAfter(idleRounds);
            try
            {
                if (signal is null)
                {
                    await Task.Delay(pause, stoppingToken);
                }
                else if (await signal.WaitAsync(pause, stoppingToken))
                {
                    idleRounds = 0;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
