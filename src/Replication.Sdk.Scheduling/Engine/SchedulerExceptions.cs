namespace Replication.Sdk.Scheduling;

/// <summary>The schedule does not exist.</summary>
public sealed class ScheduleNotFoundException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleNotFoundException"/> class.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    public ScheduleNotFoundException(string scheduleId)
        : base($"Schedule '{scheduleId}' does not exist.")
    {
        ScheduleId = scheduleId;
    }

    /// <summary>Gets the schedule id.</summary>
    public string ScheduleId { get; }
}

/// <summary>The schedule is disabled, so it cannot be triggered.</summary>
public sealed class ScheduleDisabledException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleDisabledException"/> class.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    public ScheduleDisabledException(string scheduleId)
        : base($"Schedule '{scheduleId}' is disabled and cannot be triggered; enable it first.")
    {
        ScheduleId = scheduleId;
    }

    /// <summary>Gets the schedule id.</summary>
    public string ScheduleId { get; }
}
