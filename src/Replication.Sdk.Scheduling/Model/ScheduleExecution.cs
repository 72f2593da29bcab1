namespace Replication.Sdk.Scheduling;

/// <summary>
/// One run of a schedule (<c>schedule_executions</c>). Counters are derived from <see cref="VmOutcomes"/>, so they cannot
/// disagree with them: every selected VM has exactly one outcome, in exactly one bucket.
/// </summary>
public sealed record ScheduleExecution
{
    /// <summary>Gets the unique id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the schedule id.</summary>
    public required string ScheduleId { get; init; }

    /// <summary>Gets the occurrence this execution is for (for a manual trigger: when it was triggered), to the second, in UTC.</summary>
    public required DateTimeOffset ScheduledFor { get; init; }

    /// <summary>Gets what started it.</summary>
    public required TriggerKind TriggerKind { get; init; }

    /// <summary>Gets the principal that triggered it (<c>scheduler</c> for cron occurrences).</summary>
    public required string TriggeredBy { get; init; }

    /// <summary>Gets when it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it ended.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the status.</summary>
    public ExecutionStatus Status { get; init; } = ExecutionStatus.Running;

    /// <summary>Gets why it was triggered, skipped, missed or interrupted.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets why the occurrence was skipped (set exactly when <see cref="Status"/> is <see cref="ExecutionStatus.Skipped"/>); <see cref="Reason"/> says it in words.</summary>
    public ExecutionSkipReason? SkipReason { get; init; }

    /// <summary>Gets a value indicating whether a manual trigger passed <c>force</c>, so the schedule's <see cref="ReplicationSchedule.OverlapPolicy"/> was not applied.</summary>
    public bool Forced { get; init; }

    /// <summary>
    /// Gets the execution this one was buffered behind (<see cref="OverlapPolicy.BufferOne"/>): it was claimed when its
    /// occurrence fired and started (<see cref="StartedAt"/>) when that execution ended. <see langword="null"/> when it never waited.
    /// </summary>
    public string? BufferedBehind { get; init; }

    /// <summary>
    /// Gets the execution that asked this one to stop starting VMs (<see cref="OverlapPolicy.CancelOther"/>), as the store
    /// recorded it (<see cref="IExecutionStore.RequestStopAsync"/>); an owner's <see cref="IExecutionStore.UpdateAsync"/> never clears it.
    /// </summary>
    public string? StopRequestedBy { get; init; }

    /// <summary>Gets an execution-level error (for example the stores could not be read).</summary>
    public string? Error { get; init; }

    /// <summary>Gets the id of the scheduler instance that owns the record: the one that ran it, or the one that took it over from a dead instance.</summary>
    public string? InstanceId { get; init; }

    /// <summary>
    /// Gets the fencing token of the owner's lease (<see cref="InstanceLeaseToken.Token"/>) under which the record is written.
    /// Stores apply an update only when it carries the stored token, so an instance that lost its lease cannot overwrite a
    /// record another instance took over. <see langword="null"/> on records written before leases were fenced.
    /// </summary>
    public string? LeaseToken { get; init; }

    /// <summary>Gets the per-VM outcomes (one per selected VM once the execution ended; jobs in progress while it runs).</summary>
    public IReadOnlyList<VmOutcome> VmOutcomes { get; init; } = [];

    /// <summary>Gets how many VMs passed selection and the conflict checks (<c>vms_eligible</c>).</summary>
    public int VmsEligible => VmOutcomes.Count(o => o.Kind != VmOutcomeKind.Skipped);

    /// <summary>Gets how many jobs were created or adopted (<c>jobs_created</c>).</summary>
    public int JobsCreated => VmOutcomes.Count(o => o.IsCreated);

    /// <summary>Gets how many created jobs completed (<c>jobs_completed</c>).</summary>
    public int JobsCompleted => VmOutcomes.Count(o => o.Kind == VmOutcomeKind.JobCompleted);

    /// <summary>Gets how many creates failed plus how many created jobs did not complete (<c>jobs_failed</c>).</summary>
    public int JobsFailed => VmOutcomes.Count(o => o.IsFailure);

    /// <summary>Gets how many VMs were skipped, with a reason (<c>jobs_skipped</c>).</summary>
    public int JobsSkipped => VmOutcomes.Count(o => o.IsSkipped);

    /// <summary>Gets the ids of the jobs this execution created or adopted.</summary>
    public IReadOnlyList<string> CreatedJobIds => [.. VmOutcomes.Where(o => o.IsCreated && o.JobId is not null).Select(o => o.JobId!)];

    /// <summary>Gets a value indicating whether the execution has ended.</summary>
    public bool IsFinished => Status != ExecutionStatus.Running;

    /// <summary>
    /// Derives the final status from outcomes. A VM whose checks failed (<see cref="SkipReason.CheckFailed"/>, for example the
    /// OMA was unreachable) or that got no slot before the deadline (<see cref="VmOutcomeKind.NotStarted"/>) or before the
    /// replication window closed (<see cref="VmOutcomeKind.NotStartedWindowClosed"/>) counts as
    /// attempted and not completed; other skips do not count. Nothing attempted and some VM
    /// <see cref="VmOutcomeKind.Cancelled"/> (another execution replaced this one, or the host shut down) → Cancelled;
    /// nothing attempted, or every attempted VM completed → Completed; none completed → Failed; else CompletedWithErrors.
    /// </summary>
    /// <param name="outcomes">The outcomes.</param>
    /// <returns>The status.</returns>
    public static ExecutionStatus DeriveStatus(IReadOnlyCollection<VmOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var attempted = outcomes.Where(o => !o.IsSkipped || o.SkipReason == Scheduling.SkipReason.CheckFailed || o.Kind is VmOutcomeKind.NotStarted or VmOutcomeKind.NotStartedWindowClosed).ToList();
        if (attempted.Count == 0 && outcomes.Any(o => o.Kind == VmOutcomeKind.Cancelled))
        {
            return ExecutionStatus.Cancelled;
        }

        if (attempted.Count == 0 || attempted.All(o => o.Kind == VmOutcomeKind.JobCompleted))
        {
            return ExecutionStatus.Completed;
        }

        return attempted.Any(o => o.Kind == VmOutcomeKind.JobCompleted) ? ExecutionStatus.CompletedWithErrors : ExecutionStatus.Failed;
    }
}
