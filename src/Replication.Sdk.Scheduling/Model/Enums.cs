namespace Replication.Sdk.Scheduling;

/// <summary>What an occurrence that was missed (host down or paused) becomes.</summary>
public enum MisfirePolicy
{
    /// <summary>One <see cref="TriggerKind.CatchUp"/> execution for the latest missed occurrence, if it is within the starting deadline; otherwise it is recorded as missed.</summary>
    RunLatest,

    /// <summary>The latest missed occurrence is recorded as missed; nothing runs until the next occurrence.</summary>
    Skip,
}

/// <summary>What started an execution.</summary>
public enum TriggerKind
{
    /// <summary>The schedule's cron fired.</summary>
    Scheduled,

    /// <summary>A missed occurrence was run late (<see cref="MisfirePolicy.RunLatest"/>).</summary>
    CatchUp,

    /// <summary>A person or system called <c>TriggerAsync</c>.</summary>
    Manual,

    /// <summary>A past occurrence run on request (<c>BackfillAsync</c>); claimed like a scheduled one, so it runs at most once.</summary>
    Backfill,
}

/// <summary>The status of an execution, derived from its per-VM outcomes once it ends.</summary>
public enum ExecutionStatus
{
    /// <summary>The execution is in progress.</summary>
    Running,

    /// <summary>Every VM that was attempted completed its job, or there was nothing to do.</summary>
    Completed,

    /// <summary>Some VMs completed their job and some did not.</summary>
    CompletedWithErrors,

    /// <summary>VMs were attempted and none completed its job.</summary>
    Failed,

    /// <summary>The occurrence was not run (see <see cref="ScheduleExecution.SkipReason"/>, for example another execution was running and the overlap policy is <see cref="OverlapPolicy.Skip"/>).</summary>
    Skipped,

    /// <summary>The occurrence passed while the scheduler was not running and was not caught up.</summary>
    Missed,

    /// <summary>The host shut down during the execution.</summary>
    Cancelled,

    /// <summary>The execution was found still running when a scheduler started: its process died.</summary>
    Interrupted,
}

/// <summary>Why an occurrence was recorded <see cref="ExecutionStatus.Skipped"/> instead of run: a closed list, so tools can count and filter skips.</summary>
public enum ExecutionSkipReason
{
    /// <summary>Another execution of the schedule was running and the overlap policy did not let this one start.</summary>
    Overlap,

    /// <summary>The schedule was paused.</summary>
    Paused,

    /// <summary>The occurrence fell outside the schedule's replication window.</summary>
    Window,

    /// <summary>The occurrence fell inside a blackout period.</summary>
    Blackout,
}

/// <summary>How one VM of an execution ended. Each kind counts in exactly one bucket: created, failed or skipped.</summary>
public enum VmOutcomeKind
{
    /// <summary>A job was created (or adopted) and completed. Bucket: created.</summary>
    JobCompleted,

    /// <summary>A job was created and ended failed, cancelled or stopped. Bucket: created.</summary>
    JobFailed,

    /// <summary>A job was created but stopped changing, or the OMA no longer knows it; its slot was freed. Bucket: created.</summary>
    JobStale,

    /// <summary>A job was created and was still running when the execution ended (shutdown); it is left to the appliance. Bucket: created.</summary>
    JobInProgress,

    /// <summary>The job could not be created (after retries, if the failure was transient). Bucket: failed.</summary>
    CreateFailed,

    /// <summary>The create's answer was lost and reconciliation could not tell whether a job exists. Never resent. Bucket: failed.</summary>
    OutcomeUnknown,

    /// <summary>The OMA refuses because of a terminal, missing or stale job that an operator must clean up. Bucket: failed.</summary>
    BlockedByStaleJob,

    /// <summary>The VM was not submitted for the reason in <see cref="VmOutcome.SkipReason"/>. Bucket: skipped.</summary>
    Skipped,

    /// <summary>The VM had not started when the execution deadline passed. Bucket: skipped.</summary>
    NotStarted,

    /// <summary>The VM had not started when the host shut down or the execution was interrupted. Bucket: skipped.</summary>
    Cancelled,

    /// <summary>Transient, while the execution runs: the VM passed its checks and waits for a slot. In no bucket.</summary>
    Pending,

    /// <summary>Transient, while the execution runs: the VM's submission is in progress. In no bucket.</summary>
    Submitting,

    /// <summary>
    /// The VM had not started when the schedule's replication window closed (or a blackout period began) during the
    /// execution. Counts as attempted and not completed, like <see cref="NotStarted"/>. Bucket: skipped. (Last, so the
    /// values of the older kinds stay as they were.)
    /// </summary>
    NotStartedWindowClosed,
}

/// <summary>Why a VM was skipped, in the order the checks run.</summary>
public enum SkipReason
{
    /// <summary>The schedule is disabled.</summary>
    ScheduleDisabled,

    /// <summary>The VM context has the scheduler disabled.</summary>
    VmDisabled,

    /// <summary>The VM is failed over or needs clean-up (<c>failed_over_test</c>, <c>failed_over_live</c>, <c>cleanup_required</c>).</summary>
    VmInFailover,

    /// <summary>The VM has a job that is not terminal.</summary>
    ActiveJob,

    /// <summary>The checks themselves failed (for example the OMA was unreachable): fail closed.</summary>
    CheckFailed,

    /// <summary>The VM, or the group it ran in, is paused (<see cref="IPauseControl"/>); <see cref="VmOutcome.Reason"/> carries the pause's reason.</summary>
    Paused,
}

/// <summary>What a pause applies to (<see cref="PauseTarget"/>).</summary>
public enum PauseTargetKind
{
    /// <summary>A schedule: its occurrences are recorded as skipped with <see cref="ExecutionSkipReason.Paused"/>.</summary>
    Schedule,

    /// <summary>A machine group: its VMs are skipped with <see cref="SkipReason.Paused"/> in every execution, the other groups run.</summary>
    Group,

    /// <summary>A VM, by its context id (<see cref="ScheduledVm.ContextId"/>): it is skipped with <see cref="SkipReason.Paused"/> in every execution.</summary>
    Vm,
}

/// <summary>What an occurrence that falls outside the schedule's <see cref="ReplicationSchedule.Window"/> becomes.</summary>
public enum OutsideWindowPolicy
{
    /// <summary>It is recorded <see cref="ExecutionStatus.Skipped"/> with <see cref="ExecutionSkipReason.Window"/>.</summary>
    Skip,

    /// <summary>
    /// It is claimed at once and starts when the window next opens (outside any blackout). If the schedule's next
    /// occurrence comes first, it is recorded <see cref="ExecutionStatus.Skipped"/> with <see cref="ExecutionSkipReason.Window"/>
    /// instead: the later occurrence supersedes it.
    /// </summary>
    Defer,
}
