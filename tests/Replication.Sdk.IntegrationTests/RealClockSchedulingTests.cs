using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

/// <summary>
/// The scheduler as users run it: a host built as the getting-started guide says, on <see cref="TimeProvider.System"/>,
/// against the simulator on loopback. Nothing is triggered by hand: every execution here is the cron firing by itself.
/// The bounds are generous (behaviour, not benchmarks) and each test ends well within 15 s.
/// </summary>
public sealed class RealClockSchedulingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(14);

    [Theory]
    [InlineData("UTC")]
    [InlineData("Asia/Kathmandu")] // UTC+05:45: a zone whose offset is not whole hours
    public async Task SecondsSchedule_FiresByItselfRepeatedly_OnTheGrid_AndFinishesItsJobs(string zone)
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, JobDuration = TimeSpan.FromMilliseconds(300) });
        var recorder = new Recorder();
        using var host = BuildHost(sim, recorder);
        Load(host, "*/2 * * * * *", zone, vms: 2);
        using var bound = new CancellationTokenSource(Bound);

        await host.StartAsync(bound.Token);
        var runs = await recorder.WaitForAsync(3, bound.Token);
        await host.StopAsync(bound.Token);

        runs.Should().OnlyContain(e => e.TriggerKind == TriggerKind.Scheduled, "nothing was triggered by hand");
        runs.Should().OnlyContain(e => e.ScheduledFor.Ticks % TimeSpan.TicksPerSecond == 0 && e.ScheduledFor.Second % 2 == 0, "occurrences sit on the */2 grid");
        runs.Select(e => e.ScheduledFor).Should().OnlyHaveUniqueItems("each occurrence fires once (executions may overlap and finish out of order)");
        runs.Should().OnlyContain(e => e.StartedAt - e.ScheduledFor < TimeSpan.FromSeconds(2) && e.StartedAt >= e.ScheduledFor, "each starts on time");

        // On a loaded machine a job may outlive the 2 s period: the next run then honestly skips that VM (its job is
        // still active) instead of creating a second one. Anything else is a failure, and some run finishes both jobs.
        // Likewise an occurrence that comes while the previous execution still runs is skipped whole (overlap policy Skip).
        foreach (var run in runs)
        {
            if (run.Status == ExecutionStatus.Skipped)
            {
                (run.SkipReason, run.VmOutcomes.Count).Should().Be((ExecutionSkipReason.Overlap, 0), "run {0} at {1:O} was skipped: {2}", run.Id, run.ScheduledFor, run.Reason);
                continue;
            }

            run.VmOutcomes.Should().HaveCount(2).And.OnlyContain(
                o => o.Kind == VmOutcomeKind.JobCompleted || (o.Kind == VmOutcomeKind.Skipped && o.SkipReason == SkipReason.ActiveJob),
                "run {0} at {1:O}: {2}", run.Id, run.ScheduledFor, string.Join("; ", run.VmOutcomes.Select(o => $"{o.VmName} {o.Kind} {o.SkipReason} {o.Reason}")));
        }

        runs.Should().Contain(e => e.Status == ExecutionStatus.Completed && e.JobsCompleted == 2);
    }

    [Fact]
    public async Task HostStoppedWhileAnExecutionRuns_StopsWithinItsBound_AndTheRecordSaysSo()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, JobDuration = TimeSpan.FromMinutes(10) });
        var recorder = new Recorder();
        using var host = BuildHost(sim, recorder);
        Load(host, "* * * * * *", "Europe/London", vms: 2);
        using var bound = new CancellationTokenSource(Bound);

        await host.StartAsync(bound.Token);
        await recorder.FirstJob.Task.WaitAsync(bound.Token);
        var stopping = Stopwatch.StartNew();
        using var stopBound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await host.StopAsync(stopBound.Token);
        stopping.Stop();

        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "stopping waits for records, not for jobs");
        var store = host.Services.GetRequiredService<InMemoryExecutionStore>();
        store.All.Should().NotBeEmpty().And.OnlyContain(e => e.IsFinished, "no record is left running after a clean stop");
        store.All.Should().Contain(e => e.Status == ExecutionStatus.Cancelled && e.VmOutcomes.Any(o => o.Kind == VmOutcomeKind.JobInProgress && o.JobId != null),
            "the job that was running is left to the appliance and named");
    }

    private static IHost BuildHost(ApplianceSimulator sim, Recorder recorder) => SimulatorHost.Build(sim, "real-clock", recorder);

    private static void Load(IHost host, string cron, string zone, int vms)
    {
        var store = host.Services.GetRequiredService<InMemoryScheduleStore>();
        store.Upsert(new ReplicationSchedule { Id = "fast", Name = "fast", CronExpression = cron, TimeZone = zone, MaxConcurrentJobs = 4, RetryAttempts = 0 });
        store.Upsert(new MachineGroup { Id = "g", Name = "g", ScheduleId = "fast", MaxConcurrentVms = 4 });
        for (var i = 1; i <= vms; i++)
        {
            var name = $"vm{i:000}";
            store.Upsert(new ScheduledVm { ContextId = $"ctx-{name}", VmName = name, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
            store.Upsert(new GroupMembership { GroupId = "g", VmContextId = $"ctx-{name}", Priority = i });
        }
    }

    private sealed class Recorder : IExecutionObserver
    {
        private readonly ConcurrentQueue<ScheduleExecution> _finished = new();
        private readonly SemaphoreSlim _signal = new(0);

        public TaskCompletionSource FirstJob { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnJobStartedAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken)
        {
            FirstJob.TrySetResult();
            return default;
        }

        public ValueTask OnExecutionFinishedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
        {
            _finished.Enqueue(execution);
            _signal.Release();
            return default;
        }

        public async Task<IReadOnlyList<ScheduleExecution>> WaitForAsync(int count, CancellationToken ct)
        {
            while (_finished.Count < count)
            {
                await _signal.WaitAsync(ct);
            }

            return [.. _finished.Take(count)];
        }
    }
}
