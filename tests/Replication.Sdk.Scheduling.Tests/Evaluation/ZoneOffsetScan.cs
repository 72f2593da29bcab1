using System.Collections.Concurrent;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// A zone's UTC offsets read by brute force, for the fuzz test's oracle: <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/>
/// probed at a fixed step over a span, each change bisected to the second. It uses neither the zone's adjustment rules
/// nor anything of the evaluator, so it is an independent reading of the same offsets.
/// </summary>
internal sealed class ZoneOffsetScan
{
    private static readonly ConcurrentDictionary<string, long[]> TransitionsByZone = new();
    private readonly List<(long FromTicks, long Offset)> _pieces = [];

    /// <summary>Reads <paramref name="zone"/>'s offsets from <paramref name="fromTicks"/> to <paramref name="toTicks"/> (UTC ticks, within the calendar).</summary>
    public ZoneOffsetScan(TimeZoneInfo zone, long fromTicks, long toTicks)
    {
        var current = Offset(zone, fromTicks);
        _pieces.Add((fromTicks, current));
        foreach (var change in Changes(zone, fromTicks, toTicks, TimeSpan.TicksPerHour))
        {
            _pieces.Add((change, Offset(zone, change)));
        }
    }

    /// <summary>Gets the instants (UTC ticks) at which the offset changes within the scanned span; not always on a whole minute.</summary>
    public IEnumerable<long> ChangeInstants => _pieces.Skip(1).Select(p => p.FromTicks);

    /// <summary>The offset in ticks at <paramref name="utcTicks"/>, which lies in the scanned span.</summary>
    public long OffsetAt(long utcTicks)
    {
        var offset = _pieces[0].Offset;
        foreach (var (from, value) in _pieces)
        {
            if (from > utcTicks)
            {
                break;
            }

            offset = value;
        }

        return offset;
    }

    /// <summary>The zone's changes from 1970 to 2040, found with weekly probes (enough to aim test instants at them).</summary>
    public static long[] Transitions1970To2040(TimeZoneInfo zone) =>
        TransitionsByZone.GetOrAdd(zone.Id, _ => [.. Changes(zone, new DateTime(1970, 1, 1).Ticks, new DateTime(2041, 1, 1).Ticks, TimeSpan.TicksPerDay * 7)]);

    private static long Offset(TimeZoneInfo zone, long utcTicks) => zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    /// <summary>The first second of each new offset in (from, to], probing every <paramref name="step"/> ticks.</summary>
    private static IEnumerable<long> Changes(TimeZoneInfo zone, long from, long to, long step)
    {
        var low = from;
        var lowOffset = Offset(zone, low);
        while (low < to)
        {
            var high = Math.Min(low + step, to);
            var highOffset = Offset(zone, high);
            if (highOffset != lowOffset)
            {
                var (a, b) = (low, high);
                while (b - a > TimeSpan.TicksPerSecond)
                {
                    var mid = a + ((b - a) / TimeSpan.TicksPerSecond / 2 * TimeSpan.TicksPerSecond);
                    (a, b) = Offset(zone, mid) == lowOffset ? (mid, b) : (a, mid);
                }

                yield return b;
            }

            (low, lowOffset) = (high, highOffset);
        }
    }
}
