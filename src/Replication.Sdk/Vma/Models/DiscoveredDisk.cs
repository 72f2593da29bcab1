namespace Replication.Sdk.Vma;

/// <summary>One virtual disk of a discovered VM.</summary>
public sealed record DiscoveredDisk
{
    /// <summary>Gets the disk id, <c>disk-&lt;device key&gt;</c>: the join key the OMA uses for disks and change ids.</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the device label, e.g. <c>Hard disk 1</c>.</summary>
    public string Label { get => field ?? ""; init; } = "";

    /// <summary>Gets the backing path, <c>[datastore] dir/file.vmdk</c>; empty for RDM and SeSparse disks, which cannot be replicated.</summary>
    public string Path { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMDK path (identical to <see cref="Path"/> on the VMA).</summary>
    public string VmdkPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the size in GiB, rounded up from <see cref="CapacityBytes"/>.</summary>
    public int SizeGb { get; init; }

    /// <summary>Gets the exact capacity in bytes.</summary>
    public long CapacityBytes { get; init; }

    /// <summary>Gets the datastore name; empty for RDM disks.</summary>
    public string Datastore { get => field ?? ""; init; } = "";

    /// <summary>Gets the provisioning type: <c>thin</c>, <c>thick</c> or <c>unknown</c>.</summary>
    public string ProvisioningType { get => field ?? ""; init; } = "";

    /// <summary>Gets the unit number on its controller (not unique per VM).</summary>
    public int UnitNumber { get; init; }
}
