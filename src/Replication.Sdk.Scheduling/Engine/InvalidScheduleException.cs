namespace Replication.Sdk.Scheduling;

/// <summary>
/// A schedule or one of its groups has a setting it cannot run with (a limit of 0, a negative delay, an unknown policy).
/// The cron path refuses the same schedules and logs the same problems.
/// </summary>
public sealed class InvalidScheduleException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidScheduleException"/> class.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="problems">What is wrong, one entry per setting.</param>
    public InvalidScheduleException(string scheduleId, IReadOnlyList<string> problems)
        : base($"Schedule '{scheduleId}' cannot run: {string.Join("; ", problems ?? [])}.")
    {
        ScheduleId = scheduleId;
        Problems = problems ?? [];
    }

    /// <summary>Gets the schedule id.</summary>
    public string ScheduleId { get; }

    /// <summary>Gets what is wrong, one entry per setting.</summary>
    public IReadOnlyList<string> Problems { get; }
}
