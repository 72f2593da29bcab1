using Replication.Sdk.Oma;

namespace Replication.Sdk.Tests.TestSupport;

internal static class Requests
{
    public static CreateReplicationRequest Create(Func<SourceVm, SourceVm>? vm = null, int osseaConfigId = 7) => new()
    {
        SourceVm = (vm ?? (v => v))(new SourceVm
        {
            Id = "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e",
            Name = "web01",
            Path = "/DC1/vm/Prod/web01",
            Datacenter = "DC1",
            PowerState = "poweredOn",
            OsType = "linux",
            MemoryMb = 8192,
            Cpus = 4,
            VmxVersion = "vmx-15",
            Disks =
            [
                new SourceDisk { Id = "disk-2000", Label = "Hard disk 1", Path = "[datastore1] web01/web01.vmdk", VmdkPath = "[datastore1] web01/web01.vmdk", SizeGb = 40, CapacityBytes = 42949672960, Datastore = "datastore1", ProvisioningType = "thin" },
            ],
            Networks = [new SourceNetwork { Label = "Network adapter 1", NetworkName = "VM Network", AdapterType = "vmxnet3", MacAddress = "00:50:56:aa:bb:cc", Connected = true }],
        }),
        OsseaConfigId = osseaConfigId,
        ReplicationType = "initial",
        TargetNetwork = "net-a",
        VcenterHost = "vcenter.example.local",
        Datacenter = "DC1",
    };
}
