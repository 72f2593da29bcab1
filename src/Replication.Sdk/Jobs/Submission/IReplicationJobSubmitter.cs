namespace Replication.Sdk.Jobs;

/// <summary>Builds a job from fresh discovery and creates it on the OMA, safely: never a blind resend.</summary>
public interface IReplicationJobSubmitter
{
    /// <summary>Builds and creates a replication job for one target.</summary>
    /// <param name="target">The target.</param>
    /// <param name="scope">A discovery scope shared by a batch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">
    /// Cancels the submission. Before the create is sent this throws <see cref="OperationCanceledException"/>; after, the
    /// result is <see cref="SubmissionStatus.OutcomeUnknown"/>, never a success or a failure.
    /// </param>
    /// <returns>The outcome; every failure is a value, not an exception.</returns>
    Task<SubmissionResult> SubmitAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default);
}
