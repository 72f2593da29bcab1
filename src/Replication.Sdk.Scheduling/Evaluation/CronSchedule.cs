namespace Replication.Sdk.Scheduling;

/// <summary>
/// A cron schedule evaluated in a time zone with the DST rules of Vixie cron and Cronos:
/// <list type="bullet">
/// <item>a local time skipped by a spring-forward gap fires once, at the first valid instant after the gap;</item>
/// <item>in a fall-back overlap a fixed-time expression fires once (first pass) and an interval expression fires in both passes;</item>
/// <item>occurrences are whole seconds, strictly increasing, never repeated.</item>
/// </list>
/// </summary>
internal sealed class CronSchedule : ISchedule
{
    /// <summary>Bounds the search so an expression that can never fire (30 February) answers null at once.</summary>
    private static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(366 * 100);

    /// <summary>No zone has an offset beyond ±14 h; a gap's transition lies within this distance of its wall time.</summary>
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    /// <summary>How far before an instant the offset must be unchanged: more than any DST shift (at most 2 h in tzdata).</summary>
    private static readonly TimeSpan SegmentLookBehind = TimeSpan.FromHours(3);

    /// <summary>How far ahead a fast-path segment reaches; real transitions are months apart.</summary>
    private static readonly TimeSpan SegmentLength = TimeSpan.FromDays(7);

    private readonly WallClockMatcher _matcher;
    private readonly bool _isFixedTime;
    private readonly bool _isUtc;

    /// <summary>The last span of constant offset, shared by threads (replaced whole, never mutated).</summary>
    private Segment? _segment;

    public CronSchedule(string expression, TimeZoneInfo timeZone, CronFields fields, CronDayMatching dayMatching)
    {
        Expression = expression;
        TimeZone = timeZone;
        Fields = fields;
        _isFixedTime = fields.IsFixedTime;
        _matcher = new WallClockMatcher(fields, dayMatching);
        _isUtc = timeZone.BaseUtcOffset == TimeSpan.Zero && !timeZone.SupportsDaylightSavingTime;
    }

    public string Expression { get; }

    public TimeZoneInfo TimeZone { get; }

    internal CronFields Fields { get; }

    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        // A whole-second occurrence is after `after` exactly when it is after `after` truncated to the second.
        var utc = new DateTime(after.UtcTicks - (after.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        if (utc >= DateTime.MaxValue - SearchHorizon - MaxOffset)
        {
            return null;
        }

        if (_isUtc)
        {
            var next = _matcher.Next(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified), utc + SearchHorizon);
            return next is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null;
        }

        return NextInZone(utc);
    }

    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until)
    {
        var current = after;
        while (GetNextOccurrence(current) is { } next && next <= until)
        {
            yield return next;
            current = next;
        }
    }

    public override string ToString() => $"{Expression} ({TimeZone.Id})";

    private DateTimeOffset? NextInZone(DateTime utc)
    {
        // Fast path: far from any transition, wall time is UTC plus one offset, and no wall time is skipped or repeated.
        var segment = Volatile.Read(ref _segment);
        if (segment is null || utc < segment.StartUtc || utc >= segment.EndUtc)
        {
            segment = SegmentAt(utc);
            Volatile.Write(ref _segment, segment);
        }

        if (segment is not null
            && _matcher.Next(DateTime.SpecifyKind(utc + segment.Offset, DateTimeKind.Unspecified), DateTime.SpecifyKind(segment.EndUtc + segment.Offset, DateTimeKind.Unspecified)) is { } wall)
        {
            return new DateTimeOffset(wall, segment.Offset);
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZone);

        if (TimeZone.IsAmbiguousTime(local))
        {
            var offset = TimeZone.GetUtcOffset(utc);
            var (daylight, standard, wallStart, wallEnd) = Overlap(local);
            if (offset == daylight)
            {
                // First pass: everything fires.
                if (_matcher.Next(local, wallEnd) is { } first)
                {
                    return new DateTimeOffset(first, daylight);
                }

                local = wallStart.AddSeconds(-1);
            }

            // Second pass: only interval expressions fire again; a fixed time already fired in the first pass.
            if (!_isFixedTime && _matcher.Next(local, wallEnd) is { } second)
            {
                return new DateTimeOffset(second, standard);
            }

            local = wallEnd.AddSeconds(-1);
        }

        if (_matcher.Next(local, local + SearchHorizon) is not { } next)
        {
            return null;
        }

        if (TimeZone.IsInvalidTime(next))
        {
            // Skipped by a spring-forward gap: fire once, at the first valid instant after it.
            var transition = GapEnd(next);
            return new DateTimeOffset(DateTime.SpecifyKind(transition, DateTimeKind.Unspecified), TimeSpan.Zero)
                .ToOffset(TimeZone.GetUtcOffset(transition));
        }

        if (TimeZone.IsAmbiguousTime(next))
        {
            return new DateTimeOffset(next, Overlap(next).Daylight);
        }

        return new DateTimeOffset(next, TimeZone.GetUtcOffset(next));
    }

    /// <summary>
    /// A span from <paramref name="utc"/> to 7 days later or to the next transition, whichever is first, with the offset of
    /// 3 hours before; null within 3 hours after a transition. In it no wall time is invalid and none is the second pass of
    /// an overlap, so results need no further zone lookups.
    /// </summary>
    private Segment? SegmentAt(DateTime utc)
    {
        var offset = TimeZone.GetUtcOffset(utc);
        var end = utc + SegmentLength;
        if (utc - SegmentLookBehind < DateTime.MinValue.AddDays(1) || end > DateTime.MaxValue.AddDays(-1)
            || TimeZone.GetUtcOffset(utc - SegmentLookBehind) != offset)
        {
            return null;
        }

        if (TimeZone.GetUtcOffset(end) != offset)
        {
            // A transition ahead: the segment ends at it. Wall times before a spring-forward are valid, and before a
            // fall-back they are the first pass, which is exactly what this offset maps them to.
            var low = utc;
            while (end - low > TimeSpan.FromSeconds(1))
            {
                var mid = low + TimeSpan.FromSeconds(Math.Floor((end - low).TotalSeconds / 2));
                if (TimeZone.GetUtcOffset(mid) == offset)
                {
                    low = mid;
                }
                else
                {
                    end = mid;
                }
            }
        }

        return new Segment(utc, end, offset);
    }

    /// <summary>The offsets of a fall-back overlap containing wall time <paramref name="wall"/>, and the overlap's wall-clock range [start, end).</summary>
    private (TimeSpan Daylight, TimeSpan Standard, DateTime WallStart, DateTime WallEnd) Overlap(DateTime wall)
    {
        var offsets = TimeZone.GetAmbiguousTimeOffsets(wall);
        var daylight = offsets.Max();
        var standard = offsets.Min();

        // The transition instant T is the first second whose offset is the standard one; T lies in (wall - daylight, wall - standard].
        var low = DateTime.SpecifyKind(wall - daylight, DateTimeKind.Utc);
        var high = DateTime.SpecifyKind(wall - standard, DateTimeKind.Utc);
        while (high - low > TimeSpan.FromSeconds(1))
        {
            var mid = low + TimeSpan.FromSeconds(Math.Floor((high - low).TotalSeconds / 2));
            if (TimeZone.GetUtcOffset(mid) == standard)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        var start = DateTime.SpecifyKind(high + standard, DateTimeKind.Unspecified);
        var end = DateTime.SpecifyKind(high + daylight, DateTimeKind.Unspecified);
        return (daylight, standard, start, end);
    }

    /// <summary>The UTC instant at which the wall clock jumps over <paramref name="invalidWall"/>.</summary>
    private DateTime GapEnd(DateTime invalidWall)
    {
        // The first second whose wall time is later than the skipped time; wall time only rises near a gap.
        var low = DateTime.SpecifyKind(invalidWall - MaxOffset - TimeSpan.FromSeconds(1), DateTimeKind.Utc);
        var high = DateTime.SpecifyKind(invalidWall + MaxOffset, DateTimeKind.Utc);
        while (high - low > TimeSpan.FromSeconds(1))
        {
            var mid = low + TimeSpan.FromSeconds(Math.Floor((high - low).TotalSeconds / 2));
            if (TimeZoneInfo.ConvertTimeFromUtc(mid, TimeZone) > invalidWall)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    private sealed record Segment(DateTime StartUtc, DateTime EndUtc, TimeSpan Offset);
}
