using System.Diagnostics;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.Tests.Engine;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>
/// The chaos soak: several scheduler instances on one store, driven by cron on a shared fake clock that never holds a
/// whole second, against the simulator with every fault kind at a rate, store failures, one instance frozen past its
/// lease and resumed, one killed. At the end the simulator's journal and the store are checked against the promises.
/// </summary>
internal static class ChaosSoak
{
    /// <summary>A start off the whole second, two days before New York's spring-forward (2026-03-08).</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 7, 20, 0, 0, 250, TimeSpan.Zero);

    public static async Task<ChaosReport> RunAsync(ChaosSettings settings)
    {
        var watch = Stopwatch.StartNew();
        var clock = new TestClock(Start) { Overshoot = TimeSpan.FromMilliseconds(370), Guard = settings.RealTimeLimit };
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions
        {
            VmCount = settings.Vms, Seed = settings.Seed, TimeProvider = clock, JobDuration = TimeSpan.FromMinutes(3), LoginToken = "chaos-login", FallbackNetworkRate = 0,
        });
        ChaosFaults.Add(sim.Faults, settings.FaultRate);
        var schedules = new InMemoryScheduleStore();
        var plan = ChaosWorkload.Load(schedules, settings.Vms);
        var leases = new InMemoryInstanceLeaseStore();

        // Writes are checked against the leases under one lock, as a database checks them in one transaction.
        var executions = new InMemoryExecutionStore(historyLimit: 1_000_000, leases);
        var dice = new ChaosDice(settings.Seed, settings.StoreFaultRate);

        var instances = new List<ChaosInstance>();
        var leaseLosses = 0;
        for (var i = 0; i < settings.Instances; i++)
        {
            instances.Add(ChaosInstance.Create(i, sim, clock, schedules, executions, leases, dice));
        }

        try
        {
            foreach (var instance in instances)
            {
                await instance.StartAsync();
            }

            var end = Start + settings.Duration;
            await clock.RunUntilAsync(DriveAsync(settings, clock, instances, executions, end), maxJump: TimeSpan.FromMinutes(5));

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

        return ChaosInvariants.Check(settings, sim, executions, plan, Start, Start + settings.Duration, dice, watch.Elapsed) with { LeaseLosses = leaseLosses };
    }

    private static async Task DriveAsync(ChaosSettings settings, TimeProvider clock, List<ChaosInstance> instances, InMemoryExecutionStore executions, DateTimeOffset end)
    {
        var lease = ChaosInstance.LeaseDuration;
        if (settings.FreezeOne && instances.Count > 1)
        {
            await Until(clock, Start + (settings.Duration * 0.3));
            var frozen = await BusyInstanceAsync(clock, instances, executions, except: null);
            frozen.Freezer.Freeze();
            await Until(clock, clock.GetUtcNow() + lease + TimeSpan.FromMinutes(2));
            frozen.Freezer.Thaw();
        }

        if (settings.KillOne && instances.Count > 2)
        {
            await Until(clock, Start + (settings.Duration * 0.6));
            (await BusyInstanceAsync(clock, instances, executions, except: instances.FirstOrDefault(i => i.Killed))).Kill();
        }

        await Until(clock, end);
    }

    /// <summary>An instance in the middle of an execution, so its freeze or death leaves work to take over.</summary>
    private static async Task<ChaosInstance> BusyInstanceAsync(TimeProvider clock, List<ChaosInstance> instances, InMemoryExecutionStore executions, ChaosInstance? except)
    {
        for (var tries = 0; tries < 120; tries++)
        {
            var owners = (await executions.GetRunningAsync()).Select(e => e.InstanceId).ToHashSet(StringComparer.Ordinal);
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
