namespace Replication.Sdk.Scheduling;

/// <summary>
/// <see cref="ReplicationSchedule.Spread"/>: where in the spread each VM starts. The offset is a stable hash of the
/// schedule id and the VM context id, in whole milliseconds, so it is the same every night and on every instance, and a VM
/// joining or leaving the group moves no other VM.
/// </summary>
internal static class SpreadOffset
{
    public static TimeSpan Of(ReplicationSchedule schedule, string contextId)
    {
        if (schedule.Spread is not { } spread || spread <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var slots = (ulong)Math.Max(1, (long)spread.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(StableHash.Of($"{schedule.Id}\n{contextId}") % slots);
    }

    /// <summary>
    /// The instant offsets count from: the occurrence for a cron execution (the same wall-clock starts every time), the
    /// start of the execution for catch-ups, manual triggers and backfills, whose occurrence may lie long past.
    /// </summary>
    public static DateTimeOffset From(ScheduleExecution execution) =>
        execution.TriggerKind == TriggerKind.Scheduled ? execution.ScheduledFor : execution.StartedAt;
}
