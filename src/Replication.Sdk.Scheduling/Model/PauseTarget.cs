namespace Replication.Sdk.Scheduling;

/// <summary>What a pause applies to: a schedule, a machine group or a VM (by its context id).</summary>
/// <param name="Kind">The kind of target.</param>
/// <param name="Id">The schedule id, group id or VM context id (<see cref="ScheduledVm.ContextId"/>).</param>
public sealed record PauseTarget(PauseTargetKind Kind, string Id)
{
    /// <summary>Gets a schedule as a pause target.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <returns>The target.</returns>
    public static PauseTarget Schedule(string scheduleId) => new(PauseTargetKind.Schedule, scheduleId);

    /// <summary>Gets a machine group as a pause target.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The target.</returns>
    public static PauseTarget Group(string groupId) => new(PauseTargetKind.Group, groupId);

    /// <summary>Gets a VM as a pause target.</summary>
    /// <param name="contextId">The VM context id (<see cref="ScheduledVm.ContextId"/>).</param>
    /// <returns>The target.</returns>
    public static PauseTarget Vm(string contextId) => new(PauseTargetKind.Vm, contextId);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} '{Id}'";
}
