using System.Globalization;
using System.Text;
using NCrontab;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Finds the next matching wall-clock time with NCrontab. NCrontab combines day-of-month and day-of-week with AND, so the
/// OR rule (both fields restricted) is the union of two NCrontab schedules: one by day-of-month, one by day-of-week.
/// </summary>
internal sealed class WallClockMatcher
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    private readonly CrontabSchedule _primary;
    private readonly CrontabSchedule? _secondary;

    public WallClockMatcher(CronFields fields, CronDayMatching dayMatching)
    {
        var useUnion = dayMatching == CronDayMatching.Either && !fields.DayOfMonthUnrestricted && !fields.DayOfWeekUnrestricted;
        if (useUnion)
        {
            _primary = Build(fields, fields.DaysOfMonth, null);
            _secondary = Build(fields, null, fields.DaysOfWeek);
        }
        else
        {
            _primary = Build(fields, fields.DaysOfMonth, fields.DaysOfWeek);
        }
    }

    /// <summary>The first matching wall time strictly after <paramref name="after"/> and before <paramref name="before"/>, or null.</summary>
    public DateTime? Next(DateTime after, DateTime before)
    {
        if (after >= before)
        {
            return null;
        }

        // NCrontab answers "before" when nothing matches earlier: "before" is exclusive here, so that is "none".
        var next = _primary.GetNextOccurrence(after, before);
        if (_secondary is not null)
        {
            var other = _secondary.GetNextOccurrence(after, next);
            if (other < next)
            {
                next = other;
            }
        }

        return next < before ? next : null;
    }

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
}
