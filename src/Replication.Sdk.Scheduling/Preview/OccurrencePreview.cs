namespace Replication.Sdk.Scheduling;

/// <summary>One planned occurrence of a schedule.</summary>
public sealed record OccurrencePreview
{
    /// <summary>Gets the instant the occurrence fires, in UTC (an execution's <see cref="ScheduleExecution.ScheduledFor"/>).</summary>
    public required DateTimeOffset ScheduledFor { get; init; }

    /// <summary>Gets the same instant on the schedule's wall clock, with the zone's offset at that instant.</summary>
    public required DateTimeOffset Local { get; init; }

    /// <summary>Gets how a change of the zone's offset affects this occurrence.</summary>
    public OccurrenceDst Dst { get; init; }

    /// <summary>
    /// Gets the execution deadline: the schedule's next occurrence, by which VMs not yet started end not started;
    /// <see langword="null"/> when the schedule never fires again.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Gets the start of each selected VM (the occurrence plus its spread offset) that falls before the deadline, in start order.</summary>
    public IReadOnlyList<PlannedStart> Starts { get; init; } = [];

    /// <summary>
    /// Gets how many selected VMs have a spread start on or after the deadline or the window's close (a blackout's
    /// beginning), so would end <see cref="VmOutcomeKind.NotStarted"/> or <see cref="VmOutcomeKind.NotStartedWindowClosed"/>.
    /// </summary>
    public int StartsPastDeadline { get; init; }

    /// <summary>
    /// Gets why the occurrence would be recorded <see cref="ExecutionStatus.Skipped"/> instead of running (the schedule is
    /// paused then, a blackout, outside the window), or <see langword="null"/> when it would run.
    /// </summary>
    public ExecutionSkipReason? SkipReason { get; init; }

    /// <summary>Gets the skip's or the deferral's reason, worded as the execution record's <see cref="ScheduleExecution.Reason"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets when an occurrence outside its window (policy <see cref="OutsideWindowPolicy.Defer"/>) would start: the window's opening.</summary>
    public DateTimeOffset? DeferredTo { get; init; }

    /// <summary>Gets the selected VMs a group or VM pause in force at this occurrence would skip (<see cref="Scheduling.SkipReason.Paused"/>).</summary>
    public IReadOnlyList<string> PausedVms { get; init; } = [];
}
