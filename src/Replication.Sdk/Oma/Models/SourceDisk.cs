namespace Replication.Sdk.Oma;

/// <summary>One disk of an OMA <c>source_vm</c>.</summary>
/// <remarks>The OMA ignores <see cref="VmdkPath"/> and <see cref="UnitNumber"/>; they are sent for fidelity with the GUI.</remarks>
public sealed record SourceDisk
{
    /// <summary>Gets the disk id (<c>disk-&lt;key&gt;</c>).</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the label.</summary>
    public string Label { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMDK path the OMA stores.</summary>
    public string Path { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMDK path (ignored by the OMA).</summary>
    public string VmdkPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the size in GiB.</summary>
    public int SizeGb { get; init; }

    /// <summary>Gets the capacity in bytes; the target volume is this plus 5 GiB.</summary>
    public long CapacityBytes { get; init; }

    /// <summary>Gets the datastore.</summary>
    public string Datastore { get => field ?? ""; init; } = "";

    /// <summary>Gets the provisioning type.</summary>
    public string ProvisioningType { get => field ?? ""; init; } = "";

    /// <summary>Gets the unit number (ignored by the OMA).</summary>
    public int UnitNumber { get; init; }
}
