namespace Replication.Sdk.Scheduling;

/// <summary>
/// What an occurrence (or a manual trigger without <c>force</c>) does when it finds an execution of the same schedule
/// still running, on this or any other scheduler instance sharing the store.
/// </summary>
public enum OverlapPolicy
{
    /// <summary>The occurrence is recorded <see cref="ExecutionStatus.Skipped"/> with <see cref="ExecutionSkipReason.Overlap"/> (the appliance's <c>skip_if_running = 1</c>).</summary>
    Skip,

    /// <summary>The occurrence runs alongside; VMs whose job is still active are skipped with <see cref="SkipReason.ActiveJob"/> (the appliance's <c>skip_if_running = 0</c>).</summary>
    AllowAll,

    /// <summary>
    /// The occurrence is claimed at once and waits (<see cref="ScheduleExecution.BufferedBehind"/>), then runs when the running
    /// execution ends. At most one waits: a later overlapping occurrence is recorded skipped, naming the one that waits.
    /// </summary>
    BufferOne,

    /// <summary>
    /// The running execution is asked to stop starting VMs (its VMs not yet started end <see cref="VmOutcomeKind.Cancelled"/>
    /// naming the new execution; jobs already created run on and are tracked to their end), and the occurrence starts at once.
    /// </summary>
    CancelOther,
}
