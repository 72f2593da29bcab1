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

    /// <summary>Gets a token that fires when schedules change, so edits take effect at once. Stores that cannot tell return a token that never fires; hosts then call <c>NotifyChanged</c>.</summary>
    /// <returns>The change token.</returns>
    IChangeToken GetChangeToken();
}
