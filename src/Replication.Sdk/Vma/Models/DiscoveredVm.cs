using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Vma;

/// <summary>One VM as the VMA discovered it from vCenter.</summary>
/// <remarks>
/// Several fields are always empty on the real appliance (<see cref="Cpus"/>, <see cref="OsType"/>,
/// <see cref="DisplayName"/>, <see cref="Annotation"/>, <see cref="FolderPath"/>, <see cref="VmwareToolsStatus"/>,
/// <see cref="VmwareToolsVersion"/>); they are kept for wire fidelity. Use <see cref="NumCpu"/> and <see cref="GuestOs"/>.
/// </remarks>
public sealed record DiscoveredVm
{
    /// <summary>Gets the VMware VM id: the BIOS UUID when vCenter has one, else the managed object reference (<c>vm-1234</c>).</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM name.</summary>
    public string Name { get => field ?? ""; init; } = "";

    /// <summary>Gets the inventory path, <c>/&lt;DC&gt;/vm/&lt;folders…&gt;/&lt;name&gt;</c>.</summary>
    public string Path { get => field ?? ""; init; } = "";

    /// <summary>Gets the datacenter name, copied from the request.</summary>
    public string Datacenter { get => field ?? ""; init; } = "";

    /// <summary>Gets the power state: <c>poweredOn</c>, <c>poweredOff</c>, <c>suspended</c> or <c>unknown</c>.</summary>
    public string PowerState { get => field ?? ""; init; } = "";

    /// <summary>Gets the simplified guest OS: <c>windows</c>, <c>linux</c> or <c>unknown</c>.</summary>
    public string GuestOs { get => field ?? ""; init; } = "";

    /// <summary>Gets the configured memory in MiB.</summary>
    public int MemoryMb { get; init; }

    /// <summary>Gets the configured virtual CPU count. This is the CPU count to use.</summary>
    public int NumCpu { get; init; }

    /// <summary>Gets the <c>cpus</c> field, which the VMA always sends as 0. Use <see cref="NumCpu"/>.</summary>
    public int Cpus { get; init; }

    /// <summary>Gets the <c>os_type</c> field, which the VMA always sends empty. Use <see cref="GuestOs"/>.</summary>
    public string OsType { get => field ?? ""; init; } = "";

    /// <summary>Gets the virtual hardware version, e.g. <c>vmx-15</c>.</summary>
    public string VmxVersion { get => field ?? ""; init; } = "";

    /// <summary>Gets the display name (always empty on the VMA).</summary>
    public string DisplayName { get => field ?? ""; init; } = "";

    /// <summary>Gets the annotation (always empty on the VMA).</summary>
    public string Annotation { get => field ?? ""; init; } = "";

    /// <summary>Gets the folder path (always empty on the VMA).</summary>
    public string FolderPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware Tools status (always empty on the VMA).</summary>
    public string VmwareToolsStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware Tools version (always empty on the VMA).</summary>
    public string VmwareToolsVersion { get => field ?? ""; init; } = "";

    /// <summary>Gets the virtual disks in device order. The order defines the disk index on the OMA: keep it.</summary>
    [AllowNull]
    public IReadOnlyList<DiscoveredDisk> Disks { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the network adapters.</summary>
    [AllowNull]
    public IReadOnlyList<DiscoveredNetwork> Networks { get => field; init => field = value ?? []; } = [];
}
