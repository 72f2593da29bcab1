using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// When a followed job will probably end, from what its polls show: the OMA's progress rate between polls (or since the
/// job's creation, while only one poll has seen progress) and the VMA's own estimate when it was read. The tracker never
/// sleeps past it, so a job is seen ending within about one <see cref="SchedulerOptions.JobPollInterval"/> of its end
/// instead of up to <see cref="SchedulerOptions.JobPollMaxInterval"/> later (a slot held, an RPO age grown, for nothing),
/// while a job whose progress says nothing is polled on the doubling back-off alone. One instance per followed job.
/// </summary>
internal sealed class JobEndEstimate
{
    private (DateTimeOffset At, double Percent)? _firstProgress;

    /// <summary>Records a poll's verdict; returns the estimated time left, or <see langword="null"/> when the evidence says nothing.</summary>
    public TimeSpan? Observe(JobLivenessVerdict verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        TimeSpan? left = null;
        if (verdict.Job is { } job && job.ProgressPercent is > 0 and < 100 && double.IsFinite(job.ProgressPercent))
        {
            var percent = job.ProgressPercent;
            if (_firstProgress is not { } first || percent < first.Percent)
            {
                // The first progress seen (or progress that went back: a restarted transfer) starts the rate again.
                _firstProgress = (now, percent);
                left = Remaining(now - job.CreatedAt, percent, 0);
            }
            else if (percent > first.Percent)
            {
                left = Remaining(now - first.At, percent, first.Percent);
            }
        }

        // The VMA's estimate is in whole seconds and 0 when it has none.
        if (verdict.VmaProgress?.Timing?.EtaSeconds is > 0 and <= 86_400 and var eta)
        {
            var vma = TimeSpan.FromSeconds(eta);
            left = left is { } l && l < vma ? l : vma;
        }

        return left;
    }

    /// <summary>The delay before the next poll: the back-off's, but not past the estimated end, and never under <paramref name="floor"/>.</summary>
    public static TimeSpan NextDelay(TimeSpan backoff, TimeSpan? left, TimeSpan floor) =>
        left is { } l && l < backoff ? (l > floor ? l : floor) : backoff;

    /// <summary>Time left at the rate seen from <paramref name="fromPercent"/> to <paramref name="percent"/> over <paramref name="elapsed"/>.</summary>
    private static TimeSpan? Remaining(TimeSpan elapsed, double percent, double fromPercent)
    {
        if (elapsed <= TimeSpan.Zero || percent <= fromPercent)
        {
            return null;
        }

        var ticks = elapsed.Ticks * ((100 - percent) / (percent - fromPercent));
        return ticks >= TimeSpan.MaxValue.Ticks / 2 ? null : TimeSpan.FromTicks((long)ticks);
    }
}
