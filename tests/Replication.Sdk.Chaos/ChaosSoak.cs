using System.Diagnostics;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.Tests.Engine;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>
/// The chaos soak: several scheduler instances on one store (in-memory, or one MariaDB database), driven by cron on a shared fake clock that never holds a
/// whole second, against the simulator with every fault kind at a rate, store failures, one instance frozen past its
/// lease and resumed, one killed. At the end the simulator's journal and the store are checked against the promises.
/// </summary>
internal static class ChaosSoak
{
    /// <summary>A start off the whole second, two days before New York's spring-forward (2026-03-08).</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 7, 20, 0, 0, 250, TimeSpan.Zero);

    public static async Task<ChaosReport> RunAsync(ChaosSettings settings, IChaosStore store)
    {
        var watch = Stopwatch.StartNew();
        var clock = new TestClock(Start) { Overshoot = TimeSpan.FromMilliseconds(370), Guard = settings.RealTimeLimit };
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions
        {
            VmCount = settings.Vms, Seed = settings.Seed, TimeProvider = clock, JobDuration = TimeSpan.FromMinutes(3), LoginToken = "chaos-login", FallbackNetworkRate = 0,
        });
        ChaosFaults.Add(sim.Faults, settings.FaultRate);
        var workload = ChaosWorkload.Create(sim.Inventory);
        await store.LoadAsync(workload);
        var dice = new ChaosDice(settings.Seed, settings.StoreFaultRate);

        var instances = new List<ChaosInstance>();
        var leaseLosses = 0;
        for (var i = 0; i < settings.Instances; i++)
        {
            instances.Add(ChaosInstance.Create(i, sim, clock, store, dice));
        }

        // A database call is real I/O that takes real time: the clock never jumps over one (a killed instance's calls end too).
        clock.IsBusy = () => store.IsBusy || instances.Exists(i => i.Flight.Busy);

        try
        {
            foreach (var instance in instances)
            {
                await instance.StartAsync();
            }

            var end = Start + settings.Duration;
            await clock.RunUntilAsync(DriveAsync(settings, clock, instances, store, end), maxJump: TimeSpan.FromMinutes(5));

            // A clean stop of every live instance; a killed one never stops (its lease lapsed long before).
            foreach (var instance in instances.Where(i => !i.Killed))
            {
                await clock.RunUntilAsync(instance.StopAsync(), maxJump: TimeSpan.FromMinutes(1));
            }

            leaseLosses = instances.Sum(i => i.LeaseLosses);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }

        var recorded = await store.ReadAllAsync(workload.Plan.Keys);
        var report = ChaosInvariants.Check(settings, sim, recorded, workload.Plan, Start, Start + settings.Duration, dice, watch.Elapsed);
        return report with { LeaseLosses = leaseLosses, Store = store.Name, Violations = [.. report.Violations, .. await store.CheckDerivedAsync(recorded)] };
    }

    private static async Task DriveAsync(ChaosSettings settings, TimeProvider clock, List<ChaosInstance> instances, IChaosStore store, DateTimeOffset end)
    {
        var lease = ChaosInstance.LeaseDuration;
        if (settings.FreezeOne && instances.Count > 1)
        {
            await Until(clock, Start + (settings.Duration * 0.3));
            var frozen = await BusyInstanceAsync(clock, instances, store, except: null);
            frozen.Freezer.Freeze();
            await Until(clock, clock.GetUtcNow() + lease + TimeSpan.FromMinutes(2));
            frozen.Freezer.Thaw();
        }

        if (settings.KillOne && instances.Count > 2)
        {
            await Until(clock, Start + (settings.Duration * 0.6));
            (await BusyInstanceAsync(clock, instances, store, except: instances.FirstOrDefault(i => i.Killed))).Kill();
        }

        await Until(clock, end);
    }

    /// <summary>An instance in the middle of an execution, so its freeze or death leaves work to take over.</summary>
    private static async Task<ChaosInstance> BusyInstanceAsync(TimeProvider clock, List<ChaosInstance> instances, IChaosStore store, ChaosInstance? except)
    {
        for (var tries = 0; tries < 120; tries++)
        {
            var owners = (await store.GetRunningAsync()).Select(e => e.InstanceId).ToHashSet(StringComparer.Ordinal);
            if (instances.FirstOrDefault(i => i != except && !i.Killed && owners.Contains(i.Id)) is { } busy)
            {
                return busy;
            }

            await Until(clock, clock.GetUtcNow() + TimeSpan.FromSeconds(20));
        }

        return instances.First(i => i != except && !i.Killed);
    }

    private static Task Until(TimeProvider clock, DateTimeOffset at) =>
        at > clock.GetUtcNow() ? Task.Delay(at - clock.GetUtcNow(), clock) : Task.CompletedTask;
}
