using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using NCrontab;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Finds the next matching wall-clock time with NCrontab. NCrontab combines day-of-month and day-of-week with AND, so the
/// OR rule (both fields restricted) is the union of two NCrontab schedules: one by day-of-month, one by day-of-week.
/// A later time on the same matching day, or the first time of the next day when that day matches (the common cases of
/// interval, hourly and daily expressions), is found first from the parsed fields' bit sets: NCrontab's field-by-field
/// search costs more than the whole answer there. Longer searches (weekly, monthly, yearly) stay with NCrontab.
/// A struct of plain bits held inline by its schedule (a parse allocates one object); the NCrontab schedules it builds
/// lazily are kept by its owner (the schedule) in a weak table, not in the struct or the schedule: a reference inside the
/// struct would make every copy of it (one per parse) go through the GC's write barrier helpers, and a slot in the
/// schedule would cost every parse 8 B for what most schedules never build.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct WallClockMatcher
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    /// <summary>The NCrontab schedules built for each owner, kept as long as the owner lives.</summary>
    private static readonly ConditionalWeakTable<object, Searchers> Built = [];

    /// <summary>The fields, with the day rule folded in.</summary>
    private readonly CronFields _fields;

    public WallClockMatcher(CronFields fields, CronDayMatching dayMatching)
    {
        _fields = fields.WithDayMatching(dayMatching);
    }

    /// <summary>The parsed fields, with the day rule folded in.</summary>
    public CronFields Fields => _fields;

    /// <summary>The first matching wall time at or after <paramref name="wallTicks"/> (a whole second; may lie outside the calendar), or null before the calendar's end.</summary>
    /// <param name="wallTicks">Wall-clock ticks.</param>
    /// <param name="owner">The object the NCrontab schedules are kept for (see <see cref="Next"/>).</param>
    public DateTime? NextAtOrAfter(long wallTicks, object owner)
    {
        if (wallTicks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        if (wallTicks <= 0)
        {
            // The calendar's first second has no second before it to search after.
            return _fields.Matches(DateTime.MinValue) ? DateTime.MinValue : Next(DateTime.MinValue, DateTime.MaxValue, owner);
        }

        return Next(new DateTime(wallTicks - TimeSpan.TicksPerSecond), DateTime.MaxValue, owner);
    }

    /// <summary>The first matching wall time strictly after <paramref name="after"/> and before <paramref name="before"/>, or null.</summary>
    /// <param name="after">The exclusive lower bound.</param>
    /// <param name="before">The exclusive upper bound.</param>
    /// <param name="owner">
    /// The object the NCrontab schedules are kept for (one per matcher: its schedule), built on the first search the bit
    /// sets cannot answer: most schedules never need them, and building them (re-expressing the fields as NCrontab text)
    /// would be most of a parse's cost.
    /// </param>
    public DateTime? Next(DateTime after, DateTime before, object owner)
    {
        if (after >= before)
        {
            return null;
        }

        if ((LaterTheSameDay(after) ?? FirstTheNextDay(after)) is { } soon)
        {
            return soon < before ? soon : null;
        }

        // NCrontab answers "before" when nothing matches earlier: "before" is exclusive here, so that is "none".
        // Built at most once per thread race; the schedules are immutable, so a duplicate is merely discarded.
        if (!Built.TryGetValue(owner, out var built))
        {
            built = BuildSearchers();
            Built.TryAdd(owner, built);
        }

        var next = Search(built.Primary, after, before);
        if (built.Secondary is not null)
        {
            var other = Search(built.Secondary, after, next);
            if (other < next)
            {
                next = other;
            }
        }

        // NCrontab's answer is checked like the bit sets' (which test the day they answer for): a mismatch would be a
        // defect, and the search goes on past it rather than return it.
        return next >= before ? null : _fields.Matches(next) ? next : Next(next, before, owner);
    }

    /// <summary>NCrontab's search; past the calendar's last year it would build an unrepresentable date, which means "none".</summary>
    private static DateTime Search(CrontabSchedule schedule, DateTime after, DateTime before)
    {
        try
        {
            return schedule.GetNextOccurrence(after, before);
        }
        catch (ArgumentOutOfRangeException)
        {
            return before;
        }
    }

    /// <summary>The first matching time after <paramref name="after"/>'s whole second on the same day, when that day matches.</summary>
    private DateTime? LaterTheSameDay(DateTime after)
    {
        var f = _fields;

        // The time of day first, from the ticks: the calendar computation of the day test is paid only when a later time exists.
        var ticks = after.Ticks;
        var (hour, minute, secondNow) = ((int)(ticks / TimeSpan.TicksPerHour % 24), (int)(ticks / TimeSpan.TicksPerMinute % 60), (int)(ticks / TimeSpan.TicksPerSecond % 60));
        int next;
        DateTime? later;
        if (CronFields.Has(f.Hours, hour) && CronFields.Has(f.Minutes, minute) && (next = NextBit(f.Seconds, secondNow + 1)) >= 0)
        {
            later = At(after, hour, minute, next);
        }
        else if (CronFields.Has(f.Hours, hour) && (next = NextBit(f.Minutes, minute + 1)) >= 0)
        {
            later = At(after, hour, next, NextBit(f.Seconds, 0));
        }
        else
        {
            later = (next = NextBit(f.Hours, hour + 1)) >= 0 ? At(after, next, NextBit(f.Minutes, 0), NextBit(f.Seconds, 0)) : null;
        }

        return later is not null && f.MatchesDay(after) ? later : null;
    }

    /// <summary>The day's first matching time on the day after <paramref name="after"/>, when that day matches (daily and hourly schedules).</summary>
    private DateTime? FirstTheNextDay(DateTime after)
    {
        var nextDay = ((after.Ticks / TimeSpan.TicksPerDay) + 1) * TimeSpan.TicksPerDay;
        if (nextDay > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        var next = new DateTime(nextDay, after.Kind);
        return _fields.MatchesDay(next) ? At(next, NextBit(_fields.Hours, 0), NextBit(_fields.Minutes, 0), NextBit(_fields.Seconds, 0)) : null;
    }

    /// <summary>The lowest set bit at or above <paramref name="from"/>, or -1 (fields hold values below 60).</summary>
    private static int NextBit(ulong bits, int from) =>
        from >= 64 || (bits >> from) == 0 ? -1 : from + System.Numerics.BitOperations.TrailingZeroCount(bits >> from);

    private static DateTime At(DateTime day, int hour, int minute, int second) =>
        new(day.Ticks - (day.Ticks % TimeSpan.TicksPerDay) + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond), day.Kind);

    private Searchers BuildSearchers() => _fields.IsEitherDay
        ? new Searchers(Build(_fields, _fields.DaysOfMonth, null), Build(_fields, null, _fields.DaysOfWeek))
        : new Searchers(Build(_fields, _fields.DaysOfMonth, _fields.DaysOfWeek), null);

    private static CrontabSchedule Build(CronFields f, ulong? daysOfMonth, ulong? daysOfWeek)
    {
        var text = new StringBuilder();
        Append(text, f.Seconds, 0, 59).Append(' ');
        Append(text, f.Minutes, 0, 59).Append(' ');
        Append(text, f.Hours, 0, 23).Append(' ');
        Append(text, daysOfMonth, 1, 31).Append(' ');
        Append(text, f.Months, 1, 12).Append(' ');
        Append(text, daysOfWeek, 0, 6);
        return CrontabSchedule.Parse(text.ToString(), WithSeconds);
    }

    private static StringBuilder Append(StringBuilder text, ulong? bits, int min, int max)
    {
        var all = true;
        var values = new List<int>();
        for (var v = min; v <= max; v++)
        {
            if (bits is null || CronFields.Has(bits.Value, v))
            {
                values.Add(v);
            }
            else
            {
                all = false;
            }
        }

        return all ? text.Append('*') : text.AppendJoin(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The OR rule is the union of a day-of-month and a day-of-week schedule; otherwise one schedule does.</summary>
    internal sealed record Searchers(CrontabSchedule Primary, CrontabSchedule? Secondary);
}
