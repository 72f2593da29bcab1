namespace Replication.Sdk.Scheduling;

/// <summary>
/// A cron schedule evaluated in a time zone with the DST rules of Vixie cron and Cronos, applied to every change of the
/// zone's UTC offset whatever its cause (DST, a new standard offset, a zone moving to another offset):
/// <list type="bullet">
/// <item>a local time skipped by a forward change (a gap) fires once, at the first instant after the gap;</item>
/// <item>in a backward change (an overlap) a fixed-time expression fires once (first pass) and an interval expression fires in both passes;</item>
/// <item>occurrences are whole seconds, strictly after the instant asked about, so successive occurrences strictly increase.</item>
/// </list>
/// The search covers the whole calendar: null means the schedule never fires again before the end of year 9999.
/// </summary>
internal sealed class CronSchedule : ISchedule
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long MaxTicks = 3155378975999999999; // DateTime.MaxValue.Ticks, as a constant for long arithmetic

    /// <summary>Walls this far before a candidate may still be reached later; offsets stay within ±16 h (old local mean times).</summary>
    private const long JumpMargin = TimeSpan.TicksPerDay;

    /// <summary>
    /// Bounds the steps of one search. A step passes a change of offset or jumps to the next wall-clock match, so a search
    /// over the whole calendar takes a few per year at most; the bound only guards against a defect looping forever.
    /// </summary>
    private const int MaxSteps = 200_000;

    /// <summary>
    /// The fields and the search, inline: a parse allocates this one object of 64 B (header, two references, 32 B of
    /// fields). What a search caches lives elsewhere: the spans of constant offset with the zone's transitions, shared by
    /// the zone's schedules, and the NCrontab schedules a few searches need with the matcher, by this schedule.
    /// </summary>
    private readonly WallClockMatcher _matcher;

    /// <summary>The zone's shared transitions; they hold the zone.</summary>
    private readonly ZoneTransitions _transitions;

    public CronSchedule(string expression, ZoneTransitions transitions, CronFields fields, CronDayMatching dayMatching)
    {
        Expression = expression;
        _transitions = transitions;
        _matcher = new WallClockMatcher(fields, dayMatching);
    }

    public string Expression { get; }

    public TimeZoneInfo TimeZone => _transitions.Zone;

    internal CronFields Fields => _matcher.Fields;

    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        // Occurrences are whole seconds, so the first candidate is the next whole second after `after`.
        var from = after.UtcTicks - (after.UtcTicks % TicksPerSecond) + TicksPerSecond;
        for (var step = 0; step < MaxSteps && from <= MaxTicks; step++)
        {
            var interval = _transitions.IntervalAt(from);
            var offset = interval.Offset.Ticks;
            var lowWall = from + offset;
            if (_matcher.Fields.IsFixedTime && interval.PreviousOffset > interval.Offset)
            {
                // The second pass of an overlap: a fixed time fired in the first pass, so the repeated wall times are skipped.
                lowWall = Math.Max(lowWall, interval.StartTicks + interval.PreviousOffset.Ticks);
            }

            var endWall = interval.EndTicks + offset;
            var candidate = _matcher.NextAtOrAfter(lowWall, this);
            if (candidate is { } c && c.Ticks < endWall)
            {
                if (c.Ticks - offset > MaxTicks)
                {
                    return null;
                }

                var result = new DateTimeOffset(c, interval.Offset);
                if (Holds(after, result, isGapShift: false))
                {
                    return result;
                }

                from = result.UtcTicks + TicksPerSecond;
                continue;
            }

            var nextOffset = interval.NextOffset.Ticks;
            if (nextOffset > offset && candidate is { } skipped && skipped.Ticks < interval.EndTicks + nextOffset)
            {
                // Skipped by a forward change: fire once, at the first instant after the gap.
                var gapEnd = interval.EndTicks + nextOffset;
                if (gapEnd > MaxTicks || interval.EndTicks > MaxTicks)
                {
                    return null;
                }

                var result = new DateTimeOffset(new DateTime(gapEnd), interval.NextOffset);
                if (Holds(after, result, isGapShift: true))
                {
                    return result;
                }

                from = result.UtcTicks + TicksPerSecond;
                continue;
            }

            if (nextOffset < offset)
            {
                // A backward change ahead repeats wall times already searched; an interval expression may fire in them again.
                from = interval.EndTicks;
            }
            else if (candidate is { } later)
            {
                // Nothing matches before `later` in wall time: continue where the wall clock comes near it.
                from = Math.Max(interval.EndTicks, later.Ticks - JumpMargin);
            }
            else
            {
                return null;
            }
        }

        return null;
    }

    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until)
    {
        var current = after;

        // Every occurrence is strictly after the previous one (enforced by Holds), so this loop always makes progress.
        while (GetNextOccurrence(current) is { } next && next <= until)
        {
            yield return next;
            current = next;
        }
    }

    public override string ToString() => $"{Expression} ({TimeZone.Id})";

    /// <summary>
    /// The guarantees, checked on every result: strictly after <paramref name="after"/>, and a wall time the expression
    /// matches unless it is the documented gap shift (here its time of day; its day is checked where it is found, in
    /// <see cref="WallClockMatcher"/>, where it costs nothing extra). A result that failed them would be a defect; the
    /// search then goes on past it rather than return it (and only <see cref="ScheduleFormatException"/> ever escapes).
    /// </summary>
    private bool Holds(DateTimeOffset after, DateTimeOffset result, bool isGapShift) =>
        result.UtcTicks > after.UtcTicks && (isGapShift || _matcher.Fields.MatchesTimeOfDay(result.Ticks));
}
