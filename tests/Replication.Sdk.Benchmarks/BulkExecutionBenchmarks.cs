using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Benchmarks;

/// <summary>
/// One schedule over a 1,000-VM group on the simulator with fixed latencies (discovery 500 ms for the whole inventory,
/// create 100 ms, a job completes 200 ms after creation), concurrency 20. Floor: one discovery + ceil(N / C) × (create +
/// completion) = 0.5 + 50 × 0.3 = 15.5 s. Beside it, the upstream-style path — a discovery per VM and sequential creates —
/// on a sample of VMs, to report the speed-up per VM.
/// </summary>
[WarmupCount(0)]
[IterationCount(2)]
[InvocationCount(1)]
public class BulkExecutionBenchmarks
{
    public const int Vms = 1_000;
    public const int Concurrency = 20;
    public const int UpstreamSample = 10;
    private ApplianceSimulator _sim = null!;
    private ServiceProvider _services = null!;

    public static TimeSpan Floor => TimeSpan.FromMilliseconds(500 + Math.Ceiling(Vms / (double)Concurrency) * (100 + 200));

    [GlobalSetup]
    public async Task Setup()
    {
        _sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = Vms, JobDuration = TimeSpan.FromMilliseconds(200), FallbackNetworkRate = 0 });
        _sim.Faults
            .Add(new FaultRule { Endpoint = "POST /api/v1/discover", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(500), Times = 0 })
            .Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(100), Times = 0 });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = _sim.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = _sim.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "bench",
            ["Replication:Vma:VCenters:0:Password"] = "bench",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "bench",
            ["Replication:Jobs:MaxFilterNames"] = "25",
            ["Replication:Scheduler:JobPollInterval"] = "00:00:00.010",
            ["Replication:Scheduler:JobPollMaxInterval"] = "00:00:00.010",
            ["Replication:Scheduler:CheckParallelism"] = "32",
        }).Build());
        services.AddLogging();
        services.AddReplicationScheduling();
        _services = services.BuildServiceProvider();
        var store = _services.GetRequiredService<InMemoryScheduleStore>();
        store.Upsert(new ReplicationSchedule { Id = "bulk", Name = "bulk", CronExpression = "0 2 * * *", MaxConcurrentJobs = Concurrency });
        store.Upsert(new MachineGroup { Id = "all", Name = "all", ScheduleId = "bulk", MaxConcurrentVms = Concurrency });
        foreach (var vm in _sim.Inventory.All)
        {
            store.Upsert(new ScheduledVm { ContextId = vm.Name, VmName = vm.Name, VmwareVmId = vm.Id, VCenterHost = vm.VCenter, Datacenter = vm.Datacenter });
            store.Upsert(new GroupMembership { GroupId = "all", VmContextId = vm.Name });
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _services.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Benchmark]
    public async Task<ScheduleExecution> Sdk1000Vms()
    {
        var discoveriesBefore = _sim.Journal.For("POST", "/api/v1/discover").Count;
        var scheduler = _services.GetRequiredService<IReplicationScheduler>();
        var started = DateTime.UtcNow;
        var execution = await scheduler.WaitForExecutionAsync(await scheduler.TriggerAsync("bulk", "benchmark", "bench"));
        var elapsed = DateTime.UtcNow - started;
        var discoveries = _sim.Journal.For("POST", "/api/v1/discover").Count - discoveriesBefore;
        Console.WriteLine($"// bulk: {elapsed.TotalSeconds:0.00} s, floor {Floor.TotalSeconds:0.00} s, ratio {elapsed / Floor:0.000}, discoveries {discoveries}, completed {execution.JobsCompleted}/{Vms}");
        return execution;
    }

    [Benchmark]
    public async Task<int> UpstreamStyle10Vms()
    {
        var vma = _services.GetRequiredService<IVmaClient>();
        var oma = _services.GetRequiredService<IOmaClient>();
        var started = DateTime.UtcNow;
        var done = 0;
        foreach (var vm in _sim.Inventory.All.Take(UpstreamSample))
        {
            // Upstream: a full-inventory discovery per VM, then one blocking create, one VM at a time.
            var inventory = await vma.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = vm.VCenter, Datacenter = vm.Datacenter, NameFilters = [vm.Name] });
            var found = inventory.Vms.First(v => v.Name == vm.Name);
            var created = await oma.CreateReplicationAsync(new CreateReplicationRequest
            {
                SourceVm = new SourceVm
                {
                    Id = found.Id, Name = found.Name, Path = found.Path, Cpus = found.NumCpu, MemoryMb = found.MemoryMb,
                    Disks = [.. found.Disks.Select(d => new SourceDisk { Id = d.Id, Path = d.Path, CapacityBytes = d.CapacityBytes, SizeGb = d.SizeGb })],
                },
                OsseaConfigId = 7, VcenterHost = vm.VCenter, Datacenter = vm.Datacenter,
            });
            var jobId = ((ReplicationJobStarted)created).JobId;
            while (!(await oma.GetReplicationJobAsync(jobId)).Status.IsTerminal)
            {
                await Task.Delay(10);
            }

            done++;
        }

        var perVm = (DateTime.UtcNow - started) / UpstreamSample;
        Console.WriteLine($"// upstream-style: {perVm.TotalMilliseconds:0} ms per VM sequentially → {perVm.TotalSeconds * Vms:0} s for {Vms} VMs");
        return done;
    }
}
