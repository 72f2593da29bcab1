using System.Diagnostics;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.Tests.Engine;
using Replication.Sdk.Testing;
using Xunit.Abstractions;

namespace Replication.Sdk.Chaos;

/// <summary>
/// Issue 13 item 10: under the soak's fault mix, with a schedule's default retry settings, a run ends with nearly every VM
/// replicated. The shape of the issue's measurement: every VM in each of many manual executions, one after another, each
/// fault kind at 5 %. Between executions an operator does what the docs tell operators to do with
/// <see cref="VmOutcomeKind.BlockedByStaleJob"/>: cleans up the job a failed create left behind (the OMA neither rolls it
/// back nor marks it failed, so its VM stays blocked until then). Long mode: <c>REPLICATION_CHAOS=long</c> (100 VMs × 22).
/// </summary>
public sealed class RecoveryUnderFaultsTests(ITestOutputHelper output)
{
    /// <summary>
    /// The faults after which the OMA itself fails the job a create made: a 500 after the job row (its workflow failed to
    /// start) and a create held past the OMA's write timeout. Only these may leave a VM slot unreplicated, at most one slot
    /// per injected fault. How many there are depends on which requests the seeded dice hit, which the interleaving of the
    /// requests decides, so the bound is the count injected in this run, not a fixed share (a fixed 90 % failed a CI run
    /// that drew 17 workflow failures, against 4 and 5 in others).
    /// </summary>
    private static readonly string[] OmaFailsTheJob = ["WorkflowFailure on POST /api/v1/replications", "Latency on POST /api/v1/replications"];

    private static readonly DateTimeOffset Start = new(2026, 3, 7, 20, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task ManualExecutionsUnderEveryFault_WithDefaultRetries_ReplicateNearlyEveryVm()
    {
        var (isLong, seed) = (ChaosRun.IsLong, ChaosRun.Seed);
        var (vms, rounds) = isLong ? (100, 22) : (24, 6);

        var (report, cleanedUp, notReplicated) = await RunAsync(seed, vms, rounds, isLong ? TimeSpan.FromHours(3) : TimeSpan.FromMinutes(5));

        output.WriteLine(report.ToString());
        output.WriteLine($"  operator clean-ups of VMs a failed create left blocked: {cleanedUp}");
        output.WriteLine($"  not replicated:\n    {string.Join("\n    ", notReplicated.Take(40).Select(o => o.Text))}");
        report.Violations.Should().BeEmpty(report.ToString());
        report.VmSlots.Should().Be(vms * rounds, "every VM of every execution has its outcome");
        var omaFailures = OmaFailsTheJob.Sum(kind => report.FaultsByKind.GetValueOrDefault(kind));
        notReplicated.Count.Should().BeLessThanOrEqualTo(omaFailures, "each slot left unreplicated is owed to one injected fault after which the OMA failed the job itself");
        report.VmsReplicated.Should().Be(report.VmSlots - notReplicated.Count, "every other slot ends replicated (the issue measured a seventh before its fixes)");
        notReplicated.Should().OnlyContain(
            o => o.Outcome.JobId != null && (o.Outcome.Kind == VmOutcomeKind.CreateFailed || o.Outcome.Kind == VmOutcomeKind.JobStale),
            "a VM is only left unreplicated by a job the OMA itself failed (a 500 after the job row, a create past its write timeout); every failure before or around the create is retried or reconciled");
    }

    private static async Task<(ChaosReport Report, int CleanedUp, IReadOnlyList<(VmOutcome Outcome, string Text)> NotReplicated)> RunAsync(int seed, int vms, int rounds, TimeSpan realTimeLimit)
    {
        var watch = Stopwatch.StartNew();
        var clock = new TestClock(Start) { Overshoot = TimeSpan.FromMilliseconds(370), Guard = realTimeLimit };
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions
        {
            VmCount = vms, Seed = seed, TimeProvider = clock, JobDuration = TimeSpan.FromMinutes(3), LoginToken = "chaos-login", FallbackNetworkRate = 0,
        });
        var settings = new ChaosSettings { Seed = seed, Instances = 1, Vms = vms, StoreFaultRate = 0, FreezeOne = false, KillOne = false, RealTimeLimit = realTimeLimit };
        ChaosFaults.Add(sim.Faults, settings.FaultRate);
        var workload = ChaosWorkload.Manual(sim.Inventory, maxConcurrentJobs: 10);
        await using var store = new InMemoryChaosStore();
        await store.LoadAsync(workload);
        var dice = new ChaosDice(seed, settings.StoreFaultRate);
        var instance = ChaosInstance.Create(0, sim, clock, store, dice);
        var cleanedUp = 0;
        var removed = new List<SimulatedJob>();
        try
        {
            await instance.StartAsync();
            for (var round = 1; round <= rounds; round++)
            {
                var id = await clock.RunUntilAsync(instance.Scheduler.TriggerAsync("manual", $"round {round}", "operator"));
                var done = await clock.RunUntilAsync(instance.Scheduler.WaitForExecutionAsync(id), maxJump: TimeSpan.FromMinutes(5));
                cleanedUp += CleanUp(sim, done, removed);
                await clock.RunUntilAsync(Task.Delay(TimeSpan.FromHours(1), clock), maxJump: TimeSpan.FromMinutes(5));
            }

            await clock.RunUntilAsync(instance.StopAsync(), maxJump: TimeSpan.FromMinutes(1));
        }
        finally
        {
            await instance.DisposeAsync();
        }

        var end = clock.GetUtcNow();
        var recorded = await store.ReadAllAsync(workload.Plan.Keys);
        var report = ChaosInvariants.Check(settings with { Duration = end - Start }, sim, recorded, workload.Plan, Start, end, dice, watch.Elapsed);
        var notReplicated = recorded.OrderBy(e => e.StartedAt).SelectMany(e => e.VmOutcomes.Where(o => o.Kind != VmOutcomeKind.JobCompleted)
            .Select(o => (o, $"{e.Reason} {o.VmName}: {o.Kind} {o.SkipReason} after {o.Attempts} attempts, job {o.JobId}: {o.Reason}"))).ToList();
        return (report with { Store = store.Name, Violations = [.. report.Violations, .. DuplicatesAmongRemoved(sim, removed)] }, cleanedUp, notReplicated);
    }

    /// <summary>
    /// The operator's clean-up of the appliance's defect 16 (a failed create leaves its job row in a setup status and
    /// <c>current_job_id</c> pointing at it): for every VM an outcome reports blocked, or whose create left a job behind,
    /// the job row is removed and the context's current job cleared, as the appliance's operators do in its database. The
    /// API's DELETE would not do: the OMA then points the context at the newest remaining job, a completed one, which
    /// blocks the VM just the same (and the delete destroys that job's volumes). The removed jobs are kept for the checks.
    /// </summary>
    private static int CleanUp(ApplianceSimulator sim, ScheduleExecution execution, List<SimulatedJob> removed)
    {
        var leftBehind = execution.VmOutcomes
            .Where(o => o.JobId is not null && o.Kind is VmOutcomeKind.BlockedByStaleJob or VmOutcomeKind.JobStale or VmOutcomeKind.CreateFailed)
            .ToList();
        foreach (var outcome in leftBehind)
        {
            if (sim.Jobs.FirstOrDefault(j => j.Id == outcome.JobId) is { } job && sim.VanishJob(job.Id))
            {
                removed.Add(job);
            }

            sim.ChangeContext(outcome.VmName, c => c.CurrentJobId == outcome.JobId ? c with { CurrentJobId = null, CurrentStatus = "failed" } : c);
        }

        return leftBehind.Count;
    }

    /// <summary>The duplicate check over the jobs the clean-up removed, which the simulator no longer lists.</summary>
    private static IEnumerable<string> DuplicatesAmongRemoved(ApplianceSimulator sim, List<SimulatedJob> removed) =>
        sim.Jobs.Concat(removed)
            .GroupBy(j => (Execution: ChaosInvariants.ExecutionOf(j.RequestBody), Vm: j.VmName.ToUpperInvariant()))
            .Where(g => g.Count() > 1 && g.Any(removed.Contains))
            .Select(g => $"VM {g.Key.Vm} got {g.Count()} jobs from execution {g.Key.Execution} (one since cleaned up): {string.Join(", ", g.Select(j => j.Id))}");
}
