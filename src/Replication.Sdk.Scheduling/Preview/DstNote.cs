namespace Replication.Sdk.Scheduling;

/// <summary>
/// Reads an occurrence's relation to the zone's offset changes from the zone's real offsets (<see cref="ZoneTransitions"/>),
/// whatever their cause, as the evaluator's gap and overlap rules see them.
/// </summary>
internal static class DstNote
{
    public static OccurrenceDst Of(ISchedule schedule, DateTimeOffset at)
    {
        var utcTicks = at.UtcTicks;
        var span = ZoneTransitions.For(schedule.TimeZone).IntervalAt(utcTicks - (utcTicks % TimeSpan.TicksPerSecond));

        // The clock went back at the span's start: wall times in its first (previous - offset) were already lived once.
        if (span.PreviousOffset > span.Offset && utcTicks - span.StartTicks < (span.PreviousOffset - span.Offset).Ticks)
        {
            return OccurrenceDst.RepeatedSecondPass;
        }

        // The clock goes back at the span's end: wall times in its last (offset - next) come again.
        if (span.NextOffset < span.Offset && span.EndTicks - utcTicks <= (span.Offset - span.NextOffset).Ticks)
        {
            return OccurrenceDst.RepeatedFirstPass;
        }

        // The clock jumped forward at this very instant: the occurrence is the gap shift unless its wall time matches anyway
        // (03:00 on a 02:00→03:00 night is 03:00). Another evaluator's schedule cannot be asked, so it counts as shifted.
        if (utcTicks == span.StartTicks && span.PreviousOffset < span.Offset)
        {
            var wall = new DateTime(utcTicks + span.Offset.Ticks, DateTimeKind.Unspecified);
            return schedule is CronSchedule cron && cron.Fields.Matches(wall) ? OccurrenceDst.None : OccurrenceDst.Shifted;
        }

        return OccurrenceDst.None;
    }
}
