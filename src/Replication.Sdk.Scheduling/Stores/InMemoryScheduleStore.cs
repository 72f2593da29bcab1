using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IScheduleStore"/>. Its setters fire the change token, a <see cref="ScheduleChangeToken"/>
/// naming the schedule written (none for groups, memberships and VM contexts), so edits reach the scheduler at once and
/// re-plan only that schedule.
/// </summary>
public sealed class InMemoryScheduleStore : IScheduleStore, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ReplicationSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MachineGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Vm), GroupMembership> _memberships = [];
    private readonly Dictionary<string, ScheduledVm> _vms = new(StringComparer.Ordinal);
    private ScheduleChangeToken _changed = new();

    /// <summary>Adds or replaces a schedule.</summary>
    /// <param name="schedule">The schedule.</param>
    public void Upsert(ReplicationSchedule schedule) => Write(() => _schedules[schedule.Id] = schedule, schedule, schedule?.Id);

    /// <summary>Adds or replaces a group.</summary>
    /// <param name="group">The group.</param>
    public void Upsert(MachineGroup group) => Write(() => _groups[group.Id] = group, group, null);

    /// <summary>Adds or replaces a membership (unique per group and VM).</summary>
    /// <param name="membership">The membership.</param>
    public void Upsert(GroupMembership membership) => Write(() => _memberships[(membership.GroupId, membership.VmContextId)] = membership, membership, null);

    /// <summary>Adds or replaces a VM context.</summary>
    /// <param name="vm">The VM context.</param>
    public void Upsert(ScheduledVm vm) => Write(() => _vms[vm.ContextId] = vm, vm, null);

    /// <summary>Removes a schedule.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    public void RemoveSchedule(string scheduleId) => Write(() => _schedules.Remove(scheduleId), scheduleId, scheduleId);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<ReplicationSchedule>>(() => [.. _schedules.Values]);

    /// <inheritdoc/>
    public Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        Read(() => _schedules.GetValueOrDefault(scheduleId));

    /// <inheritdoc/>
    public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<MachineGroup>>(() => [.. _groups.Values.Where(g => g.ScheduleId == scheduleId)]);

    /// <inheritdoc/>
    public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<GroupMembership>>(() => [.. _memberships.Values.Where(m => groupIds.Contains(m.GroupId))]);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<ScheduledVm>>(() => [.. contextIds.Where(_vms.ContainsKey).Select(id => _vms[id])]);

    /// <inheritdoc/>
    public IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            return _changed;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _changed.Dispose();
        }
    }

    private Task<T> Read<T>(Func<T> read)
    {
        lock (_lock)
        {
            return Task.FromResult(read());
        }
    }

    /// <summary>Writes under the lock, then fires the token naming <paramref name="scheduleId"/> (none for rows the plan does not read).</summary>
    private void Write(Action write, object value, string? scheduleId)
    {
        ArgumentNullException.ThrowIfNull(value);
        ScheduleChangeToken fired;
        lock (_lock)
        {
            write();
            fired = _changed;
            _changed = new ScheduleChangeToken();
        }

        fired.Fire(scheduleId is null ? [] : [scheduleId]);
        fired.Dispose();
    }
}
