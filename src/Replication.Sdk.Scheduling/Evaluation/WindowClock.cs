namespace Replication.Sdk.Scheduling;

/// <summary>
/// Where a <see cref="ReplicationWindow"/> opens and closes on the time line of a zone. The window is wall-clock hours, so
/// membership is read from the zone's offset at each instant (<see cref="ZoneTransitions"/>: every change of offset,
/// not only DST): on a spring-forward day the missing hour has no instants and so is never inside; on a fall-back day the
/// repeated hour is inside in both passes if its hour is allowed. Membership can only change at a local hour boundary or at
/// a change of offset, so a search steps from one of those to the next.
/// </summary>
internal static class WindowClock
{
    /// <summary>Two weeks of hour steps: a window allows some hour every week, and a gap can hide at most one of them.</summary>
    private const int MaxSteps = (15 * 24) + 64;

    /// <summary>The wall clock of <paramref name="zone"/> at <paramref name="instant"/>.</summary>
    public static DateTime WallClock(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var ticks = instant.UtcTicks;
        var offset = ZoneTransitions.For(zone).IntervalAt(ticks - (ticks % TimeSpan.TicksPerSecond)).Offset;
        return new DateTime(ticks + offset.Ticks, DateTimeKind.Unspecified);
    }

    /// <summary>Whether the window is open at <paramref name="instant"/>.</summary>
    public static bool IsOpen(ReplicationWindow window, TimeZoneInfo zone, DateTimeOffset instant) => window.Contains(WallClock(instant, zone));

    /// <summary>The first instant ≥ <paramref name="from"/> at which the window is open, or <see langword="null"/> if none within two weeks.</summary>
    public static DateTimeOffset? NextOpening(ReplicationWindow window, TimeZoneInfo zone, DateTimeOffset from) => NextWhere(window, zone, from, open: true);

    /// <summary>The first instant ≥ <paramref name="from"/> at which the window is closed, or <see langword="null"/> if it never closes (always open).</summary>
    public static DateTimeOffset? NextClosing(ReplicationWindow window, TimeZoneInfo zone, DateTimeOffset from) =>
        window.IsAlways ? null : NextWhere(window, zone, from, open: false);

    private static DateTimeOffset? NextWhere(ReplicationWindow window, TimeZoneInfo zone, DateTimeOffset from, bool open)
    {
        var transitions = ZoneTransitions.For(zone);
        var ticks = from.UtcTicks;
        for (var step = 0; step < MaxSteps; step++)
        {
            var interval = transitions.IntervalAt(ticks - (ticks % TimeSpan.TicksPerSecond));
            var local = ticks + interval.Offset.Ticks;
            if (window.Contains(new DateTime(local, DateTimeKind.Unspecified)) == open)
            {
                return new DateTimeOffset(ticks, TimeSpan.Zero);
            }

            // The next local hour boundary in this span of constant offset, or the span's end, whichever is first.
            var nextHour = ticks + (TimeSpan.TicksPerHour - (local % TimeSpan.TicksPerHour));
            ticks = Math.Min(nextHour, interval.EndTicks);
            if (ticks >= DateTimeOffset.MaxValue.UtcTicks)
            {
                return null;
            }
        }

        return null;
    }
}
