using Replication.Sdk.Oma;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Follows a created job on the OMA until it is terminal, stale (no change for the threshold) or unknown to the OMA (404
/// on the job route). Judges only from the OMA's job route: no VMA route that does not exist is called, and nothing is deleted.
/// </summary>
internal sealed class JobTracker(IOmaClient oma, SchedulerOptions options, TimeProvider time, SchedulerTelemetry telemetry)
{
    public async Task<(VmOutcomeKind Kind, string? Reason)> TrackAsync(string jobId, CancellationToken stopping)
    {
        var started = time.GetUtcNow();
        var lastChange = started;
        (string Status, double Progress)? last = null;
        var delay = options.JobPollInterval;
        try
        {
            while (true)
            {
                try
                {
                    var job = await oma.GetReplicationJobAsync(jobId, stopping).ConfigureAwait(false);
                    if (job.Status.IsTerminal)
                    {
                        var kind = job.Status.IsSuccess ? VmOutcomeKind.JobCompleted : VmOutcomeKind.JobFailed;
                        telemetry.JobDuration(time.GetUtcNow() - started, kind);
                        return (kind, job.Status.IsSuccess ? null : $"job {jobId} ended as '{job.Status}'");
                    }

                    if (last != (job.Status.Value, job.ProgressPercent))
                    {
                        last = (job.Status.Value, job.ProgressPercent);
                        lastChange = time.GetUtcNow();
                    }
                }
                catch (OmaNotFoundException)
                {
                    telemetry.JobDuration(time.GetUtcNow() - started, VmOutcomeKind.JobStale);
                    return (VmOutcomeKind.JobStale, $"the OMA no longer knows job {jobId}; its slot was freed (nothing was deleted)");
                }
                catch (ReplicationException)
                {
                    // Unreachable for now: keep polling. Staleness is still measured from the last change seen.
                }

                var quiet = time.GetUtcNow() - lastChange;
                if (quiet >= options.StaleJobThreshold)
                {
                    telemetry.JobDuration(time.GetUtcNow() - started, VmOutcomeKind.JobStale);
                    return (VmOutcomeKind.JobStale, $"job {jobId} showed no change for {quiet:g} (last '{last?.Status}'); its slot was freed (nothing was deleted)");
                }

                await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.JobPollMaxInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return (VmOutcomeKind.JobInProgress, $"job {jobId} was still running at shutdown; it is left to the appliance");
        }
    }
}
