using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>Issue 19 item 1, one status poll at a time (<c>--poll</c>): its CPU time and allocations, SDK and simulator in one process.</summary>
/// <remarks>
/// The simulator holds <c>--poll-jobs=N</c> jobs (10,000 by default, the end state of <c>--bulk</c>): all completed but
/// the polled one, which stays replicating. Three paths, each called one at a time: a bare HttpClient GET (the simulator
/// and a minimal client), the SDK's <see cref="IOmaClient.GetReplicationJobAsync"/>, and one tracker poll
/// (<see cref="IJobLivenessPolicy.JudgeAsync"/> with a history: the OMA read, and the VMA read it makes while the OMA row
/// does not move).
/// </remarks>
internal static class PollRun
{
    private const int Calls = 2_000;

    public static async Task RunAsync(int jobs)
    {
        var options = new SimulatorOptions { VmCount = Math.Max(jobs, 1), JobDuration = TimeSpan.FromMilliseconds(50), FallbackNetworkRate = 0 };
        await using var sim = await ApplianceSimulator.StartAsync(options);
        await using var services = ScaleRun.Services(null, "poll",
            ("Replication:Vma:BaseAddress", sim.VmaBaseAddress.ToString()),
            ("Replication:Oma:BaseAddress", sim.OmaBaseAddress.ToString()));
        var oma = services.GetRequiredService<IOmaClient>();
        var vms = sim.Inventory.All.Take(Math.Max(jobs, 1)).ToList();
        var polled = vms[^1];
        options.StalledVms.Add(polled.Name);
        var clock = Stopwatch.StartNew();
        var jobIds = new string[vms.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, vms.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            jobIds[i] = ((ReplicationJobStarted)await oma.CreateReplicationAsync(Request(vms[i]), ct)).JobId;
        });
        var jobId = jobIds[^1];
        await Task.Delay(options.JobDuration * 2);
        var replicating = sim.Jobs.Count(j => j.Status == "replicating");
        Console.WriteLine($"poll: {vms.Count:N0} jobs created in {clock.Elapsed.TotalSeconds:F1} s ({replicating} replicating); load average {ScaleRun.LoadAverage()}");

        using var raw = new HttpClient { BaseAddress = sim.OmaBaseAddress };
        var path = $"api/v1/replications/{jobId}";
        var bodyBytes = (await raw.GetByteArrayAsync(path)).Length;
        var liveness = services.GetRequiredService<IJobLivenessPolicy>();
        var history = new JobActivityHistory();
        await MeasureAsync($"bare HttpClient GET ({bodyBytes} B body)", async () => (await raw.GetByteArrayAsync(path)).Length);
        await MeasureAsync("IOmaClient.GetReplicationJobAsync", async () => (await oma.GetReplicationJobAsync(jobId)).ProgressPercent);
        await MeasureAsync("tracker poll (JudgeAsync: OMA + VMA reads)", async () => (int)(await liveness.JudgeAsync(jobId, history)).Liveness);
    }

    /// <summary>
    /// Warms up for 3 s (tiered JIT: the first calls run unoptimised code and compile in the background), then reports the
    /// cheapest of three rounds: the machine is shared, and other work only ever adds to a round.
    /// </summary>
    private static async Task MeasureAsync<T>(string name, Func<Task<T>> call)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3))
        {
            await call();
        }

        var rounds = new List<(double Cpu, double Bytes, double Wall)>();
        for (var round = 0; round < 3; round++)
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Calls; i++)
            {
                await call();
            }

            var wall = clock.Elapsed;
            process.Refresh();
            rounds.Add(((process.TotalProcessorTime - cpu).TotalMicroseconds / Calls, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Calls, wall.TotalMicroseconds / Calls));
        }

        var best = rounds.MinBy(r => r.Cpu);
        Console.WriteLine($"poll: {name}: {best.Cpu:F0} µs CPU (rounds {string.Join(" / ", rounds.Select(r => r.Cpu.ToString("F0", CultureInfo.InvariantCulture)))}), "
            + $"{best.Bytes:F0} B allocated, {best.Wall:F0} µs wall per call (process-wide, best of 3 × {Calls:N0} calls one at a time)");
    }

    private static CreateReplicationRequest Request(SimulatedVm vm) => new()
    {
        SourceVm = new SourceVm
        {
            Id = vm.Id, Name = vm.Name, Path = vm.Path, Datacenter = vm.Datacenter, Cpus = vm.NumCpu, MemoryMb = vm.MemoryMb,
            Disks = [.. vm.Disks.Select(d => new SourceDisk { Id = $"disk-{d.Key}", Path = $"[{d.Datastore}] {d.FileName}", CapacityBytes = d.CapacityBytes, SizeGb = (int)(d.CapacityBytes >> 30) })],
        },
        OsseaConfigId = 7, VcenterHost = vm.VCenter, Datacenter = vm.Datacenter,
    };
}
