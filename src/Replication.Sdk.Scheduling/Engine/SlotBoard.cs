namespace Replication.Sdk.Scheduling;

/// <summary>
/// Counts active jobs per schedule, per group and overall, so limits hold across overlapping executions of a schedule.
/// A reservation takes all three at once or none; a release wakes every dispatcher waiting for room.
/// </summary>
internal sealed class SlotBoard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _bySchedule = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byGroup = new(StringComparer.Ordinal);
    private int _total;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    public int ForSchedule(string scheduleId)
    {
        lock (_lock)
        {
            return _bySchedule.GetValueOrDefault(scheduleId);
        }
    }

    public int ForGroup(string groupId)
    {
        lock (_lock)
        {
            return _byGroup.GetValueOrDefault(groupId);
        }
    }

    /// <summary>A task that completes at the next release; take it before checking for room, so no release is missed.</summary>
    public Task NextRelease
    {
        get
        {
            lock (_lock)
            {
                return _released.Task;
            }
        }
    }

    public bool TryReserve(string scheduleId, int scheduleLimit, string groupId, int groupLimit, int? globalLimit)
    {
        lock (_lock)
        {
            if (_bySchedule.GetValueOrDefault(scheduleId) >= scheduleLimit || _byGroup.GetValueOrDefault(groupId) >= groupLimit
                || (globalLimit is { } g && _total >= g))
            {
                return false;
            }

            Take(scheduleId, groupId);
            return true;
        }
    }

    /// <summary>Takes a slot regardless of limits: a re-attached job is active whether or not there is room.</summary>
    public void Force(string scheduleId, string groupId)
    {
        lock (_lock)
        {
            Take(scheduleId, groupId);
        }
    }

    public void Release(string scheduleId, string groupId)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            _bySchedule[scheduleId] = Math.Max(0, _bySchedule.GetValueOrDefault(scheduleId) - 1);
            _byGroup[groupId] = Math.Max(0, _byGroup.GetValueOrDefault(groupId) - 1);
            _total = Math.Max(0, _total - 1);
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    private void Take(string scheduleId, string groupId)
    {
        _bySchedule[scheduleId] = _bySchedule.GetValueOrDefault(scheduleId) + 1;
        _byGroup[groupId] = _byGroup.GetValueOrDefault(groupId) + 1;
        _total++;
    }
}
