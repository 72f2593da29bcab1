using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Follows a created job until the liveness policy finds it ended, missing (404 on the OMA's job route) or stale. An
/// unknown verdict (the OMA or the VMA could not be read) keeps it followed and restarts the quiet clock: the time
/// without evidence is not time without change. Polls back off from <see cref="SchedulerOptions.JobPollInterval"/> to
/// <see cref="SchedulerOptions.JobPollMaxInterval"/>, but never sleep past the job's estimated end (<see cref="JobEndEstimate"/>).
/// Nothing is deleted.
/// </summary>
internal sealed class JobTracker(IJobLivenessPolicy liveness, SchedulerOptions options, TimeProvider time, SchedulerTelemetry telemetry)
{
    public async Task<(VmOutcomeKind Kind, string? Reason)> TrackAsync(string jobId, CancellationToken stopping)
    {
        var started = time.GetUtcNow();
        var history = new JobActivityHistory();
        var estimate = new JobEndEstimate();
        var backoff = options.JobPollInterval;
        try
        {
            while (true)
            {
                var verdict = await liveness.JudgeAsync(jobId, history, stopping).ConfigureAwait(false);
                switch (verdict.Liveness)
                {
                    case JobLiveness.Ended:
                        var kind = verdict.Job!.Status.IsSuccess ? VmOutcomeKind.JobCompleted : VmOutcomeKind.JobFailed;
                        telemetry.JobDuration(time.GetUtcNow() - started, kind);
                        return (kind, verdict.Job.Status.IsSuccess ? null : verdict.Reason);
                    case JobLiveness.Missing:
                        telemetry.JobDuration(time.GetUtcNow() - started, VmOutcomeKind.JobStale);
                        return (VmOutcomeKind.JobStale, $"the OMA no longer knows job {jobId}; its slot was freed (nothing was deleted)");
                    case JobLiveness.Stale:
                        telemetry.JobDuration(time.GetUtcNow() - started, VmOutcomeKind.JobStale);
                        return (VmOutcomeKind.JobStale, $"{verdict.Reason}; its slot was freed (nothing was deleted)");
                }

                var left = verdict.Liveness == JobLiveness.Active ? estimate.Observe(verdict, time.GetUtcNow()) : null;
                await Task.Delay(JobEndEstimate.NextDelay(backoff, left, options.JobPollInterval), time, stopping).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.JobPollMaxInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return (VmOutcomeKind.JobInProgress, $"job {jobId} was still running at shutdown; it is left to the appliance");
        }
    }
}
