using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

public sealed class LeaseTakeoverTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ExpiredLease_ExactlyOneSurvivorInterruptsAndReattaches()
    {
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock);
        var store = new InMemoryScheduleStore();
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        var dead = (await leases.TryAcquireAsync("engine-dead", Start.AddHours(-1), Start.AddMinutes(-1))).Lease!;
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "orphan", ScheduleId = "s1", ScheduledFor = Start.AddHours(-1), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddHours(-1), InstanceId = "engine-dead", LeaseToken = dead.Token,
            VmOutcomes =
            [
                new VmOutcome { ContextId = "c0", VmName = "vm0", GroupId = "g1", Kind = VmOutcomeKind.JobInProgress, JobId = "job-running" },
                new VmOutcome { ContextId = "c1", VmName = "vm1", GroupId = "g1", Kind = VmOutcomeKind.Submitting },
            ],
        });
        oma.AddJob("job-running", "vm0", ["replicating", "replicating", "completed"]);
        await using var b = Survivor("engine-b");
        await using var c = Survivor("engine-c");
        b.Schedule(cron: "0 12 * * *");

        await b.StartAsync();
        await c.StartAsync();
        await clock.RunUntilAsync(WaitUntil(() => executions.All[0].VmOutcomes[0].Kind == VmOutcomeKind.JobCompleted), maxJump: TimeSpan.FromSeconds(10));
        await b.StopAsync();
        await c.StopAsync();

        var taken = executions.All.Single();
        taken.Status.Should().Be(ExecutionStatus.Interrupted);
        taken.LeaseToken.Should().NotBe(dead.Token, "the survivor owns the record now");
        taken.InstanceId.Should().BeOneOf("engine-b", "engine-c");
        taken.VmOutcomes.Select(o => o.Kind).Should().Equal(VmOutcomeKind.JobCompleted, VmOutcomeKind.OutcomeUnknown);
        taken.Reason.Should().Contain("'engine-dead' stopped renewing its lease");
        new[] { "engine-b", "engine-c" }.Count(id => taken.Reason!.Contains($"'{id}'", StringComparison.Ordinal)).Should().Be(1);
        b.Observer.Finished.Concat(c.Observer.Finished).Where(e => e.Id == "orphan").Should().ContainSingle("one survivor took it over");
        b.Submitter.Submissions.Concat(c.Submitter.Submissions).Should().BeEmpty("a takeover never resends");
        leases.Leases.Should().BeEmpty("both survivors stopped cleanly and the dead lease was claimed");

        SchedulerHarness Survivor(string id) => Instance(id, executions, oma, clock, store, leases);
    }

    [Fact]
    public async Task LiveInstance_KeepsItsExecutions_AndReleasesItsLeaseOnACleanStop()
    {
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock) { Lifecycle = ["replicating"] };
        var executions = new InMemoryExecutionStore();
        var store = new InMemoryScheduleStore();
        var leases = new InMemoryInstanceLeaseStore();
        await using var a = Engine("engine-a");
        await using var b = Engine("engine-b");
        a.Schedule(cron: "0 12 * * *");
        a.Group("g1");
        a.Vms("g1", 1);
        await a.StartAsync();
        await b.StartAsync();

        var id = await a.Scheduler.TriggerAsync("s1", "test", "alice");
        await clock.RunUntilAsync(WaitUntil(() => oma.ActiveJobs() == 1), maxJump: TimeSpan.Zero);
        var until = clock.GetUtcNow().AddMinutes(30);
        await clock.RunUntilAsync(WaitUntil(() => clock.GetUtcNow() >= until), maxJump: TimeSpan.FromSeconds(10));

        executions.All.Single(e => e.Id == id).Status.Should().Be(ExecutionStatus.Running, "engine-a renews its lease, so nobody takes it over");
        leases.Leases.Keys.Should().BeEquivalentTo("engine-a", "engine-b");

        await a.StopAsync();
        leases.Leases.Keys.Should().Equal("engine-b");
        executions.All.Single(e => e.Id == id).Status.Should().Be(ExecutionStatus.Cancelled);
        await b.StopAsync();

        SchedulerHarness Engine(string instance) => Instance(instance, executions, oma, clock, store, leases);
    }

    /// <summary>One scheduler instance on the shared stores, with a 2-minute lease renewed every 30 seconds.</summary>
    private static SchedulerHarness Instance(string id, InMemoryExecutionStore executions, FakeOma oma, TestClock clock, InMemoryScheduleStore store, InMemoryInstanceLeaseStore leases) =>
        SchedulerHarness.Create(
            Start, id, executions, oma, clock, store,
            configure: builder => builder.Services.Replace(ServiceDescriptor.Singleton(leases)),
            options: o =>
            {
                o.LeaseDuration = TimeSpan.FromMinutes(2);
                o.LeaseRenewInterval = TimeSpan.FromSeconds(30);
            });

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
