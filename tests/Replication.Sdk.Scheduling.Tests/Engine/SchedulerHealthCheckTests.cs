using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>The scheduler health check against the real engine on a test clock: loop, lease, store and overrunning executions.</summary>
public sealed class SchedulerHealthCheckTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Lifecycle_NotStarted_ThenHealthyWithItsLease_ThenStopped()
    {
        await using var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddHealthChecks().AddReplicationScheduler(tags: ["ops"]));
        h.Schedule(cron: "0 2 * * *");

        var before = await CheckAsync(h);
        before.Status.Should().Be(HealthStatus.Unhealthy);
        before.Description.Should().Contain("has not started");

        await h.StartAsync();
        await ParkedAsync(h);
        var running = await CheckAsync(h);
        running.Status.Should().Be(HealthStatus.Healthy, running.Description);
        running.Tags.Should().Equal("ops");
        running.Data["instance"].Should().Be("engine-a");
        running.Data["leaseExpiresAt"].Should().Be((Start + TimeSpan.FromDays(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        running.Data["plannedWakeUp"].Should().Be(new DateTimeOffset(2025, 3, 7, 2, 0, 0, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        await h.StopAsync();
        var stopped = await CheckAsync(h);
        stopped.Status.Should().Be(HealthStatus.Unhealthy);
        stopped.Description.Should().Contain("has stopped").And.Contain("does not hold its lease", "a clean stop gives the lease back");
    }

    [Fact]
    public async Task LeaseStoreDown_AtStart_IsUnhealthyWithTheReason_AndTheRegisteredFailureStatus()
    {
        await using var h = SchedulerHarness.Create(Start, configure: b =>
        {
            b.UseInstanceLeaseStore<DownLeaseStore>();
            b.Services.AddHealthChecks().AddReplicationScheduler(name: "sched", failureStatus: HealthStatus.Degraded);
        });
        h.Schedule();
        await h.StartAsync();

        var report = await Eventually(h, "sched", r => r.Description?.Contains("cannot start", StringComparison.Ordinal) == true);
        report.Status.Should().Be(HealthStatus.Degraded, "the registration's failure status is used");
        report.Description.Should().Contain("lease database is down").And.Contain("does not hold its lease");
        await h.StopAsync();
    }

    [Fact]
    public async Task ExecutionStoreUnreachable_IsUnhealthy_UntilItAnswersAgain()
    {
        var executions = new InMemoryExecutionStore();
        var flaky = new FlakyExecutionStore(executions);
        await using var h = SchedulerHarness.Create(Start, executions: executions, configure: b =>
        {
            b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky));
            b.Services.AddHealthChecks().AddReplicationScheduler();
        });
        h.Schedule();
        await h.StartAsync();
        await ParkedAsync(h);

        flaky.FailNextReads(1);
        var down = await CheckAsync(h);
        down.Status.Should().Be(HealthStatus.Unhealthy);
        down.Description.Should().Contain("execution store is not reachable: database not up yet");
        down.Exception.Should().BeOfType<IOException>();

        (await CheckAsync(h)).Status.Should().Be(HealthStatus.Healthy);
        await h.StopAsync();
    }

    [Fact]
    public async Task ExecutionRunningPastItsDeadline_IsDegraded_AndNamesIt()
    {
        await using var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddHealthChecks().AddReplicationScheduler());
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 30), "completed"]; // about 5 minutes of tracking at 10 s polls
        h.Schedule(cron: "*/2 * * * *");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();
        await ParkedAsync(h);

        // 00:02 starts the execution; its deadline is the next occurrence, 00:04; at 00:05 its job is still running.
        // The clock is held before the deadline until the job exists, so the VM is not simply left not started.
        h.Clock.Horizon = Start.AddMinutes(3);
        await h.Clock.RunUntilAsync(Until(() => !h.Submitter.Submissions.IsEmpty));
        h.Clock.Horizon = null;
        await h.Clock.RunUntilAsync(Task.Delay(Start.AddMinutes(5) - h.Clock.GetUtcNow(), h.Clock));
        await ParkedAsync(h);
        var late = await CheckAsync(h);

        late.Status.Should().Be(HealthStatus.Degraded, late.Description);
        var running = h.Executions.All.Single(e => e.Status == ExecutionStatus.Running);
        late.Description.Should().Contain($"1 executions are running past their deadline; the oldest is {running.Id} of schedule s1, due to end by 2025-03-07T00:04:00.0000000+00:00");

        (await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(running.Id))).Status.Should().Be(ExecutionStatus.Completed);
        (await CheckAsync(h)).Status.Should().Be(HealthStatus.Healthy, "the execution ended");
        await h.StopAsync();
    }

    private static async Task<HealthReportEntry> CheckAsync(SchedulerHarness h, string name = SchedulingHealthChecksBuilderExtensions.DefaultName)
    {
        var report = await h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[name];
    }

    /// <summary>Waits (in real time, bounded) for the engine's start-up to reach a state: it runs on the thread pool.</summary>
    private static async Task<HealthReportEntry> Eventually(SchedulerHarness h, string name, Func<HealthReportEntry, bool> condition)
    {
        var bound = Stopwatch.StartNew();
        while (true)
        {
            var entry = await CheckAsync(h, name);
            if (condition(entry) || bound.Elapsed > TimeSpan.FromSeconds(10))
            {
                return entry;
            }

            await Task.Delay(10);
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var bound = Stopwatch.StartNew();
        while (!condition() && bound.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }
    }

    private static async Task ParkedAsync(SchedulerHarness h)
    {
        var bound = Stopwatch.StartNew();
        while ((h.Engine.IsLoopBusy || h.Services.GetRequiredService<SchedulerHealth>().Read().State != SchedulerHealth.LoopState.Parked) && bound.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }
    }

    private sealed class DownLeaseStore : IInstanceLeaseStore
    {
        public Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the lease database is down");

        public Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the lease database is down");

        public Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the lease database is down");

        public Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
