namespace Replication.Sdk.Jobs;

/// <summary>What <see cref="IJobLivenessPolicy"/> concludes about a job the OMA names.</summary>
public enum JobLiveness
{
    /// <summary>The job is not terminal and the OMA's job row or the VMA's transfer progress changed within the threshold.</summary>
    Active,

    /// <summary>The job is terminal on the OMA (see <see cref="Oma.ReplicationJobStatus.IsTerminal"/>).</summary>
    Ended,

    /// <summary>The OMA does not know the job (404 on its job route).</summary>
    Missing,

    /// <summary>The job is not terminal, and neither its OMA row nor its VMA progress changed for the threshold.</summary>
    Stale,

    /// <summary>
    /// The evidence could not be read (the OMA, or the VMA when the OMA alone would call the job stale, failed or was
    /// unreachable). Never treated as stale: the time without evidence does not count as time without change.
    /// </summary>
    Unknown,
}
