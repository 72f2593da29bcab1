namespace Replication.Sdk.Jobs;

/// <summary>A VM to replicate, as the host knows it. The spec that is sent always comes from a fresh discovery, never from here.</summary>
public sealed record ReplicationTarget
{
    /// <summary>Gets the VM name (matched exactly, ignoring case).</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the VMware VM id (BIOS UUID) the host recorded, when known; it wins over the name.</summary>
    public string? VmwareVmId { get; init; }

    /// <summary>Gets the inventory path the host recorded, when known; it narrows a name shared by several VMs.</summary>
    public string? VmPath { get; init; }

    /// <summary>Gets the vCenter host.</summary>
    public required string VCenterHost { get; init; }

    /// <summary>Gets the datacenter.</summary>
    public required string Datacenter { get; init; }

    /// <summary>Gets the spec the host last recorded, for the drift report only. It is never sent.</summary>
    public VmSpecSnapshot? StoredSpec { get; init; }

    /// <summary>Gets per-target settings that override <see cref="ReplicationJobOptions"/>.</summary>
    public ReplicationJobSettings Settings { get; init; } = new();
}
