using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Oma;

/// <summary>
/// The 201 answer of <c>POST /api/v1/replications</c>. It is one of two shapes, told apart on the wire by
/// <c>job_id</c> versus <c>context_id</c>: <see cref="ReplicationJobStarted"/> or <see cref="VmAddedToManagement"/>.
/// </summary>
public abstract record CreateReplicationResult
{
    private protected CreateReplicationResult()
    {
    }

    /// <summary>Gets the message the OMA returned.</summary>
    public string Message { get => field ?? ""; init; } = "";
}

/// <summary>A replication job was created and its workflow started (<c>start_replication</c> true).</summary>
public sealed record ReplicationJobStarted : CreateReplicationResult
{
    /// <summary>Gets the new job id. Treat it as opaque.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the job status at the end of the create call.</summary>
    public ReplicationJobStatus Status { get; init; }

    /// <summary>Gets the progress in percent.</summary>
    public double ProgressPercent { get; init; }

    /// <summary>Gets the echo of the source VM.</summary>
    public SourceVm? SourceVm { get; init; }

    /// <summary>Gets the target volumes created or reused.</summary>
    [AllowNull]
    public IReadOnlyList<CreatedVolume> CreatedVolumes { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the volumes attached to the appliance.</summary>
    [AllowNull]
    public IReadOnlyList<MountedVolume> MountedVolumes { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets when the workflow started.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

/// <summary>The VM was added to management without starting a job (<c>start_replication</c> false).</summary>
public sealed record VmAddedToManagement : CreateReplicationResult
{
    /// <summary>Gets the new VM context id.</summary>
    public string ContextId { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM name.</summary>
    public string VmName { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware VM id.</summary>
    public string VmwareVmId { get => field ?? ""; init; } = "";

    /// <summary>Gets the context status, normally <c>discovered</c>.</summary>
    public string CurrentStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets when the context was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A target volume created (or reused) by the create call.</summary>
public sealed record CreatedVolume
{
    /// <summary>Gets the CloudStack volume id.</summary>
    public string VolumeId { get => field ?? ""; init; } = "";

    /// <summary>Gets the volume name.</summary>
    public string VolumeName { get => field ?? ""; init; } = "";

    /// <summary>Gets the volume size in GiB.</summary>
    public int SizeGb { get; init; }

    /// <summary>Gets <c>created</c> or <c>reused</c>.</summary>
    public string Status { get => field ?? ""; init; } = "";
}

/// <summary>A volume attached to the appliance by the create call.</summary>
public sealed record MountedVolume
{
    /// <summary>Gets the device path, e.g. <c>/dev/vdc</c>.</summary>
    public string DevicePath { get => field ?? ""; init; } = "";

    /// <summary>Gets the mount point (normally empty).</summary>
    public string MountPoint { get => field ?? ""; init; } = "";

    /// <summary>Gets the attachment status.</summary>
    public string Status { get => field ?? ""; init; } = "";
}
