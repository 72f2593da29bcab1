namespace Replication.Sdk.Testing;

/// <summary>A VM in the simulated vCenter inventory.</summary>
public sealed record SimulatedVm
{
    /// <summary>Gets the VMware id (BIOS UUID).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the vCenter host.</summary>
    public required string VCenter { get; init; }

    /// <summary>Gets the datacenter.</summary>
    public required string Datacenter { get; init; }

    /// <summary>Gets the folder path below <c>/&lt;DC&gt;/vm/</c>.</summary>
    public string Folder { get; init; } = "";

    /// <summary>Gets the power state.</summary>
    public string PowerState { get; init; } = "poweredOn";

    /// <summary>Gets the simplified guest OS.</summary>
    public string GuestOs { get; init; } = "linux";

    /// <summary>Gets the memory in MiB.</summary>
    public int MemoryMb { get; init; } = 4096;

    /// <summary>Gets the CPU count.</summary>
    public int NumCpu { get; init; } = 2;

    /// <summary>Gets the hardware version.</summary>
    public string VmxVersion { get; init; } = "vmx-19";

    /// <summary>Gets the disks.</summary>
    public IReadOnlyList<SimulatedDisk> Disks { get; init; } = [];

    /// <summary>Gets the NICs.</summary>
    public IReadOnlyList<SimulatedNic> Nics { get; init; } = [];

    /// <summary>Gets the inventory path.</summary>
    public string Path => string.IsNullOrEmpty(Folder) ? $"/{Datacenter}/vm/{Name}" : $"/{Datacenter}/vm/{Folder}/{Name}";
}

/// <summary>A simulated virtual disk. An RDM disk has no path or datastore.</summary>
/// <param name="Key">The device key (the id is <c>disk-&lt;key&gt;</c>).</param>
/// <param name="CapacityBytes">The capacity.</param>
/// <param name="Datastore">The datastore, or empty for RDM.</param>
/// <param name="FileName">The VMDK file, or empty for RDM.</param>
/// <param name="Thin">Whether thin provisioned.</param>
/// <param name="UnitNumber">The unit on its controller.</param>
public sealed record SimulatedDisk(int Key, long CapacityBytes, string Datastore, string FileName, bool Thin, int UnitNumber)
{
    /// <summary>Gets a value indicating whether this is a raw device mapping.</summary>
    public bool IsRdm => string.IsNullOrEmpty(FileName);
}

/// <summary>A simulated network adapter.</summary>
/// <param name="Label">The label.</param>
/// <param name="NetworkName">The port group or fallback name.</param>
/// <param name="AdapterType">The adapter type.</param>
/// <param name="MacAddress">The MAC address.</param>
/// <param name="Connected">Whether connected.</param>
public sealed record SimulatedNic(string Label, string NetworkName, string AdapterType, string MacAddress, bool Connected);
