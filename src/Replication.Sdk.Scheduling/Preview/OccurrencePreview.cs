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

    /// <summary>Gets how many selected VMs have a spread start on or after the deadline, so would end not started.</summary>
    public int StartsPastDeadline { get; init; }
}
