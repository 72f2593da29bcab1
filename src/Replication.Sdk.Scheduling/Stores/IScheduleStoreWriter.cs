namespace Replication.Sdk.Scheduling;

/// <summary>
/// The write side of a schedule store whose schedules and groups may be edited (the management API's <c>PUT</c> and
/// <c>DELETE</c> of schedules, groups and memberships). A store offers it only where writes are allowed: the in-memory
/// store always, the MySQL store only when <c>AllowScheduleWrites</c> is set, so the appliance's own tables stay
/// read-only by default. Resolve it with <c>GetService</c>: none means the configured store is read-only. Every write
/// takes effect for the scheduler as an edit by any other writer would: through the store's change token.
/// <para>
/// The writes of schedules and groups also come conditional: the overload with a <c>precondition</c> is given the entity
/// stored now (<see langword="null"/> when there is none), exactly as <see cref="IScheduleStore.GetScheduleAsync"/> or
/// <see cref="IScheduleStore.GetGroupAsync"/> would return it, and writes only if it returns <see langword="true"/>. The
/// check and the write are one step for every writer of the store, in any process (the in-memory store checks under its
/// lock; the MySQL store inside the write's transaction, after locking the rows it reads): of two writers that read the
/// same version and both write on condition that it is still there, exactly one writes. The precondition runs while the
/// store holds that lock, so it must be quick and must not call the store.
/// </para>
/// </summary>
public interface IScheduleStoreWriter
{
    /// <summary>Adds or replaces a schedule, after checking it with <see cref="ScheduleValidator"/> and the scheduler's evaluator.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the schedule is stored.</returns>
    /// <exception cref="InvalidIdException">The schedule's id is not one a store can hold (see <see cref="InvalidIdException"/>); nothing is written.</exception>
    /// <exception cref="InvalidScheduleException">The schedule cannot run (or the store cannot hold a value); nothing is written.</exception>
    /// <exception cref="ScheduleWriteConflictException">Another schedule has the same name.</exception>
    Task UpsertScheduleAsync(ReplicationSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a schedule as <see cref="UpsertScheduleAsync(ReplicationSchedule, CancellationToken)"/> does, if <paramref name="precondition"/> holds for the schedule stored now, checked atomically with the write.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="precondition">Given the schedule with this id as the store reads it now (<see langword="null"/> when there is none); the write is made only if it returns <see langword="true"/>.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the schedule is stored.</returns>
    /// <exception cref="InvalidIdException">The schedule's id is not one a store can hold (see <see cref="InvalidIdException"/>); nothing is written.</exception>
    /// <exception cref="InvalidScheduleException">The schedule cannot run (or the store cannot hold a value); nothing is written.</exception>
    /// <exception cref="ScheduleWritePreconditionFailedException"><paramref name="precondition"/> returned <see langword="false"/>; nothing is written.</exception>
    /// <exception cref="ScheduleWriteConflictException">Another schedule has the same name.</exception>
    Task UpsertScheduleAsync(ReplicationSchedule schedule, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule and its SDK settings; its groups stay, with no schedule, and keep their memberships.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no schedule has that id.</returns>
    /// <exception cref="ScheduleWriteConflictException">The store keeps history that names the schedule and cannot delete it (the appliance's <c>schedule_executions</c>).</exception>
    Task<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule as <see cref="DeleteScheduleAsync(string, CancellationToken)"/> does, if <paramref name="precondition"/> holds for the schedule stored now, checked atomically with the delete.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="precondition">Given the schedule as the store reads it now (<see langword="null"/> when there is none); the delete is made only if it returns <see langword="true"/>.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no schedule has that id (and the precondition held for none).</returns>
    /// <exception cref="ScheduleWritePreconditionFailedException"><paramref name="precondition"/> returned <see langword="false"/>; nothing is deleted.</exception>
    /// <exception cref="ScheduleWriteConflictException">The store keeps history that names the schedule and cannot delete it (the appliance's <c>schedule_executions</c>).</exception>
    Task<bool> DeleteScheduleAsync(string scheduleId, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a group, after checking its limits with <see cref="ScheduleValidator"/>.</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the group is stored.</returns>
    /// <exception cref="InvalidIdException">The group's id, or its schedule's, is not one a store can hold; nothing is written.</exception>
    /// <exception cref="InvalidScheduleException">A limit is out of range (or the store cannot hold a value); nothing is written.</exception>
    /// <exception cref="ScheduleNotFoundException">The group names a schedule that does not exist.</exception>
    /// <exception cref="ScheduleWriteConflictException">Another group has the same name.</exception>
    Task UpsertGroupAsync(MachineGroup group, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a group as <see cref="UpsertGroupAsync(MachineGroup, CancellationToken)"/> does, if <paramref name="precondition"/> holds for the group stored now, checked atomically with the write.</summary>
    /// <param name="group">The group.</param>
    /// <param name="precondition">Given the group with this id as the store reads it now (<see langword="null"/> when there is none); the write is made only if it returns <see langword="true"/>.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the group is stored.</returns>
    /// <exception cref="InvalidIdException">The group's id, or its schedule's, is not one a store can hold; nothing is written.</exception>
    /// <exception cref="InvalidScheduleException">A limit is out of range (or the store cannot hold a value); nothing is written.</exception>
    /// <exception cref="ScheduleWritePreconditionFailedException"><paramref name="precondition"/> returned <see langword="false"/>; nothing is written.</exception>
    /// <exception cref="ScheduleNotFoundException">The group names a schedule that does not exist.</exception>
    /// <exception cref="ScheduleWriteConflictException">Another group has the same name.</exception>
    Task UpsertGroupAsync(MachineGroup group, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default);

    /// <summary>Deletes a group and its memberships.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no group has that id.</returns>
    Task<bool> DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a group and its memberships as <see cref="DeleteGroupAsync(string, CancellationToken)"/> does, if <paramref name="precondition"/> holds for the group stored now, checked atomically with the delete.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="precondition">Given the group as the store reads it now (<see langword="null"/> when there is none); the delete is made only if it returns <see langword="true"/>.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when no group has that id (and the precondition held for none).</returns>
    /// <exception cref="ScheduleWritePreconditionFailedException"><paramref name="precondition"/> returned <see langword="false"/>; nothing is deleted.</exception>
    Task<bool> DeleteGroupAsync(string groupId, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a VM to a group or replaces its membership (one per group and VM). A default <see cref="GroupMembership.AddedAt"/>
    /// means now for a new membership and unchanged for an existing one.
    /// </summary>
    /// <param name="membership">The membership.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the membership is stored.</returns>
    /// <exception cref="InvalidIdException">The group id or the VM context id is not one a store can hold; nothing is written.</exception>
    /// <exception cref="ScheduleTargetNotFoundException">The group or the VM context does not exist.</exception>
    Task UpsertMembershipAsync(GroupMembership membership, CancellationToken cancellationToken = default);

    /// <summary>Removes a VM from a group.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="vmContextId">The VM context id.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when it was removed; <see langword="false"/> when the VM was not a member.</returns>
    Task<bool> RemoveMembershipAsync(string groupId, string vmContextId, CancellationToken cancellationToken = default);
}
