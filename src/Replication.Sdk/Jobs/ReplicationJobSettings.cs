namespace Replication.Sdk.Jobs;

/// <summary>
/// Per-target job settings. Every property is optional: unset ones fall back to <see cref="ReplicationJobOptions"/>.
/// There are no built-in defaults for the OSSEA configuration id or the target network.
/// </summary>
public sealed record ReplicationJobSettings
{
    /// <summary>Gets the target OSSEA (CloudStack) configuration id.</summary>
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the target network.</summary>
    public string? TargetNetwork { get; init; }

    /// <summary>Gets the replication type.</summary>
    public ReplicationType? ReplicationType { get; init; }

    /// <summary>Gets the identity-change policy.</summary>
    public IdentityChangePolicy? IdentityChangePolicy { get; init; }

    /// <summary>Gets the scheduler execution id to record on the job.</summary>
    public string? ScheduleExecutionId { get; init; }

    /// <summary>Gets the machine group id to record on the job.</summary>
    public string? VmGroupId { get; init; }

    /// <summary>Gets the principal to record as having scheduled the job.</summary>
    public string? ScheduledBy { get; init; }

    /// <summary>Gets a value indicating whether to start replication (<see langword="true"/>, the default) or only add the VM to management.</summary>
    public bool? StartReplication { get; init; }
}
