using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>The OMA's record of one managed VM, unique by (<see cref="VmwareVmId"/>, <see cref="VcenterHost"/>) and by (<see cref="VmName"/>, <see cref="VcenterHost"/>).</summary>
/// <remarks>
/// <see cref="CurrentJobId"/> is the OMA's only "VM busy" gate and the only link from a VM to a job it just created;
/// a non-null value does not prove activity (a failed create leaves it set), so check the referenced job's status.
/// </remarks>
public sealed record VmContext
{
    /// <summary>Gets the context id (opaque).</summary>
    public string ContextId { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM name.</summary>
    public string VmName { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware VM id (VMA <c>id</c>).</summary>
    public string VmwareVmId { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM path.</summary>
    public string VmPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the vCenter host.</summary>
    public string VcenterHost { get => field ?? ""; init; } = "";

    /// <summary>Gets the datacenter.</summary>
    public string Datacenter { get => field ?? ""; init; } = "";

    /// <summary>Gets the context status (<c>discovered</c>, <c>replicating</c>, <c>ready_for_failover</c>, <c>failed</c>, <c>failed_over_test</c>, <c>failed_over_live</c>, <c>cleanup_required</c>, <c>completed</c>).</summary>
    public string CurrentStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets the current job id, if any.</summary>
    public string? CurrentJobId { get; init; }

    /// <summary>Gets the last successful job id, if any.</summary>
    public string? LastSuccessfulJobId { get; init; }

    /// <summary>Gets when the status last changed.</summary>
    public DateTimeOffset? LastStatusChange { get; init; }

    /// <summary>Gets the number of jobs run.</summary>
    public int TotalJobsRun { get; init; }

    /// <summary>Gets the number of successful jobs.</summary>
    public int SuccessfulJobs { get; init; }

    /// <summary>Gets the number of failed jobs.</summary>
    public int FailedJobs { get; init; }

    /// <summary>Gets the CPU count last recorded.</summary>
    public int? CpuCount { get; init; }

    /// <summary>Gets the memory in MiB last recorded.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>Gets the OS type last recorded.</summary>
    public string? OsType { get; init; }

    /// <summary>Gets the power state last recorded.</summary>
    public string? PowerState { get; init; }

    /// <summary>Gets the tools version field (the appliance stores <c>vmx_version</c> here).</summary>
    public string? VmToolsVersion { get; init; }

    /// <summary>Gets when the context was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the context last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Gets when the first job ran.</summary>
    public DateTimeOffset? FirstJobAt { get; init; }

    /// <summary>Gets when the last job ran.</summary>
    public DateTimeOffset? LastJobAt { get; init; }

    /// <summary>Gets a value indicating whether discovery added the VM.</summary>
    public bool AutoAdded { get; init; }

    /// <summary>Gets a value indicating whether schedules may pick this VM.</summary>
    /// <value>The appliance default is <see langword="true"/>.</value>
    public bool SchedulerEnabled { get; init; } = true;

    /// <summary>Gets the last job a schedule created for this VM.</summary>
    public string? LastScheduledJobId { get; init; }

    /// <summary>Gets the next scheduled run (never written upstream).</summary>
    public DateTimeOffset? NextScheduledAt { get; init; }

    /// <summary>Gets the OSSEA configuration id, if set.</summary>
    [JsonPropertyName("ossea_config_id")]
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the credential id, if set.</summary>
    public int? CredentialId { get; init; }

    /// <summary>Gets the last operation summary as raw JSON.</summary>
    public JsonElement? LastOperationSummary { get; init; }

    /// <summary>Gets the machine groups the VM belongs to (list view only).</summary>
    [AllowNull]
    public IReadOnlyList<VmContextGroup> Groups { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the number of machine groups (list view only).</summary>
    public int GroupCount { get; init; }
}

/// <summary>A machine group a VM context belongs to.</summary>
public sealed record VmContextGroup
{
    /// <summary>Gets the group id.</summary>
    public string GroupId { get => field ?? ""; init; } = "";

    /// <summary>Gets the group name.</summary>
    public string GroupName { get => field ?? ""; init; } = "";

    /// <summary>Gets the membership priority (lower first).</summary>
    public int Priority { get; init; }

    /// <summary>Gets a value indicating whether the membership is enabled.</summary>
    public bool Enabled { get; init; }
}
