namespace Replication.Sdk.Scheduling;

/// <summary>A machine group (<c>vm_machine_groups</c>): VMs that a schedule replicates together.</summary>
public sealed record MachineGroup
{
    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the schedule the group belongs to, if any.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>Gets how many of this group's VMs may have an active job at once.</summary>
    /// <value>The default value is 5.</value>
    public int MaxConcurrentVms { get; init; } = 5;

    /// <summary>Gets the priority; lower runs first.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; init; }

    /// <summary>Gets the OSSEA configuration id for this group's jobs (a VM setting wins).</summary>
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the target network for this group's jobs (a VM setting wins).</summary>
    public string? TargetNetwork { get; init; }
}

/// <summary>A VM's membership of a group (<c>vm_group_memberships</c>). A VM may belong to several groups.</summary>
public sealed record GroupMembership
{
    /// <summary>Gets the group id.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets the VM context id.</summary>
    public required string VmContextId { get; init; }

    /// <summary>Gets a value indicating whether the membership is active.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the priority within the group; lower runs first, ties by <see cref="AddedAt"/>.</summary>
    public int Priority { get; init; }

    /// <summary>Gets when the VM was added.</summary>
    public DateTimeOffset AddedAt { get; init; }
}
