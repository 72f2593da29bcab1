using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>The response of <c>GET /api/v1/replications/{id}</c>: a job's full status.</summary>
/// <remarks>
/// <see cref="StartedAt"/> is effectively never set by the appliance; use <see cref="CreatedAt"/>.
/// Disk rows follow each VM's newest job, so older jobs show no disks.
/// </remarks>
public sealed record ReplicationJob
{
    /// <summary>Gets the job id.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the job status.</summary>
    public ReplicationJobStatus Status { get; init; }

    /// <summary>Gets the progress in percent.</summary>
    public double ProgressPercent { get; init; }

    /// <summary>Gets when the job row was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the job started (rarely set by the appliance).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job reached a terminal status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the source VM identity.</summary>
    public ReplicationJobSource SourceVm { get; init; } = new();

    /// <summary>Gets the job configuration.</summary>
    public ReplicationJobConfiguration Configuration { get; init; } = new();

    /// <summary>Gets the disk rows (empty for all but a VM's newest job).</summary>
    [AllowNull]
    public IReadOnlyList<ReplicationJobDisk> Disks { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the volume mounts.</summary>
    [AllowNull]
    public IReadOnlyList<ReplicationJobMount> Mounts { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the change-block-tracking history.</summary>
    [AllowNull]
    public IReadOnlyList<CbtHistoryEntry> CbtHistory { get => field; init => field = value ?? []; } = [];
}

/// <summary>The source VM identity on a job.</summary>
public sealed record ReplicationJobSource
{
    /// <summary>Gets the VMware VM id.</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM name.</summary>
    public string Name { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM path.</summary>
    public string Path { get => field ?? ""; init; } = "";

    /// <summary>Gets the vCenter host.</summary>
    public string VcenterHost { get => field ?? ""; init; } = "";

    /// <summary>Gets the datacenter.</summary>
    public string Datacenter { get => field ?? ""; init; } = "";
}

/// <summary>The configuration block of a job.</summary>
public sealed record ReplicationJobConfiguration
{
    /// <summary>Gets the stored replication type.</summary>
    public string ReplicationType { get => field ?? ""; init; } = "";

    /// <summary>Gets the stored target network.</summary>
    public string TargetNetwork { get => field ?? ""; init; } = "";

    /// <summary>Gets the OSSEA configuration id.</summary>
    [JsonPropertyName("ossea_config_id")]
    public int OsseaConfigId { get; init; }
}

/// <summary>One disk row of a job.</summary>
public sealed record ReplicationJobDisk
{
    /// <summary>Gets the database row id.</summary>
    public long Id { get; init; }

    /// <summary>Gets the disk id (<c>disk-&lt;key&gt;</c>).</summary>
    public string DiskId { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMDK path.</summary>
    public string VmdkPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the size in GiB.</summary>
    public int SizeGb { get; init; }

    /// <summary>Gets the sync status.</summary>
    public string SyncStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets the sync progress in percent.</summary>
    public double SyncProgressPercent { get; init; }

    /// <summary>Gets the bytes synced.</summary>
    public long BytesSynced { get; init; }

    /// <summary>Gets the change id.</summary>
    public string ChangeId { get => field ?? ""; init; } = "";

    /// <summary>Gets the target volume row id.</summary>
    [JsonPropertyName("ossea_volume_id")]
    public long OsseaVolumeId { get; init; }
}

/// <summary>One volume mount of a job.</summary>
public sealed record ReplicationJobMount
{
    /// <summary>Gets the database row id.</summary>
    public long Id { get; init; }

    /// <summary>Gets the target volume row id.</summary>
    [JsonPropertyName("ossea_volume_id")]
    public long OsseaVolumeId { get; init; }

    /// <summary>Gets the device path.</summary>
    public string DevicePath { get => field ?? ""; init; } = "";

    /// <summary>Gets the mount point.</summary>
    public string MountPoint { get => field ?? ""; init; } = "";

    /// <summary>Gets the mount status.</summary>
    public string MountStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets the file system type.</summary>
    public string FilesystemType { get => field ?? ""; init; } = "";

    /// <summary>Gets when the volume was mounted.</summary>
    public DateTimeOffset? MountedAt { get; init; }
}

/// <summary>One change-block-tracking history row.</summary>
public sealed record CbtHistoryEntry
{
    /// <summary>Gets the database row id.</summary>
    public long Id { get; init; }

    /// <summary>Gets the disk id.</summary>
    public string DiskId { get => field ?? ""; init; } = "";

    /// <summary>Gets the change id.</summary>
    public string ChangeId { get => field ?? ""; init; } = "";

    /// <summary>Gets the sync type.</summary>
    public string SyncType { get => field ?? ""; init; } = "";

    /// <summary>Gets a value indicating whether the sync succeeded.</summary>
    public bool SyncSuccess { get; init; }

    /// <summary>Gets the changed block count.</summary>
    public long BlocksChanged { get; init; }

    /// <summary>Gets the bytes transferred.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>Gets the sync duration in seconds.</summary>
    public long SyncDurationSeconds { get; init; }

    /// <summary>Gets when the row was written.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
