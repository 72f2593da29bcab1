using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Replication.Sdk.Serialization;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Benchmarks;

/// <summary>Parsing a 10,000-VM discovery answer (generated in the VMA's exact shape): time and allocations vs the JSON size.</summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(4)]
public class InventoryParseBenchmarks
{
    private byte[] _json = [];

    public static byte[] Generate(int vms)
    {
        var text = new StringBuilder("{\"vcenter\":{\"host\":\"vcenter.example.local\",\"datacenter\":\"DC1\"},\"vms\":[");
        var random = new Random(3);
        for (var i = 0; i < vms; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var name = $"vm{i:00000}";
            text.Append($$"""{"id":"{{Guid.NewGuid()}}","name":"{{name}}","path":"/DC1/vm/Prod/{{name}}","datacenter":"DC1","power_state":"poweredOn","guest_os":"linux","memory_mb":8192,"num_cpu":4,"cpus":0,"os_type":"","vmx_version":"vmx-19","display_name":"","annotation":"","folder_path":"","vmware_tools_status":"","vmware_tools_version":"","disks":[""");
            var disks = 1 + random.Next(3);
            for (var d = 0; d < disks; d++)
            {
                text.Append(d > 0 ? "," : "").Append($$"""{"id":"disk-{{2000 + d}}","label":"Hard disk {{d + 1}}","path":"[datastore1] {{name}}/{{name}}_{{d}}.vmdk","vmdk_path":"[datastore1] {{name}}/{{name}}_{{d}}.vmdk","size_gb":40,"capacity_bytes":42949672960,"datastore":"datastore1","provisioning_type":"thin","unit_number":{{d}}}""");
            }

            text.Append($$"""],"networks":[{"label":"Network adapter 1","network_name":"VM Network","adapter_type":"vmxnet3","mac_address":"00:50:56:aa:bb:{{i % 256:x2}}","connected":true,"type":""}]}""");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    [GlobalSetup]
    public void Setup()
    {
        _json = Generate(10_000);
        Console.WriteLine($"// inventory JSON: {_json.Length:N0} bytes");
    }

    [Benchmark]
    public VmInventory Parse10000Vms() => JsonSerializer.Deserialize(_json, ReplicationJsonContext.Default.VmInventory)!;
}
