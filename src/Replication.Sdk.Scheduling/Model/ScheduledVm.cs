using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>A VM context as the host knows it (<c>vm_replication_contexts</c>). The spec sent is always discovered fresh.</summary>
public sealed record ScheduledVm
{
    /// <summary>Gets the context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the VMware VM id, when known.</summary>
    public string? VmwareVmId { get; init; }

    /// <summary>Gets the inventory path, when known.</summary>
    public string? VmPath { get; init; }

    /// <summary>Gets the vCenter host.</summary>
    public required string VCenterHost { get; init; }

    /// <summary>Gets the datacenter.</summary>
    public required string Datacenter { get; init; }

    /// <summary>Gets a value indicating whether schedules may pick this VM.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SchedulerEnabled { get; init; } = true;

    /// <summary>Gets the context status as the host last saw it (<c>failed_over_test</c> and the like are never scheduled).</summary>
    public string CurrentStatus { get; init; } = "discovered";

    /// <summary>Gets the spec the host last recorded, for drift reports.</summary>
    public VmSpecSnapshot? LastKnownSpec { get; init; }

    /// <summary>
    /// Gets when the VM's last job completed, for RPO tracking (<see langword="null"/>: never, as far as the store knows).
    /// The MySQL store reads it from the appliance's last successful job and the SDK's completed outcomes.
    /// </summary>
    public DateTimeOffset? LastCompletedJobAt { get; init; }

    /// <summary>Gets the OSSEA configuration id for this VM's jobs.</summary>
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the target network for this VM's jobs.</summary>
    public string? TargetNetwork { get; init; }
}
