namespace Replication.Sdk.Jobs;

/// <summary>How a submission ended. Exactly one applies.</summary>
public enum SubmissionStatus
{
    /// <summary>The OMA created the job (<see cref="SubmissionResult.JobId"/>).</summary>
    JobCreated,

    /// <summary>The VM was added to management without a job (<see cref="SubmissionResult.ContextId"/>).</summary>
    AddedToManagement,

    /// <summary>The create's answer was lost, and reconciliation found the job it created (<see cref="SubmissionResult.JobId"/>, confirmed).</summary>
    JobAdopted,

    /// <summary>The create's answer was lost, and reconciliation showed no job was created: one resend is safe.</summary>
    NotCreated,

    /// <summary>The VM already has a live job (<see cref="SubmissionResult.JobId"/>, status in <see cref="SubmissionResult.ExistingJobStatus"/>).</summary>
    ActiveJobExists,

    /// <summary>The OMA refuses because of a job that is terminal, missing or stale (<see cref="SubmissionResult.JobId"/>): an operator must clean it up.</summary>
    BlockedByStaleJob,

    /// <summary>The create may or may not have created a job and reconciliation could not tell. Never resend blindly.</summary>
    OutcomeUnknown,

    /// <summary>Nothing was created: see <see cref="SubmissionResult.Error"/> and <see cref="SubmissionResult.IsTransient"/>.</summary>
    Failed,
}
