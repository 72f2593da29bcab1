using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>The simulated vCenter inventory: generated from a seed, changeable to exercise drift and identity rules.</summary>
public sealed class SimulatedInventory
{
    private static readonly string[] Folders = ["Prod", "Prod/Web", "Test", ""];
    private static readonly string[] Networks = ["VM Network", "Prod-VLAN-10", "Prod-VLAN-20", "Backup"];
    private static readonly string[] Fallbacks = ["ERROR-NULL-BACKING", "DVS-PG-1042", "STD-REF-network-7", "NSX-4f2c"];
    private static readonly string[] AdapterTypes = ["vmxnet3", "e1000", "e1000e"];
    private static readonly int[] DiskSizesGib = [16, 20, 40, 50, 100, 101];
    private readonly Lock _lock = new();
    private readonly List<SimulatedVm> _vms = [];
    private readonly Random _random;

    internal SimulatedInventory(SimulatorOptions options)
    {
        _random = new Random(options.Seed);
        var places = options.VCenters.SelectMany(v => options.Datacenters.Select(d => (v, d))).ToList();
        for (var i = 0; i < options.VmCount; i++)
        {
            var (vcenter, dc) = places[i % places.Count];
            _vms.Add(Generate($"vm{i + 1:000}", vcenter, dc, options));
        }
    }

    /// <summary>Gets a snapshot of every VM.</summary>
    public IReadOnlyList<SimulatedVm> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _vms];
            }
        }
    }

    /// <summary>Adds or replaces (by name, vCenter and datacenter) a VM.</summary>
    /// <param name="vm">The VM.</param>
    public void Upsert(SimulatedVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        lock (_lock)
        {
            _vms.RemoveAll(v => v.Name == vm.Name && v.VCenter == vm.VCenter && v.Datacenter == vm.Datacenter);
            _vms.Add(vm);
        }
    }

    /// <summary>Changes one VM.</summary>
    /// <param name="name">The VM name.</param>
    /// <param name="change">The change.</param>
    /// <returns>The changed VM.</returns>
    public SimulatedVm Change(string name, Func<SimulatedVm, SimulatedVm> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var index = _vms.FindIndex(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new KeyNotFoundException($"No simulated VM is named '{name}'.");
            }

            _vms[index] = change(_vms[index]);
            return _vms[index];
        }
    }

    /// <summary>Resizes a disk (drift).</summary>
    /// <param name="name">The VM name.</param>
    /// <param name="diskIndex">The disk's position.</param>
    /// <param name="capacityBytes">The new capacity.</param>
    /// <returns>The changed VM.</returns>
    public SimulatedVm ResizeDisk(string name, int diskIndex, long capacityBytes) =>
        Change(name, vm => vm with { Disks = [.. vm.Disks.Select((d, i) => i == diskIndex ? d with { CapacityBytes = capacityBytes } : d)] });

    /// <summary>Adds a NIC (drift).</summary>
    /// <param name="name">The VM name.</param>
    /// <param name="networkName">The network.</param>
    /// <returns>The changed VM.</returns>
    public SimulatedVm AddNic(string name, string networkName) =>
        Change(name, vm => vm with { Nics = [.. vm.Nics, new SimulatedNic($"Network adapter {vm.Nics.Count + 1}", networkName, "vmxnet3", Mac(), true)] });

    /// <summary>Replaces a VM by a new one with the same name and a new VMware id (identity change).</summary>
    /// <param name="name">The VM name.</param>
    /// <returns>The new VM.</returns>
    public SimulatedVm Replace(string name) => Change(name, vm => vm with { Id = Uuid() });

    /// <summary>Adds an RDM disk to a VM (it can no longer be replicated).</summary>
    /// <param name="name">The VM name.</param>
    /// <returns>The changed VM.</returns>
    public SimulatedVm AddRdmDisk(string name) =>
        Change(name, vm => vm with { Disks = [.. vm.Disks, new SimulatedDisk(2000 + vm.Disks.Count, 10L << 30, "", "", false, vm.Disks.Count)] });

    internal IReadOnlyList<SimulatedVm> In(string vcenter, string datacenter)
    {
        lock (_lock)
        {
            return [.. _vms.Where(v => string.Equals(v.VCenter, vcenter, StringComparison.OrdinalIgnoreCase) && v.Datacenter == datacenter)];
        }
    }

    /// <summary>Host names compare as DNS does: ignoring case.</summary>
    internal bool Knows(string vcenter) => All.Any(v => string.Equals(v.VCenter, vcenter, StringComparison.OrdinalIgnoreCase));

    private SimulatedVm Generate(string name, string vcenter, string dc, SimulatorOptions options)
    {
        var windows = _random.Next(4) == 0;
        var diskCount = 1 + _random.Next(3);
        var disks = new List<SimulatedDisk>();
        for (var d = 0; d < diskCount; d++)
        {
            var gib = DiskSizesGib[_random.Next(DiskSizesGib.Length)];
            disks.Add(new SimulatedDisk(2000 + d, (long)gib << 30, "datastore1", d == 0 ? $"{name}/{name}.vmdk" : $"{name}/{name}_{d}.vmdk", _random.Next(2) == 0, d));
        }

        if (_random.NextDouble() < options.RdmDiskRate)
        {
            disks.Add(new SimulatedDisk(2000 + diskCount, 10L << 30, "", "", false, diskCount));
        }

        var nics = new List<SimulatedNic>();
        for (var n = 0; n < 1 + _random.Next(2); n++)
        {
            var network = _random.NextDouble() < options.FallbackNetworkRate ? Fallbacks[_random.Next(Fallbacks.Length)] : Networks[_random.Next(Networks.Length)];
            nics.Add(new SimulatedNic($"Network adapter {n + 1}", network, AdapterTypes[_random.Next(AdapterTypes.Length)], Mac(), _random.Next(5) != 0));
        }

        return new SimulatedVm
        {
            Id = Uuid(), Name = name, VCenter = vcenter, Datacenter = dc, Folder = Folders[_random.Next(Folders.Length)],
            PowerState = _random.Next(6) == 0 ? "poweredOff" : "poweredOn", GuestOs = windows ? "windows" : "linux",
            MemoryMb = 1024 << _random.Next(5), NumCpu = 1 << _random.Next(4), VmxVersion = $"vmx-{15 + _random.Next(6)}",
            Disks = disks, Nics = nics,
        };
    }

    private string Uuid()
    {
        lock (_lock)
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }
    }

    private string Mac() => string.Create(CultureInfo.InvariantCulture, $"00:50:56:{_random.Next(256):x2}:{_random.Next(256):x2}:{_random.Next(256):x2}");
}
