using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling;

/// <summary>The read side the scheduler needs: schedules, groups, memberships and VM contexts. Hosts implement it over their own storage.</summary>
public interface IScheduleStore
{
    /// <summary>Gets every schedule, enabled or not.</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The schedules.</returns>
    Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets one schedule.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The schedule, or <see langword="null"/>.</returns>
    Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Gets the groups of a schedule.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The groups, in any order.</returns>
    Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Gets one group, whatever its schedule, or a group with none (one whose schedule was deleted, or that was created without one).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The group, or <see langword="null"/>.</returns>
    /// <remarks>
    /// The default implementation looks it up in <see cref="GetAllGroupsAsync"/>, so by default it cannot see a group with no
    /// schedule either. The in-memory and MySQL stores read it by id.
    /// </remarks>
    async Task<MachineGroup?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return (await GetAllGroupsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(g => string.Equals(g.Id, groupId, StringComparison.Ordinal));
    }

    /// <summary>Gets every group, those with no schedule included (the management API's group listing; the scheduler does not call it).</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The groups, in any order.</returns>
    /// <remarks>
    /// The default implementation reads <see cref="GetGroupsAsync"/> of every schedule (one read per schedule), so it sees
    /// only groups that have a schedule: a store whose groups may have none (a deleted schedule's groups stay) should
    /// override it, as the in-memory and MySQL stores do with one read.
    /// </remarks>
    async Task<IReadOnlyList<MachineGroup>> GetAllGroupsAsync(CancellationToken cancellationToken = default)
    {
        var groups = new List<MachineGroup>();
        foreach (var schedule in await GetSchedulesAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.AddRange(await GetGroupsAsync(schedule.Id, cancellationToken).ConfigureAwait(false));
        }

        return [.. groups.DistinctBy(g => g.Id, StringComparer.Ordinal)];
    }

    /// <summary>Gets the memberships of one VM in every group (enabled or not), groups with no schedule included.</summary>
    /// <param name="vmContextId">The VM context id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The memberships, in any order.</returns>
    /// <remarks>
    /// The default implementation reads the memberships of every group of <see cref="GetAllGroupsAsync"/>, so by default it
    /// sees only the VM's memberships in groups that have a schedule. The in-memory and MySQL stores read them by VM.
    /// </remarks>
    async Task<IReadOnlyList<GroupMembership>> GetVmMembershipsAsync(string vmContextId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vmContextId);
        var groups = await GetAllGroupsAsync(cancellationToken).ConfigureAwait(false);
        var memberships = await GetMembershipsAsync([.. groups.Select(g => g.Id)], cancellationToken).ConfigureAwait(false);
        return [.. memberships.Where(m => string.Equals(m.VmContextId, vmContextId, StringComparison.Ordinal))];
    }

    /// <summary>Gets the memberships of some groups (enabled or not).</summary>
    /// <param name="groupIds">The group ids.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The memberships, in any order.</returns>
    Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>Gets VM contexts by id.</summary>
    /// <param name="contextIds">The context ids.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The contexts found; unknown ids are left out.</returns>
    Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets a token that fires when schedules change, so edits take effect at once. Stores that cannot tell return a token
    /// that never fires; hosts then call <c>NotifyChanged</c>. A <see cref="ScheduleChangeToken"/> names the schedules that
    /// changed; a change of only groups or memberships fires one naming none, so nothing is re-planned.
    /// </summary>
    /// <returns>The change token.</returns>
    IChangeToken GetChangeToken();
}
