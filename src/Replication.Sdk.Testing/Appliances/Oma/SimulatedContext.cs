namespace Replication.Sdk.Testing;

/// <summary>A VM context as the simulated OMA keeps it.</summary>
public sealed record SimulatedContext
{
    /// <summary>Gets the context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the VMware id.</summary>
    public required string VmwareVmId { get; init; }

    /// <summary>Gets the VM path.</summary>
    public string VmPath { get; init; } = "";

    /// <summary>Gets the vCenter host.</summary>
    public required string VCenterHost { get; init; }

    /// <summary>Gets the datacenter.</summary>
    public string Datacenter { get; init; } = "";

    /// <summary>Gets the status.</summary>
    public string CurrentStatus { get; init; } = "discovered";

    /// <summary>Gets the current job id.</summary>
    public string? CurrentJobId { get; init; }

    /// <summary>Gets the last successful job id.</summary>
    public string? LastSuccessfulJobId { get; init; }

    /// <summary>Gets the jobs run.</summary>
    public int TotalJobsRun { get; init; }

    /// <summary>Gets the successful jobs.</summary>
    public int SuccessfulJobs { get; init; }

    /// <summary>Gets the failed jobs.</summary>
    public int FailedJobs { get; init; }

    /// <summary>Gets a value indicating whether schedules may pick the VM.</summary>
    public bool SchedulerEnabled { get; init; } = true;

    /// <summary>Gets when created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the status last changed.</summary>
    public DateTimeOffset? LastStatusChange { get; init; }

    /// <summary>Gets when the first job was created.</summary>
    public DateTimeOffset? FirstJobAt { get; init; }

    /// <summary>Gets when the newest job was created.</summary>
    public DateTimeOffset? LastJobAt { get; init; }

    /// <summary>Gets the CPU count from the create request.</summary>
    public int? CpuCount { get; init; }

    /// <summary>Gets the memory in MiB from the create request.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>Gets the OS type from the create request.</summary>
    public string? OsType { get; init; }

    /// <summary>Gets the power state from the create request.</summary>
    public string? PowerState { get; init; }

    /// <summary>Gets the VMware tools version from the create request.</summary>
    public string? VmToolsVersion { get; init; }

    /// <summary>Gets the target OSSEA configuration.</summary>
    public int? OsseaConfigId { get; init; }
}
