using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Time zones resolved by id for the parser: <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/> costs about 50 ns for a
/// named zone (its lock and case-insensitive lookup), more than the rest of a parse.
/// <para>
/// Transparent: it holds the very instances .NET's own cache hands out (and answers "UTC" with <see cref="TimeZoneInfo.Utc"/>,
/// which is what .NET answers), and forgets them when that cache is cleared.
/// <see cref="TimeZoneInfo.ClearCachedData"/> replaces every cached zone, <see cref="TimeZoneInfo.Local"/> included, so a new
/// <c>Local</c> instance means the map is stale; after a clear, parses get the new instances, as with a direct lookup.
/// Schedules parsed before the clear keep the zone they were parsed with, as they always did.
/// </para>
/// <para>
/// Bounded: only ids that resolve are kept, at most <see cref="MaxEntries"/> distinct spellings (each system zone once, plus
/// case and white-space variants); past that, lookups go to .NET directly, so untrusted ids cannot grow it.
/// </para>
/// </summary>
internal static class TimeZoneCache
{
    private static Generation s_current = new(TimeZoneInfo.Local);

    /// <summary>The most ids kept.</summary>
    internal const int MaxEntries = 2048;

    /// <summary>The ids kept now (tests check the bound).</summary>
    internal static int Count => Volatile.Read(ref s_current).Zones.Count;

    /// <summary>Whether <paramref name="id"/> is kept now (tests check that failures are not).</summary>
    internal static bool Contains(string id) => Volatile.Read(ref s_current).Zones.ContainsKey(id);

    /// <summary>Resolves a zone id as <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/> does.</summary>
    public static bool TryFind(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        if (TryGetCached(id, out zone))
        {
            return true;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            return false;
        }

        var zones = Current().Zones;
        if (zones.Count < MaxEntries)
        {
            zones.TryAdd(id, zone);
        }

        return true;
    }

    /// <summary>The zone <paramref name="id"/> resolved to before, if it is kept; never a lookup of its own.</summary>
    public static bool TryGetCached(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        // "UTC" is .NET's one fixed instance, the same before and after a clear: no map needed.
        if (id == "UTC")
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return Current().Zones.TryGetValue(id, out zone);
    }

    /// <summary>
    /// A token that changes when .NET's zone cache is cleared: what was resolved under another token holds zone instances
    /// .NET no longer hands out (<see cref="ParsedScheduleCache"/> forgets its schedules then).
    /// </summary>
    public static object Epoch => Current();

    private static Generation Current()
    {
        var generation = Volatile.Read(ref s_current);
        var local = TimeZoneInfo.Local;
        if (!ReferenceEquals(generation.Local, local))
        {
            // A clear between these reads and a lookup at worst stores a new instance in a generation about to go.
            generation = new Generation(local);
            Volatile.Write(ref s_current, generation);
        }

        return generation;
    }

    /// <summary>The zones resolved since .NET's zone cache was last cleared (recognised by its <c>Local</c> instance).</summary>
    private sealed class Generation(TimeZoneInfo local)
    {
        public TimeZoneInfo Local { get; } = local;

        public ConcurrentDictionary<string, TimeZoneInfo> Zones { get; } = new(StringComparer.Ordinal);
    }
}
