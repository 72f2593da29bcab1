using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>A VM spec as a host recorded it (for drift reports). Build one from a discovery with <see cref="FromDiscovery"/>.</summary>
public sealed record VmSpecSnapshot
{
    /// <summary>Gets the VMware VM id.</summary>
    public string? VmwareVmId { get; init; }

    /// <summary>Gets the inventory path.</summary>
    public string? Path { get; init; }

    /// <summary>Gets the CPU count.</summary>
    public int? CpuCount { get; init; }

    /// <summary>Gets the memory in MiB.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>Gets the power state.</summary>
    public string? PowerState { get; init; }

    /// <summary>Gets the OS type (<c>windows</c>, <c>linux</c>, <c>unknown</c>).</summary>
    public string? OsType { get; init; }

    /// <summary>Gets the disks, or <see langword="null"/> when not recorded.</summary>
    public IReadOnlyList<StoredDisk>? Disks { get; init; }

    /// <summary>Gets the network adapters, or <see langword="null"/> when not recorded.</summary>
    public IReadOnlyList<StoredNetwork>? Networks { get; init; }

    /// <summary>Records a discovered VM as a snapshot.</summary>
    /// <param name="vm">The discovered VM.</param>
    /// <returns>The snapshot.</returns>
    public static VmSpecSnapshot FromDiscovery(DiscoveredVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return new VmSpecSnapshot
        {
            VmwareVmId = vm.Id,
            Path = vm.Path,
            CpuCount = vm.NumCpu,
            MemoryMb = vm.MemoryMb,
            PowerState = vm.PowerState,
            OsType = vm.GuestOs,
            Disks = [.. vm.Disks.Select(d => new StoredDisk { Id = d.Id, Path = d.Path, CapacityBytes = d.CapacityBytes })],
            Networks = [.. vm.Networks.Select(n => new StoredNetwork { Label = n.Label, NetworkName = n.NetworkName, MacAddress = n.MacAddress })],
        };
    }
}

/// <summary>A recorded disk.</summary>
public sealed record StoredDisk
{
    /// <summary>Gets the disk id (<c>disk-&lt;key&gt;</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the VMDK path.</summary>
    public string? Path { get; init; }

    /// <summary>Gets the capacity in bytes.</summary>
    public long CapacityBytes { get; init; }
}

/// <summary>A recorded network adapter.</summary>
public sealed record StoredNetwork
{
    /// <summary>Gets the adapter label (the join key).</summary>
    public required string Label { get; init; }

    /// <summary>Gets the network name.</summary>
    public string? NetworkName { get; init; }

    /// <summary>Gets the MAC address.</summary>
    public string? MacAddress { get; init; }
}
