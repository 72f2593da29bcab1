using Replication.Sdk.Oma;

namespace Replication.Sdk.Jobs;

/// <summary>The typed outcome of a submission. Never thrown: every way a submission can end is a value.</summary>
public sealed record SubmissionResult
{
    /// <summary>Gets how the submission ended.</summary>
    public required SubmissionStatus Status { get; init; }

    /// <summary>Gets the target.</summary>
    public required ReplicationTarget Target { get; init; }

    /// <summary>Gets the plan, when the job could be built.</summary>
    public ReplicationJobPlan? Plan { get; init; }

    /// <summary>Gets the created, adopted, active or blocking job id.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the VM context id, for <see cref="SubmissionStatus.AddedToManagement"/>.</summary>
    public string? ContextId { get; init; }

    /// <summary>Gets the status of the job that blocks or occupies the VM, when it could be read.</summary>
    public ReplicationJobStatus? ExistingJobStatus { get; init; }

    /// <summary>Gets a human-readable reason for anything but a plain success.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the error behind <see cref="SubmissionStatus.Failed"/> or <see cref="SubmissionStatus.OutcomeUnknown"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed (only for <see cref="SubmissionStatus.Failed"/>).</summary>
    public bool IsTransient { get; init; }

    /// <summary>Gets when the create request was started, when one was sent.</summary>
    public DateTimeOffset? RequestStartedAt { get; init; }

    /// <summary>Gets a value indicating whether a job exists for this submission (created or adopted) or the VM was added to management.</summary>
    public bool IsSuccess => Status is SubmissionStatus.JobCreated or SubmissionStatus.JobAdopted or SubmissionStatus.AddedToManagement;
}
