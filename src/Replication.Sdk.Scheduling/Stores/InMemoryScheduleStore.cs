using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IScheduleStore"/>. Its setters fire the change token, a <see cref="ScheduleChangeToken"/>
/// naming the schedule written (none for groups, memberships and VM contexts), so edits reach the scheduler at once and
/// re-plan only that schedule. It is writable (<see cref="IScheduleStoreWriter"/>): its async writes check what they write
/// as the scheduler would and refuse what it would not run, and a conditional write checks its precondition under the
/// same lock as the write; the synchronous setters write as given.
/// </summary>
public sealed class InMemoryScheduleStore : IScheduleStore, IScheduleStoreWriter, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ReplicationSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MachineGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Vm), GroupMembership> _memberships = [];
    private readonly Dictionary<string, ScheduledVm> _vms = new(StringComparer.Ordinal);
    private readonly IScheduleEvaluator _evaluator;
    private readonly TimeProvider _time;
    private ScheduleChangeToken _changed = new();

    /// <summary>Initializes a new instance of the <see cref="InMemoryScheduleStore"/> class whose writes check cron expressions with the default <see cref="CronScheduleEvaluator"/>.</summary>
    public InMemoryScheduleStore()
        : this(new CronScheduleEvaluator(), TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryScheduleStore"/> class.</summary>
    /// <param name="evaluator">The evaluator the scheduler uses, to check the cron expressions written through <see cref="IScheduleStoreWriter"/>.</param>
    /// <param name="time">The clock that stamps a new membership's <see cref="GroupMembership.AddedAt"/>.</param>
    public InMemoryScheduleStore(IScheduleEvaluator evaluator, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(time);
        _evaluator = evaluator;
        _time = time;
    }

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
    public Task UpsertScheduleAsync(ReplicationSchedule schedule, CancellationToken cancellationToken = default) => UpsertSchedule(schedule, null);

    /// <inheritdoc/>
    public Task UpsertScheduleAsync(ReplicationSchedule schedule, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return UpsertSchedule(schedule, precondition);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => DeleteSchedule(scheduleId, null);

    /// <inheritdoc/>
    public Task<bool> DeleteScheduleAsync(string scheduleId, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return DeleteSchedule(scheduleId, precondition);
    }

    /// <inheritdoc/>
    public Task UpsertGroupAsync(MachineGroup group, CancellationToken cancellationToken = default) => UpsertGroup(group, null);

    /// <inheritdoc/>
    public Task UpsertGroupAsync(MachineGroup group, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return UpsertGroup(group, precondition);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default) => DeleteGroup(groupId, null);

    /// <inheritdoc/>
    public Task<bool> DeleteGroupAsync(string groupId, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return DeleteGroup(groupId, precondition);
    }

    private Task<bool> UpsertSchedule(ReplicationSchedule schedule, Func<ReplicationSchedule?, bool>? precondition)
    {
        ScheduleWriteCheck.Schedule(schedule, _evaluator);
        return WriteChecked(() =>
        {
            ScheduleWriteCheck.Precondition(precondition, _schedules.GetValueOrDefault(schedule.Id), PauseTarget.Schedule(schedule.Id));
            if (_schedules.Values.FirstOrDefault(s => s.Id != schedule.Id && string.Equals(s.Name, schedule.Name, StringComparison.Ordinal)) is { } other)
            {
                throw new ScheduleWriteConflictException(schedule.Id, $"Schedule '{other.Id}' already has the name '{schedule.Name}'.");
            }

            _schedules[schedule.Id] = schedule;
            return true;
        }, schedule.Id);
    }

    private Task<bool> DeleteSchedule(string scheduleId, Func<ReplicationSchedule?, bool>? precondition)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        return WriteChecked(() =>
        {
            ScheduleWriteCheck.Precondition(precondition, _schedules.GetValueOrDefault(scheduleId), PauseTarget.Schedule(scheduleId));
            if (!_schedules.Remove(scheduleId))
            {
                return false;
            }

            foreach (var group in _groups.Values.Where(g => g.ScheduleId == scheduleId).ToList())
            {
                _groups[group.Id] = group with { ScheduleId = null };
            }

            return true;
        }, scheduleId);
    }

    private Task<bool> UpsertGroup(MachineGroup group, Func<MachineGroup?, bool>? precondition)
    {
        ScheduleWriteCheck.Group(group);
        return WriteChecked(() =>
        {
            ScheduleWriteCheck.Precondition(precondition, _groups.GetValueOrDefault(group.Id), PauseTarget.Group(group.Id));
            if (group.ScheduleId is { } scheduleId && !_schedules.ContainsKey(scheduleId))
            {
                throw new ScheduleNotFoundException(scheduleId);
            }

            if (_groups.Values.FirstOrDefault(g => g.Id != group.Id && string.Equals(g.Name, group.Name, StringComparison.Ordinal)) is { } other)
            {
                throw new ScheduleWriteConflictException(group.Id, $"Group '{other.Id}' already has the name '{group.Name}'.");
            }

            _groups[group.Id] = group;
            return true;
        }, null);
    }

    private Task<bool> DeleteGroup(string groupId, Func<MachineGroup?, bool>? precondition)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return WriteChecked(() =>
        {
            ScheduleWriteCheck.Precondition(precondition, _groups.GetValueOrDefault(groupId), PauseTarget.Group(groupId));
            if (!_groups.Remove(groupId))
            {
                return false;
            }

            foreach (var key in _memberships.Keys.Where(k => k.Group == groupId).ToList())
            {
                _memberships.Remove(key);
            }

            return true;
        }, null);
    }

    /// <inheritdoc/>
    public Task UpsertMembershipAsync(GroupMembership membership, CancellationToken cancellationToken = default)
    {
        ScheduleWriteCheck.Membership(membership);
        return WriteChecked(() =>
        {
            if (!_groups.ContainsKey(membership.GroupId))
            {
                throw new ScheduleTargetNotFoundException(PauseTarget.Group(membership.GroupId));
            }

            if (!_vms.ContainsKey(membership.VmContextId))
            {
                throw new ScheduleTargetNotFoundException(PauseTarget.Vm(membership.VmContextId));
            }

            var key = (membership.GroupId, membership.VmContextId);
            var addedAt = membership.AddedAt != default ? membership.AddedAt
                : _memberships.TryGetValue(key, out var existing) ? existing.AddedAt
                : _time.GetUtcNow();
            _memberships[key] = membership with { AddedAt = addedAt };
            return true;
        }, null);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveMembershipAsync(string groupId, string vmContextId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(vmContextId);
        return WriteChecked(() => _memberships.Remove((groupId, vmContextId)), null);
    }

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
    public Task<MachineGroup?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return Read(() => _groups.GetValueOrDefault(groupId));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MachineGroup>> GetAllGroupsAsync(CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<MachineGroup>>(() => [.. _groups.Values]);

    /// <inheritdoc/>
    public Task<IReadOnlyList<GroupMembership>> GetVmMembershipsAsync(string vmContextId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vmContextId);
        return Read<IReadOnlyList<GroupMembership>>(() => [.. _memberships.Values.Where(m => m.VmContextId == vmContextId)]);
    }

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

    /// <summary>Runs a checked write under the lock; fires the token (naming <paramref name="scheduleId"/>) only when it changed something.</summary>
    private Task<bool> WriteChecked(Func<bool> write, string? scheduleId)
    {
        ScheduleChangeToken fired;
        lock (_lock)
        {
            if (!write())
            {
                return Task.FromResult(false);
            }

            fired = _changed;
            _changed = new ScheduleChangeToken();
        }

        fired.Fire(scheduleId is null ? [] : [scheduleId]);
        fired.Dispose();
        return Task.FromResult(true);
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
