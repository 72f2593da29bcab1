using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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
/// Each id maps to the zone's shared <see cref="ZoneTransitions"/>, which a schedule holds (and reaches its zone through),
/// so that a parse needs no second lookup for them.
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

    /// <summary>UTC's transitions: "UTC" is .NET's one fixed instance, the same before and after a clear, so no map is needed.</summary>
    public static ZoneTransitions Utc { get; } = ZoneTransitions.For(TimeZoneInfo.Utc);

    /// <summary>Resolves a zone id as <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/> does.</summary>
    public static bool TryFind(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = TryFindTransitions(id, out var transitions) ? transitions.Zone : null;
        return zone is not null;
    }

    /// <summary>Resolves a zone id as <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/> does, to the zone's shared transitions.</summary>
    public static bool TryFindTransitions(string id, [NotNullWhen(true)] out ZoneTransitions? transitions)
    {
        if (TryGetCached(id, out transitions))
        {
            return true;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return false;
        }

        transitions = ZoneTransitions.For(zone);
        var generation = Current();
        if (generation.Zones.Count < MaxEntries && generation.Zones.TryAdd(id, transitions))
        {
            Remember(generation, id, transitions);
        }

        return true;
    }

    /// <summary>The transitions of the zone <paramref name="id"/> resolved to before, if it is kept; never a lookup of its own.</summary>
    public static bool TryGetCached(string id, [NotNullWhen(true)] out ZoneTransitions? transitions)
    {
        if (id == "UTC")
        {
            transitions = Utc;
            return true;
        }

        // A slot picked by a few of the id's characters answers the ids in use with one ordinal comparison; the map's
        // string hash over the whole id cost a parse more than the rest of the zone's resolution.
        var generation = Current();
        ref var slot = ref generation.Recent[RecentSlot(id)];
        var recent = Volatile.Read(ref slot);
        if (recent is not null && (ReferenceEquals(recent.Id, id) || recent.Id == id))   // == is ordinal, and inlined
        {
            transitions = recent.Transitions;
            return true;
        }

        if (!generation.Zones.TryGetValue(id, out transitions))
        {
            return false;
        }

        Remember(generation, id, transitions);
        return true;
    }

    /// <summary>
    /// Puts an id in its slot if the slot is free. A taken slot is kept: two ids of one slot in turn then go to the map
    /// (a comparison slower) rather than allocate a new entry on every parse.
    /// </summary>
    private static void Remember(Generation generation, string id, ZoneTransitions transitions)
    {
        ref var slot = ref generation.Recent[RecentSlot(id)];
        if (Volatile.Read(ref slot) is null)
        {
            Interlocked.CompareExchange(ref slot, new Resolved(id, transitions), null);
        }
    }

    /// <summary>The slot of <paramref name="id"/> in <see cref="Generation.Recent"/>: its length and two of its characters, mixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RecentSlot(string id) =>
        id.Length == 0 ? 0 : (int)(((uint)id.Length * 31) + ((uint)id[id.Length >> 1] * 7) + id[^1]) & (Generation.RecentSlots - 1);

    /// <summary>
    /// A token that changes when .NET's zone cache is cleared: what was resolved under another token holds zone instances
    /// .NET no longer hands out (<see cref="ParsedScheduleCache"/> forgets its schedules then).
    /// </summary>
    public static object Epoch => Current();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every parse; the renewal is out of line
    private static Generation Current()
    {
        var generation = Volatile.Read(ref s_current);
        var local = TimeZoneInfo.Local;
        return ReferenceEquals(generation.Local, local) ? generation : Renew(local);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Generation Renew(TimeZoneInfo local)
    {
        // A clear between these reads and a lookup at worst stores a new instance in a generation about to go.
        var generation = new Generation(local);
        Volatile.Write(ref s_current, generation);
        return generation;
    }

    /// <summary>The zones resolved since .NET's zone cache was last cleared (recognised by its <c>Local</c> instance).</summary>
    private sealed class Generation(TimeZoneInfo local)
    {
        public TimeZoneInfo Local { get; } = local;

        /// <summary>The size of <see cref="Recent"/>, a power of two.</summary>
        public const int RecentSlots = 64;

        public ConcurrentDictionary<string, ZoneTransitions> Zones { get; } = new(StringComparer.Ordinal);

        /// <summary>Ids of <see cref="Zones"/>, at most one per slot (the first one resolved).</summary>
        public Resolved?[] Recent { get; } = new Resolved?[RecentSlots];
    }

    /// <summary>An id and the transitions of the zone it resolved to.</summary>
    private sealed record Resolved(string Id, ZoneTransitions Transitions);
}
