namespace Replication.Sdk.Testing;

/// <summary>A job as the simulated OMA keeps it.</summary>
/// <param name="Id">The job id.</param>
/// <param name="VmName">The VM name.</param>
/// <param name="VmwareVmId">The VMware id.</param>
/// <param name="VCenterHost">The vCenter host.</param>
/// <param name="CreatedAt">When created.</param>
/// <param name="Status">The status as of the last read.</param>
/// <param name="RequestBody">The create request as received (secrets are never in it).</param>
public sealed record SimulatedJob(string Id, string VmName, string VmwareVmId, string VCenterHost, DateTimeOffset CreatedAt, string Status, string RequestBody)
{
    /// <summary>Gets the progress in percent, in the OMA's steps of 5.</summary>
    public double ProgressPercent { get; init; }

    /// <summary>Gets when the job row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the job reached a terminal status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    internal string VmPath { get; init; } = "";

    internal string Datacenter { get; init; } = "";

    internal string ContextId { get; init; } = "";

    internal string ReplicationType { get; init; } = "";

    internal string TargetNetwork { get; init; } = "";

    internal long OsseaConfigId { get; init; }

    internal IReadOnlyList<SimulatedJobDisk> Disks { get; init; } = [];

    /// <summary>Gets when the transfer started (<c>replicating</c>); <see langword="null"/> while the create call sets the job up.</summary>
    internal DateTimeOffset? TransferStartedAt { get; init; }

    internal string? ErrorMessage { get; init; }

    internal bool IsTerminal => Status is "completed" or "failed" or "cancelled";
}

/// <summary>A disk row of a simulated job and its volume; the change id is written when the transfer completes.</summary>
internal sealed record SimulatedJobDisk(string DiskId, string VmdkPath, long SizeGb, long CapacityBytes, string? ChangeId)
{
    public long RowId { get; init; }

    public string VolumeId { get; init; } = "";

    public string DevicePath { get; init; } = "";
}
