namespace Replication.Sdk.Jobs;

/// <summary>
/// The one rule for whether a replication job is still alive. The scheduler's job tracker, the submitter's 409
/// classifier and the scheduler's active-job check all ask it, with one threshold
/// (<see cref="ReplicationJobOptions.StaleJobThreshold"/>), so they cannot disagree about the same job.
/// </summary>
/// <remarks>
/// Activity is a change of the OMA's job row (<c>updated_at</c>, status, progress) or of the VMA's transfer progress
/// (<c>GET /api/v1/progress/{job_id}</c>: status, phase, percentage, bytes, <c>timing.last_update</c>). Newer OMA builds
/// no longer copy VMA progress into the job row, so a multi-hour initial sync may show a static OMA job while the VMA
/// streams; that job is <see cref="JobLiveness.Active"/>. A failed read is <see cref="JobLiveness.Unknown"/>, never stale.
/// </remarks>
public interface IJobLivenessPolicy
{
    /// <summary>Gets how long a non-terminal job may show no activity before it is <see cref="JobLiveness.Stale"/>.</summary>
    TimeSpan StaleThreshold { get; }

    /// <summary>Reads the job (and, when needed, its VMA progress) and judges it now.</summary>
    /// <param name="jobId">The OMA job id.</param>
    /// <param name="history">
    /// What earlier calls saw of the same job, for a caller that follows it (changes seen between reads count as activity,
    /// and an <see cref="JobLiveness.Unknown"/> verdict restarts the quiet clock); <see langword="null"/> for a one-off judgement.
    /// </param>
    /// <param name="cancellationToken">A token to cancel the reads.</param>
    /// <returns>The verdict; failed reads are <see cref="JobLiveness.Unknown"/> verdicts, not exceptions.</returns>
    Task<JobLivenessVerdict> JudgeAsync(string jobId, JobActivityHistory? history = null, CancellationToken cancellationToken = default);
}
