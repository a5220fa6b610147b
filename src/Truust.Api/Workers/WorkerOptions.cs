using System.ComponentModel.DataAnnotations;

namespace Truust.Api.Workers;

public sealed class WorkerOptions
{
    /// <summary>Set false to run no background work in this instance (tests may drive jobs by hand).</summary>
    public bool Enabled { get; set; } = true;

    [Range(10, 3_600_000)]
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>
    /// The longest pause between two rounds that found nothing (the pause doubles from <see cref="PollMilliseconds"/>
    /// after each empty round); unset, five times <see cref="PollMilliseconds"/>.
    /// </summary>
    public int? IdlePollMilliseconds { get; set; }

    /// <summary>The pause after <paramref name="idleRounds"/> rounds in a row that found nothing.</summary>
    public TimeSpan PauseAfter(int idleRounds)
    {
        var longest = Math.Max(PollMilliseconds, IdlePollMilliseconds ?? PollMilliseconds * 5L);
        var pause = PollMilliseconds * Math.Pow(2, Math.Clamp(idleRounds - 1, 0, 20));
        return TimeSpan.FromMilliseconds(Math.Min(pause, longest));
    }

    /// <summary>How long a claimed item stays leased to one instance before another may try it.</summary>
    [Range(1, 86_400)]
    public int LeaseSeconds { get; set; } = 60;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;
}
