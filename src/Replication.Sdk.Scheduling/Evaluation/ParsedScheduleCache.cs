using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;

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
/// <para>
/// Keyed by the expression, each with the few zones it was parsed in: one hash of one short string, with a seeded
/// multiply-rotate hash (the default string hash, randomized Marvin, costs as much as a parse). The seed is drawn per
/// process, and the bound caps what colliding keys could cost.
/// </para>
/// </summary>
internal sealed class ParsedScheduleCache
{
    /// <summary>The most (expression, zone id) pairs kept.</summary>
    internal const int MaxEntries = 8192;

    private Entries _entries = new(TimeZoneCache.Epoch);

    /// <summary>The pairs kept now (tests check the bound).</summary>
    internal int Count => Volatile.Read(ref Volatile.Read(ref _entries).Count);

    public bool TryGet(string expression, string timeZoneId, [NotNullWhen(true)] out CronSchedule? schedule)
    {
        var entries = Volatile.Read(ref _entries);
        if (ReferenceEquals(entries.Epoch, TimeZoneCache.Epoch) && entries.Schedules.TryGetValue(expression, out var zones))
        {
            foreach (var (zoneId, parsed) in zones)
            {
                if (string.Equals(zoneId, timeZoneId, StringComparison.Ordinal))
                {
                    schedule = parsed;
                    return true;
                }
            }
        }

        schedule = null;
        return false;
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

        // Adds are rare (the first parse of each pair) and take a lock; reads never do.
        lock (entries)
        {
            if (entries.Count >= MaxEntries)
            {
                return;
            }

            var zones = entries.Schedules.TryGetValue(expression, out var known) ? known : [];
            if (Array.Exists(zones, z => string.Equals(z.ZoneId, timeZoneId, StringComparison.Ordinal)))
            {
                return; // another thread kept it first
            }

            entries.Schedules[expression] = [.. zones, (timeZoneId, schedule)];
            entries.Count++;
        }
    }

    private sealed class Entries(object epoch)
    {
        /// <summary>The pairs kept, written under the lock on this object.</summary>
        public int Count;

        public object Epoch { get; } = epoch;

        public ConcurrentDictionary<string, (string ZoneId, CronSchedule Schedule)[]> Schedules { get; } = new(SeededOrdinal.Instance);
    }

    /// <summary>Ordinal string equality with a seeded multiply-rotate hash over the string's bytes, 8 at a time.</summary>
    private sealed class SeededOrdinal : IEqualityComparer<string>
    {
        public static readonly SeededOrdinal Instance = new();

        private const ulong Prime = 0x9E3779B97F4A7C15;
        private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string text)
        {
            var bytes = MemoryMarshal.AsBytes(text.AsSpan());
            var hash = Seed ^ (ulong)bytes.Length;
            while (bytes.Length >= sizeof(ulong))
            {
                hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime, 29);
                bytes = bytes[sizeof(ulong)..];
            }

            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            hash = (hash ^ tail) * Prime;
            return (int)(hash ^ (hash >> 32));
        }
    }
}
