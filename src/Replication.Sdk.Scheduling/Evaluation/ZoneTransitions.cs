using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The instants at which a zone's UTC offset changes, whatever the cause (DST, a new standard offset, a zone moving to
/// another offset), read from <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> itself: <c>IsInvalidTime</c> and
/// <c>IsAmbiguousTime</c> only see DST, so they miss the other kinds. The zone's offset can only change at an adjustment
/// rule's boundary or at one of a rule's yearly DST transitions, so only a few days around those are probed (hourly, then
/// a binary search to the second). Computed per UTC year on demand and shared by every schedule of the zone, and so are
/// the spans of constant offset built from them: a schedule holds no span cache of its own (a parse allocates less), and
/// a search allocates nothing once the zone has seen the year.
/// </summary>
internal sealed class ZoneTransitions
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long MaxTicks = 3155378975999999999; // DateTime.MaxValue.Ticks, as a constant for long arithmetic
    private const long EndOfCalendar = MaxTicks + 1;

    /// <summary>Probes this far either side of a candidate day: its date may be local or UTC, and offsets reach ±16 h.</summary>
    private static readonly long ProbeMargin = TimeSpan.FromDays(2).Ticks;

    private static readonly ConditionalWeakTable<TimeZoneInfo, ZoneTransitions> Cache = [];

    private readonly TimeZoneInfo _zone;
    private readonly TimeZoneInfo.AdjustmentRule[] _rules;
    private readonly ConcurrentDictionary<int, Transition[]> _years = new();

    /// <summary>Each UTC year's spans, built on its first look-up (see <see cref="YearSpans"/>).</summary>
    private readonly ConcurrentDictionary<int, ZoneInterval[]> _yearSpans = new();

    /// <summary>The one span of a zone without rules.</summary>
    private ZoneInterval? _always;

    /// <summary>The spans last looked up, each replaced whole (never mutated), so that readers on any thread see a complete span.</summary>
    private RecentIntervals _recent;

    /// <summary>The slot the next computed span replaces (a race only replaces another slot).</summary>
    private int _nextSlot;

    private ZoneTransitions(TimeZoneInfo zone)
    {
        _zone = zone;
        _rules = zone.GetAdjustmentRules();
    }

    /// <summary>The zone whose transitions these are.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>The shared transitions of <paramref name="zone"/>.</summary>
    public static ZoneTransitions For(TimeZoneInfo zone) => Cache.GetValue(zone, static z => new ZoneTransitions(z));

    /// <summary>
    /// The span of constant offset that contains <paramref name="utcTicks"/> (a whole second), with the offsets either side.
    /// A span may end at a year boundary with no change there (its next offset then equals its own).
    /// </summary>
    public ZoneInterval IntervalAt(long utcTicks)
    {
        // Searches ask about the same few spans over and over (the current one, the one before a change of offset), so
        // the last few are kept in front: a hit costs a few comparisons, a miss a look-up in the year's spans.
        for (var i = 0; i < RecentIntervals.Length; i++)
        {
            var recent = Volatile.Read(ref _recent[i]);
            if (recent is not null && recent.Contains(utcTicks))
            {
                return recent;
            }
        }

        var interval = Find(utcTicks);
        Volatile.Write(ref _recent[(int)((uint)_nextSlot++ % RecentIntervals.Length)], interval);
        return interval;
    }

    /// <summary>
    /// The span from its year's spans, each built once and kept (as the year's transitions are): so no search allocates
    /// once it has seen a year, however many threads and instants share the recent spans in front.
    /// </summary>
    private ZoneInterval Find(long utcTicks)
    {
        if (_rules.Length == 0)
        {
            // Without rules the offset never changes: one span covers the calendar.
            return Volatile.Read(ref _always) ?? Interlocked.CompareExchange(ref _always, ComputeIntervalAt(utcTicks), null) ?? _always;
        }

        var year = new DateTime(utcTicks, DateTimeKind.Utc).Year;
        var spans = _yearSpans.TryGetValue(year, out var found) ? found : _yearSpans.GetOrAdd(year, YearSpans(year));
        var span = spans[0];
        for (var i = 1; i < spans.Length && spans[i].StartTicks <= utcTicks; i++)
        {
            span = spans[i];
        }

        return span;
    }

    /// <summary>
    /// The spans an instant of <paramref name="year"/> can fall in, in order: the one at the year's start, then one from
    /// each of its changes (every instant from a change to the next gets the span of that change).
    /// </summary>
    private ZoneInterval[] YearSpans(int year)
    {
        var changes = YearTransitions(year);
        var spans = new ZoneInterval[changes.Length + 1];
        spans[0] = ComputeIntervalAt(new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks);
        for (var i = 0; i < changes.Length; i++)
        {
            spans[i + 1] = ComputeIntervalAt(changes[i].UtcTicks);
        }

        return spans;
    }

    private ZoneInterval ComputeIntervalAt(long utcTicks)
    {
        var offset = OffsetAt(utcTicks);
        if (_rules.Length == 0)
        {
            // Without rules the offset never changes.
            return new ZoneInterval(0, EndOfCalendar, offset, offset, offset);
        }

        var year = new DateTime(utcTicks, DateTimeKind.Utc).Year;
        var start = 0L;
        var previous = offset;
        for (var y = year; y >= Math.Max(1, year - 1) && start == 0; y--)
        {
            foreach (var t in YearTransitions(y))
            {
                if (t.UtcTicks <= utcTicks)
                {
                    (start, previous) = (t.UtcTicks, t.Before);
                }
            }
        }

        if (start == 0 && year > 1)
        {
            // No change since the start of last year: for the rules that matters only within hours of a change.
            start = new DateTime(year - 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        }

        for (var y = year; y <= Math.Min(9999, year + 1); y++)
        {
            foreach (var t in YearTransitions(y))
            {
                if (t.UtcTicks > utcTicks)
                {
                    return new ZoneInterval(start, t.UtcTicks, previous, offset, t.After);
                }
            }
        }

        var end = year + 2 > 9999 ? EndOfCalendar : new DateTime(year + 2, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        return new ZoneInterval(start, end, previous, offset, offset);
    }

    private TimeSpan OffsetAt(long utcTicks) => _zone.GetUtcOffset(new DateTime(Math.Clamp(utcTicks, 0, MaxTicks), DateTimeKind.Utc));

    /// <summary>A year's changes; looked up before adding, because a method group passed to GetOrAdd allocates a delegate per call.</summary>
    private Transition[] YearTransitions(int year) => _years.TryGetValue(year, out var found) ? found : _years.GetOrAdd(year, Find(year));

    private Transition[] Find(int year)
    {
        var yearStart = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var yearEnd = year == 9999 ? EndOfCalendar : new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var windows = new List<(long From, long To)>();
        foreach (var rule in _rules)
        {
            if (rule.DateEnd.Ticks + ProbeMargin < yearStart || rule.DateStart.Ticks - ProbeMargin >= yearEnd)
            {
                continue;
            }

            AddWindow(windows, rule.DateStart.Ticks, yearStart, yearEnd);
            AddWindow(windows, rule.DateEnd.Ticks, yearStart, yearEnd);
            AddWindow(windows, rule.DateEnd.Ticks + TimeSpan.TicksPerDay, yearStart, yearEnd);
            if (rule.DaylightDelta != TimeSpan.Zero)
            {
                // A recurring DST rule changes the offset on its transition days, and its year may wrap at 1 January.
                for (var y = Math.Max(1, year - 1); y <= Math.Min(9999, year + 1); y++)
                {
                    AddWindow(windows, TransitionDay(rule.DaylightTransitionStart, y), yearStart, yearEnd);
                    AddWindow(windows, TransitionDay(rule.DaylightTransitionEnd, y), yearStart, yearEnd);
                    AddWindow(windows, new DateTime(y, 1, 1).Ticks, yearStart, yearEnd);
                }
            }
        }

        var found = new SortedDictionary<long, Transition>();
        foreach (var (from, to) in windows)
        {
            Probe(from, to, found);
        }

        return [.. found.Values];
    }

    private static void AddWindow(List<(long From, long To)> windows, long dayTicks, long yearStart, long yearEnd)
    {
        var from = Math.Max(yearStart, dayTicks - ProbeMargin);
        var to = Math.Min(yearEnd, dayTicks + ProbeMargin);
        if (from < to)
        {
            windows.Add((from, to));
        }
    }

    /// <summary>Every change in [from, to): probes an hour apart (no zone changes twice within an hour), then bisects each change.</summary>
    private void Probe(long from, long to, SortedDictionary<long, Transition> found)
    {
        // Start one second early so a change exactly at `from` is seen too.
        var low = Math.Max(0, from - TicksPerSecond);
        var lowOffset = OffsetAt(low);
        while (low < to)
        {
            var high = Math.Min(low + TimeSpan.TicksPerHour, Math.Min(to, MaxTicks - (MaxTicks % TicksPerSecond)));
            if (high <= low)
            {
                return;
            }

            var highOffset = OffsetAt(high);
            if (highOffset != lowOffset)
            {
                // The first second with the new offset lies in (low, high].
                var (a, b) = (low, high);
                while (b - a > TicksPerSecond)
                {
                    var mid = a + ((b - a) / TicksPerSecond / 2 * TicksPerSecond);
                    if (OffsetAt(mid) == lowOffset)
                    {
                        a = mid;
                    }
                    else
                    {
                        b = mid;
                    }
                }

                if (b >= from && b < to)
                {
                    found[b] = new Transition(b, OffsetAt(b - TicksPerSecond), OffsetAt(b));
                }
            }

            (low, lowOffset) = (high, highOffset);
        }
    }

    /// <summary>The day in <paramref name="year"/> a DST transition falls on (fixed date, or the nth weekday of the month).</summary>
    private static long TransitionDay(TimeZoneInfo.TransitionTime time, int year)
    {
        var daysInMonth = DateTime.DaysInMonth(year, time.Month);
        if (time.IsFixedDateRule)
        {
            return new DateTime(year, time.Month, Math.Min(time.Day, daysInMonth)).Ticks;
        }

        var first = (int)new DateTime(year, time.Month, 1).DayOfWeek;
        var day = 1 + (((int)time.DayOfWeek - first + 7) % 7) + ((time.Week - 1) * 7);
        while (day > daysInMonth)
        {
            day -= 7;
        }

        return new DateTime(year, time.Month, day).Ticks;
    }

    private readonly record struct Transition(long UtcTicks, TimeSpan Before, TimeSpan After);

    /// <summary>Four spans: a search that crosses a change of offset needs two, and a few callers at other instants fit beside them.</summary>
    [InlineArray(Length)]
    private struct RecentIntervals
    {
        public const int Length = 4;

        private ZoneInterval? _first;
    }
}
