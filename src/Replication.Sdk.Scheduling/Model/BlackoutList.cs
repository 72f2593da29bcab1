using System.Collections;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The list behind <see cref="ReplicationSchedule.Blackouts"/>: a read-only copy with value equality, so two schedules with
/// the same blackouts are equal records (the compiler-generated record equality compares lists by reference otherwise,
/// and every store read would look like an edit).
/// </summary>
internal sealed class BlackoutList : IReadOnlyList<BlackoutPeriod>, IEquatable<BlackoutList>
{
    public static readonly BlackoutList Empty = new([]);

    private readonly BlackoutPeriod[] _items;

    private BlackoutList(BlackoutPeriod[] items) => _items = items;

    public int Count => _items.Length;

    public BlackoutPeriod this[int index] => _items[index];

    public static BlackoutList From(IEnumerable<BlackoutPeriod> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items is BlackoutList list)
        {
            return list;
        }

        var copy = items.ToArray();
        if (Array.IndexOf(copy, null) >= 0)
        {
            throw new ArgumentException("A blackout list cannot contain null.", nameof(items));
        }

        return copy.Length == 0 ? Empty : new BlackoutList(copy);
    }

    public bool Equals(BlackoutList? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is BlackoutList other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<BlackoutPeriod> GetEnumerator() => ((IEnumerable<BlackoutPeriod>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
