using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>How one VM of an execution ended.</summary>
public sealed record VmOutcome
{
    /// <summary>Gets the VM context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the group the VM ran in.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets the outcome.</summary>
    public required VmOutcomeKind Kind { get; init; }

    /// <summary>Gets why the VM was skipped, for <see cref="VmOutcomeKind.Skipped"/>.</summary>
    public SkipReason? SkipReason { get; init; }

    /// <summary>Gets a human-readable reason or error.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the job created, adopted or blocking.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets how many submissions were made.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the drift the discovery found, if any.</summary>
    public DriftReport? Drift { get; init; }

    /// <summary>Gets when the VM's first submission started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the outcome was decided.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets a value indicating whether the outcome counts as a created job.</summary>
    public bool IsCreated => Kind is VmOutcomeKind.JobCompleted or VmOutcomeKind.JobFailed or VmOutcomeKind.JobStale or VmOutcomeKind.JobInProgress;

    /// <summary>Gets a value indicating whether the outcome counts as skipped.</summary>
    public bool IsSkipped => Kind is VmOutcomeKind.Skipped or VmOutcomeKind.NotStarted or VmOutcomeKind.NotStartedWindowClosed or VmOutcomeKind.Cancelled;

    /// <summary>Gets a value indicating whether the outcome counts as failed (<c>jobs_failed</c>): a failed create or a created job that did not complete.</summary>
    public bool IsFailure => IsFailureKind(Kind);

    /// <summary>The kinds that count as failures: one list for <see cref="IsFailure"/> and a database store's query.</summary>
    internal static bool IsFailureKind(VmOutcomeKind kind) => kind is VmOutcomeKind.CreateFailed or VmOutcomeKind.OutcomeUnknown
        or VmOutcomeKind.BlockedByStaleJob or VmOutcomeKind.JobFailed or VmOutcomeKind.JobStale;
}
