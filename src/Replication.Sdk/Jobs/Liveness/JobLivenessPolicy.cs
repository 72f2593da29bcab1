using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>The default <see cref="IJobLivenessPolicy"/>: OMA job row first, VMA progress when the row alone says stale.</summary>
internal sealed class JobLivenessPolicy(IOmaClient oma, IVmaClient vma, IOptions<ReplicationJobOptions> options, TimeProvider time) : IJobLivenessPolicy
{
    public TimeSpan StaleThreshold => options.Value.StaleJobThreshold;

    public async Task<JobLivenessVerdict> JudgeAsync(string jobId, JobActivityHistory? history = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var threshold = StaleThreshold;
        ReplicationJob job;
        try
        {
            job = await oma.GetReplicationJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (OmaNotFoundException)
        {
            return new() { JobId = jobId, Liveness = JobLiveness.Missing, Reason = $"the OMA does not know job {jobId}" };
        }
        catch (ReplicationException ex)
        {
            history?.MarkUnknown();
            return new() { JobId = jobId, Liveness = JobLiveness.Unknown, Error = ex, Reason = $"the OMA's job {jobId} could not be read ({ex.Message}), so whether it is live is unknown" };
        }

        if (job.Status.IsTerminal)
        {
            return new() { JobId = jobId, Liveness = JobLiveness.Ended, Job = job, Reason = $"job {jobId} ended as '{job.Status}'" };
        }

        var now = time.GetUtcNow();
        var omaChanged = history?.ObserveOma(job, now) ?? false;
        var omaActivity = Latest(job.UpdatedAt, history?.OmaChangedAt)!.Value;

        // A follower reads the VMA whenever the OMA shows nothing new, so VMA changes are seen long before the OMA row
        // alone would call the job stale; a one-off judgement reads it only when it decides.
        VmaProgress? progress = null;
        ReplicationException? vmaError = null;
        if (now - Latest(omaActivity, history?.RestartedAt) >= threshold || (history is not null && !omaChanged))
        {
            try
            {
                progress = await vma.GetProgressAsync(jobId, cancellationToken).ConfigureAwait(false);
                history?.ObserveVma(progress, now);
            }
            catch (VmaApiException ex) when (ex.Kind == VmaErrorKind.NotFound)
            {
                // The VMA does not know the job (it forgets jobs on restart): no VMA evidence either way.
            }
            catch (ReplicationException ex)
            {
                vmaError = ex;
            }
        }

        if (vmaError is null)
        {
            history?.EvidenceComplete(now);
        }

        var vmaActivity = Latest(progress?.Timing?.LastUpdate, history?.VmaChangedAt);
        var last = Latest(Latest(omaActivity, vmaActivity), history?.RestartedAt)!.Value;
        var quiet = now - last < TimeSpan.Zero ? TimeSpan.Zero : now - last;
        var verdict = new JobLivenessVerdict
        {
            JobId = jobId, Liveness = JobLiveness.Active, Job = job, VmaProgress = progress, LastActivityAt = last, QuietFor = quiet,
            Reason = $"job {jobId} is '{job.Status}', last activity {quiet:g} ago ({Source(last, omaActivity, vmaActivity)})",
        };
        if (quiet < threshold)
        {
            return verdict;
        }

        if (vmaError is not null)
        {
            history?.MarkUnknown();
            return verdict with
            {
                Liveness = JobLiveness.Unknown, Error = vmaError,
                Reason = $"job {jobId} is '{job.Status}' and its OMA row is unchanged for {quiet:g}, but the VMA's progress could not be read ({vmaError.Message}), so whether it is live is unknown",
            };
        }

        return verdict with
        {
            Liveness = JobLiveness.Stale,
            Reason = $"job {jobId} has been '{job.Status}' without change for {quiet:g}: neither its OMA row nor its VMA progress moved",
        };
    }

    private static string Source(DateTimeOffset last, DateTimeOffset oma, DateTimeOffset? vma) =>
        last == oma ? "OMA job row" : last == vma ? "VMA transfer progress" : "readable again after an unknown spell";

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
