using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The schedules an evaluator parsed, by expression and zone id, handed out again for the same two strings: a schedule is
/// immutable and safe to share (its caches are whole-object swaps), and the scheduler parses the same few expressions for
/// every plan of every schedule (50,000 schedules at "0 2 * * *" become one object, and a re-plan costs a probe).
/// <para>
/// Transparent: the answer is the one a parse gives. Only expressions that parse are kept; entries made before
/// <see cref="TimeZoneInfo.ClearCachedData"/> are dropped with the zone instances they hold (see <see cref="TimeZoneCache.Epoch"/>).
/// Bounded: at most <see cref="MaxEntries"/> pairs; past that, parses are not kept, so untrusted input cannot grow it.
/// </para>
/// </summary>
internal sealed class ParsedScheduleCache
{
    /// <summary>The most (expression, zone id) pairs kept.</summary>
    internal const int MaxEntries = 8192;

    private Entries _entries = new(TimeZoneCache.Epoch);

    /// <summary>The pairs kept now (tests check the bound).</summary>
    internal int Count => Volatile.Read(ref _entries).Schedules.Count;

    public bool TryGet(string expression, string timeZoneId, [NotNullWhen(true)] out CronSchedule? schedule)
    {
        var entries = Volatile.Read(ref _entries);
        if (!ReferenceEquals(entries.Epoch, TimeZoneCache.Epoch))
        {
            schedule = null;
            return false;
        }

        return entries.Schedules.TryGetValue((expression, timeZoneId), out schedule);
    }

    public void Add(string expression, string timeZoneId, CronSchedule schedule)
    {
        var entries = Volatile.Read(ref _entries);
        var epoch = TimeZoneCache.Epoch;
        if (!ReferenceEquals(entries.Epoch, epoch))
        {
            // A clear between the parse and here at worst keeps one schedule with the old zone until the next clear check.
            entries = new Entries(epoch);
            Volatile.Write(ref _entries, entries);
        }

        if (entries.Schedules.Count < MaxEntries)
        {
            entries.Schedules.TryAdd((expression, timeZoneId), schedule);
        }
    }

    private sealed class Entries(object epoch)
    {
        public object Epoch { get; } = epoch;

        public ConcurrentDictionary<(string Expression, string ZoneId), CronSchedule> Schedules { get; } = new();
    }
}
