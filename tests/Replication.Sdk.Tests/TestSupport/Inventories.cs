using System.Text.Json;
using Replication.Sdk.Serialization;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.TestSupport;

internal static class Inventories
{
    public static VmInventory RealDc0() =>
        JsonSerializer.Deserialize(Fixtures.Read("vma-real/extra-discover-all.json"), ReplicationJsonContext.Default.VmInventory)!;

    public static DiscoveredVm Vm(string name, string id, string? path = null, Func<DiscoveredVm, DiscoveredVm>? change = null)
    {
        var vm = new DiscoveredVm
        {
            Id = id,
            Name = name,
            Path = path ?? $"/DC1/vm/Prod/{name}",
            Datacenter = "DC1",
            PowerState = "poweredOn",
            GuestOs = "linux",
            MemoryMb = 8192,
            NumCpu = 4,
            VmxVersion = "vmx-15",
            Disks =
            [
                new DiscoveredDisk { Id = "disk-2000", Label = "Hard disk 1", Path = $"[datastore1] {name}/{name}.vmdk", VmdkPath = $"[datastore1] {name}/{name}.vmdk", SizeGb = 40, CapacityBytes = 42949672960, Datastore = "datastore1", ProvisioningType = "thin" },
                new DiscoveredDisk { Id = "disk-2001", Label = "Hard disk 2", Path = $"[datastore1] {name}/{name}_1.vmdk", VmdkPath = $"[datastore1] {name}/{name}_1.vmdk", SizeGb = 101, CapacityBytes = 107374182912, Datastore = "datastore1", ProvisioningType = "thick", UnitNumber = 1 },
            ],
            Networks = [new DiscoveredNetwork { Label = "Network adapter 1", NetworkName = "VM Network", AdapterType = "vmxnet3", MacAddress = "00:50:56:aa:bb:cc", Connected = true }],
        };
        return change?.Invoke(vm) ?? vm;
    }

    public static VmInventory Of(params DiscoveredVm[] vms) => new() { VCenter = new VCenterInfo { Host = "vcenter.example.local", Datacenter = "DC1" }, Vms = vms };

    /// <summary>The substring trap: the VMA returns all of these for filter "web01".</summary>
    public static VmInventory Web01Family() => Of(
        Vm("web010", "4210a1b2-0000-0000-0000-000000000010"),
        Vm("WEB01-old", "4210a1b2-0000-0000-0000-0000000000aa"),
        Vm("testweb01", "4210a1b2-0000-0000-0000-0000000000bb"),
        Vm("web01", "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e"));

    public static string Json(VmInventory inventory) => JsonSerializer.Serialize(inventory, ReplicationJsonContext.Default.VmInventory);
}
