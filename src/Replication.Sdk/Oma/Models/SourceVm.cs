using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Oma;

/// <summary>The OMA's <c>source_vm</c> object: a VM spec as the OMA stores it.</summary>
public sealed record SourceVm
{
    /// <summary>Gets the VMware VM id (stored by the OMA as <c>vmware_vm_id</c>).</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the VM name.</summary>
    public string Name { get => field ?? ""; init; } = "";

    /// <summary>Gets the inventory path.</summary>
    public string Path { get => field ?? ""; init; } = "";

    /// <summary>Gets the datacenter.</summary>
    public string Datacenter { get => field ?? ""; init; } = "";

    /// <summary>Gets the power state.</summary>
    public string PowerState { get => field ?? ""; init; } = "";

    /// <summary>Gets the OS type (from VMA <c>guest_os</c>).</summary>
    public string OsType { get => field ?? ""; init; } = "";

    /// <summary>Gets the memory in MiB.</summary>
    public int MemoryMb { get; init; }

    /// <summary>Gets the CPU count (from VMA <c>num_cpu</c>).</summary>
    public int Cpus { get; init; }

    /// <summary>Gets the virtual hardware version.</summary>
    public string VmxVersion { get => field ?? ""; init; } = "";

    /// <summary>Gets the display name.</summary>
    public string DisplayName { get => field ?? ""; init; } = "";

    /// <summary>Gets the annotation.</summary>
    public string Annotation { get => field ?? ""; init; } = "";

    /// <summary>Gets the folder path.</summary>
    public string FolderPath { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware Tools status.</summary>
    public string VmwareToolsStatus { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMware Tools version.</summary>
    public string VmwareToolsVersion { get => field ?? ""; init; } = "";

    /// <summary>Gets the disks; the array index is the disk index on the OMA.</summary>
    [AllowNull]
    public IReadOnlyList<SourceDisk> Disks { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the network adapters.</summary>
    [AllowNull]
    public IReadOnlyList<SourceNetwork> Networks { get => field; init => field = value ?? []; } = [];
}
