namespace Replication.Sdk.Scheduling;

/// <summary>Schedules keyed by their next fire time: the earliest is found in O(1) and updated in O(log n), whatever the schedule count.</summary>
internal sealed class ScheduleIndex
{
    private readonly SortedSet<(DateTimeOffset At, string Id)> _byTime = new(Comparer<(DateTimeOffset At, string Id)>.Create(
        (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id)));

    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);

    public int Count => _next.Count;

    public DateTimeOffset? Earliest => _byTime.Count == 0 ? null : _byTime.Min.At;

    public DateTimeOffset? NextOf(string scheduleId) => _next.TryGetValue(scheduleId, out var at) ? at : null;

    public void Set(string scheduleId, DateTimeOffset? next)
    {
        Remove(scheduleId);
        if (next is { } at)
        {
            _next[scheduleId] = at;
            _byTime.Add((at, scheduleId));
        }
    }

    public void Remove(string scheduleId)
    {
        if (_next.Remove(scheduleId, out var at))
        {
            _byTime.Remove((at, scheduleId));
        }
    }

    /// <summary>Removes and returns every schedule due at or before <paramref name="now"/>, earliest first.</summary>
    public List<(string Id, DateTimeOffset At)> TakeDue(DateTimeOffset now)
    {
        var due = new List<(string, DateTimeOffset)>();
        while (_byTime.Count > 0 && _byTime.Min.At <= now)
        {
            var (at, id) = _byTime.Min;
            _byTime.Remove(_byTime.Min);
            _next.Remove(id);
            due.Add((id, at));
        }

        return due;
    }
}
