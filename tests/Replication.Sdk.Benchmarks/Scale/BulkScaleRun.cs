using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>
/// Issue 19 item 1: 10,000 VMs across 10 (vCenter, datacenter) pairs on the simulator with the bulk benchmark's latencies
/// (discovery 500 ms, create 100 ms, a job completes 200 ms after creation), one group per datacenter of 20 at once (200
/// overall). Floor: one discovery + ceil(1,000 / 20) × (create + completion) = 15.5 s, all pairs in parallel.
/// <c>--bulk</c>.
/// </summary>
internal static class BulkScaleRun
{
    private const int Vms = 10_000;
    private const int PerDatacenter = 20;

    public static async Task RunAsync()
    {
        var options = new SimulatorOptions { VmCount = Vms, JobDuration = TimeSpan.FromMilliseconds(200), FallbackNetworkRate = 0 };
        options.VCenters.Clear();
        options.Datacenters.Clear();
        foreach (var i in Enumerable.Range(1, 5))
        {
            options.VCenters.Add($"vcenter{i}.example.local");
        }

        options.Datacenters.Add("DC1");
        options.Datacenters.Add("DC2");
        await using var sim = await ApplianceSimulator.StartAsync(options);
        sim.Faults
            .Add(new FaultRule { Endpoint = "POST /api/v1/discover", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(500), Times = 0 })
            .Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(100), Times = 0 });
        await using var services = ScaleRun.Services(null, "bulk",
            ("Replication:Vma:BaseAddress", sim.VmaBaseAddress.ToString()),
            ("Replication:Oma:BaseAddress", sim.OmaBaseAddress.ToString()),
            ("Replication:Jobs:MaxFilterNames", "25"),
            ("Replication:Scheduler:JobPollInterval", "00:00:00.010"),
            // The defaults' ratio (15 s doubling to 2 min) at the benchmark's scale: 10 ms doubling to 80 ms.
            ("Replication:Scheduler:JobPollMaxInterval", "00:00:00.080"),
            ("Replication:Scheduler:CheckParallelism", "64"));
        var store = services.GetRequiredService<InMemoryScheduleStore>();
        store.Upsert(new ReplicationSchedule { Id = "bulk", Name = "bulk", CronExpression = "0 2 * * *", MaxConcurrentJobs = PerDatacenter * 10 });
        var pairs = sim.Inventory.All.GroupBy(vm => (vm.VCenter, vm.Datacenter)).ToList();
        foreach (var pair in pairs)
        {
            var group = $"{pair.Key.VCenter}/{pair.Key.Datacenter}";
            store.Upsert(new MachineGroup { Id = group, Name = group, ScheduleId = "bulk", MaxConcurrentVms = PerDatacenter });
            foreach (var vm in pair)
            {
                store.Upsert(new ScheduledVm { ContextId = vm.Name, VmName = vm.Name, VmwareVmId = vm.Id, VCenterHost = vm.VCenter, Datacenter = vm.Datacenter });
                store.Upsert(new GroupMembership { GroupId = group, VmContextId = vm.Name });
            }
        }

        var largest = pairs.Max(p => p.Count());
        var floor = TimeSpan.FromMilliseconds(500 + Math.Ceiling(largest / (double)PerDatacenter) * (100 + 200));
        var scheduler = services.GetRequiredService<IReplicationScheduler>();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var discoveries = sim.Journal.For("POST", "/api/v1/discover").Count;
        var statusReads = sim.Journal.For("GET", "/api/v1/replications/").Count;
        var progressReads = sim.Journal.For("GET", "/api/v1/progress/").Count;
        var clock = Stopwatch.StartNew();
        var execution = await scheduler.WaitForExecutionAsync(await scheduler.TriggerAsync("bulk", "benchmark", "bench"));
        var elapsed = clock.Elapsed;
        process.Refresh();
        Console.WriteLine($"bulk: {pairs.Count} (vCenter, datacenter) pairs, {Vms:N0} VMs (largest pair {largest}), {PerDatacenter} per datacenter; load average {ScaleRun.LoadAverage()}");
        Console.WriteLine($"bulk: {elapsed.TotalSeconds:F2} s, floor {floor.TotalSeconds:F2} s, ratio {elapsed / floor:F3} (target <= 1.05); "
            + $"discoveries {sim.Journal.For("POST", "/api/v1/discover").Count - discoveries} (target 10); completed {execution.JobsCompleted:N0}/{Vms:N0}");
        Console.WriteLine($"bulk: process CPU {(process.TotalProcessorTime - cpu).TotalMilliseconds / Vms:F2} ms per VM (SDK and simulator in one process), "
            + $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Vms / 1024:F1} KiB allocated per VM, peak RSS {process.PeakWorkingSet64 / (1024 * 1024)} MB (target <= 500 MB)");
        Console.WriteLine($"bulk: per job {(sim.Journal.For("GET", "/api/v1/replications/").Count - statusReads) / (double)Vms:F2} OMA status reads, "
            + $"{(sim.Journal.For("GET", "/api/v1/progress/").Count - progressReads) / (double)Vms:F2} VMA progress reads");
    }
}
