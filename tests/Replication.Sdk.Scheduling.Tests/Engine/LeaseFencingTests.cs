using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>Issue 13 item 6: a lease taken over is fenced, so the instance that lost it writes nothing more and never tracks or creates twice.</summary>
public sealed class LeaseFencingTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task InstanceCutOffPastItsLease_WritesNothingAfterTheTakeover_TracksNothingTwice_AndRejoinsWithANewLease()
    {
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock) { Lifecycle = [.. Enumerable.Repeat("replicating", 60), "completed"] };
        var store = new InMemoryScheduleStore();
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        var cutOff = new PausableLeaseStore(leases);
        await using var a = Instance("engine-a", executions, clock, cutOff, oma, store);
        await using var b = Instance("engine-b", executions, clock, leases, oma, store);
        a.Schedule(cron: "0 12 * * *");
        a.Group("g1");
        a.Vms("g1", 1);
        await a.StartAsync();
        await b.StartAsync();

        var id = await a.Scheduler.TriggerAsync("s1", "test", "alice");
        await clock.RunUntilAsync(WaitUntil(() => oma.ActiveJobs() == 1), maxJump: TimeSpan.Zero);
        var tokenOfA = executions.All.Single(e => e.Id == id).LeaseToken;
        tokenOfA.Should().NotBeNull("a's records are written under its lease");

        // a cannot renew: its lease lapses and b takes its execution over while a still runs it.
        cutOff.Pause();
        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single(e => e.Id == id).Status == ExecutionStatus.Interrupted), maxJump: TimeSpan.FromSeconds(5));
        var taken = executions.All.Single(e => e.Id == id);
        taken.InstanceId.Should().Be("engine-b");
        taken.LeaseToken.Should().NotBe(tokenOfA);

        // a resumes: its renewal is refused, it abandons the execution without writing and rejoins.
        cutOff.Resume();
        await clock.RunUntilAsync(WaitUntil(() => leases.Leases.ContainsKey("engine-a") && a.Engine.Held.Executions == 0), maxJump: TimeSpan.FromSeconds(5));
        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single(e => e.Id == id).VmOutcomes.Single().Kind == VmOutcomeKind.JobCompleted), maxJump: TimeSpan.FromSeconds(10));

        var final = executions.All.Single(e => e.Id == id);
        final.Status.Should().Be(ExecutionStatus.Interrupted);
        final.InstanceId.Should().Be("engine-b", "b's record was never overwritten by a");
        final.LeaseToken.Should().Be(taken.LeaseToken);
        final.Reason.Should().Be(taken.Reason);
        a.Observer.Finished.Should().NotContain(e => e.Id == id, "a wrote no final record of an execution it no longer owned");
        a.Submitter.Submissions.Values.Sum().Should().Be(1, "one job was created, and nobody created another");
        oma.MaxActive.Should().Be(1);

        // a works again, under a new lease.
        var again = await a.Scheduler.TriggerAsync("s1", "after rejoining", "alice");
        executions.All.Single(e => e.Id == again).Should().Match<ScheduleExecution>(e => e.InstanceId == "engine-a" && e.LeaseToken != tokenOfA && e.LeaseToken != null);
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task SecondLiveProcessWithTheSameInstanceId_IsRefusedWithAClearError()
    {
        var clock = new TestClock(Start);
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        await using var first = Instance("same", executions, clock, leases);
        await using var second = Instance("same", executions, clock, leases);
        await first.StartAsync();
        await second.StartAsync();

        // Both loops start on the thread pool: whichever acquires first is the live holder, the other is refused.
        await clock.RunUntilAsync(WaitUntil(() => first.Engine.Completion.IsCompleted || second.Engine.Completion.IsCompleted), maxJump: TimeSpan.FromSeconds(5));
        var (refused, live) = first.Engine.Completion.IsCompleted ? (first, second) : (second, first);

        var error = await FluentActions.Awaiting(() => refused.Engine.Completion).Should().ThrowAsync<DuplicateSchedulerInstanceException>();
        error.Which.InstanceId.Should().Be("same");
        error.Which.Message.Should().Contain("Replication:Scheduler:InstanceId").And.Contain("'same'");
        live.Engine.Completion.IsCompleted.Should().BeFalse("the live holder goes on");
        Environment.ExitCode.Should().Be(1, "a supervisor must see the refused process fail, not exit cleanly");
        Environment.ExitCode = 0;
        await live.StopAsync();
    }

    [Fact]
    public async Task RestartWithTheSameIdAfterACrash_WaitsOutTheOldLease_ThenRecoversItsExecutions()
    {
        var clock = new TestClock(Start);
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        var crashed = (await leases.TryAcquireAsync("engine-a", Start.AddMinutes(-1), Start.AddSeconds(90))).Lease!;
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "crashed", ScheduleId = "s1", ScheduledFor = Start.AddMinutes(-1), TriggerKind = TriggerKind.Manual, TriggeredBy = "alice",
            StartedAt = Start.AddMinutes(-1), InstanceId = "engine-a", LeaseToken = crashed.Token,
        });
        await using var restarted = Instance("engine-a", executions, clock, leases);
        restarted.Schedule(cron: "0 12 * * *");
        await restarted.StartAsync();

        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single().IsFinished), maxJump: TimeSpan.FromSeconds(5));
        await restarted.StopAsync();

        var recovered = executions.All.Single();
        recovered.Status.Should().Be(ExecutionStatus.Interrupted);
        recovered.CompletedAt.Should().BeOnOrAfter(Start.AddSeconds(90), "the old lease was waited out, not stolen");
        recovered.LeaseToken.Should().NotBe(crashed.Token);
        restarted.Engine.Completion.IsFaulted.Should().BeFalse("nobody renewed the old lease, so it was a crash, not a duplicate");
    }

    [Fact]
    public async Task SurvivorThatLosesItsLeaseWhileFollowingInheritedJobs_HandsThemOn_NoRecordIsLeftWrong()
    {
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock) { Lifecycle = [.. Enumerable.Repeat("replicating", 60), "completed"] };
        var store = new InMemoryScheduleStore();
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        var dead = (await leases.TryAcquireAsync("engine-dead", Start.AddHours(-1), Start.AddMinutes(-1))).Lease!;
        oma.AddJob("job-inherited", "vm0", [.. Enumerable.Repeat("replicating", 60), "completed"]);
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "orphan", ScheduleId = "s1", ScheduledFor = Start.AddHours(-1), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddHours(-1), InstanceId = "engine-dead", LeaseToken = dead.Token,
            VmOutcomes = [new VmOutcome { ContextId = "c0", VmName = "vm0", GroupId = "g1", Kind = VmOutcomeKind.JobInProgress, JobId = "job-inherited" }],
        });
        var bLeases = new PausableLeaseStore(leases);
        await using var b = Instance("engine-b", executions, clock, bLeases, oma, store);
        b.Schedule(cron: "0 12 * * *");
        await b.StartAsync();

        // b takes the dead instance's execution over and follows its job: the record is b's and still running.
        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single().InstanceId == "engine-b"), maxJump: TimeSpan.FromSeconds(5));
        executions.All.Single().Status.Should().Be(ExecutionStatus.Running, "a taken-over execution ends only once the jobs it inherited end");

        // b cannot renew; c starts, claims b's lapsed lease and follows the job in turn.
        bLeases.Pause();
        await using var c = Instance("engine-c", executions, clock, leases, oma, store);
        await c.StartAsync();
        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single().InstanceId == "engine-c"), maxJump: TimeSpan.FromSeconds(5));
        bLeases.Resume();
        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single().IsFinished), maxJump: TimeSpan.FromSeconds(10));

        var final = executions.All.Single();
        final.Status.Should().Be(ExecutionStatus.Interrupted);
        final.InstanceId.Should().Be("engine-c");
        final.VmOutcomes.Single().Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.JobCompleted && o.JobId == "job-inherited");
        (await c.Scheduler.WaitForExecutionAsync("orphan")).VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobCompleted, "waiting follows the inherited job to its end");
        await b.StopAsync();
        await c.StopAsync();
    }

    [Fact]
    public async Task SubmissionCaughtMidCreateByADeadInstance_IsReconciled_TheJobItMadeIsAdoptedNotCalledUnknown()
    {
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock);
        var store = new InMemoryScheduleStore();
        var leases = new InMemoryInstanceLeaseStore();
        var executions = new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases);
        var dead = (await leases.TryAcquireAsync("engine-dead", Start.AddHours(-1), Start.AddMinutes(-1))).Lease!;

        // The dead instance's create reached the OMA (its answer was lost with the process); another VM's did not.
        oma.CreateJob("vm0", "g1", "orphan", "s1", ["replicating", "completed"]);
        oma.SetContext("vm1", currentJobId: null, status: "discovered");
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "orphan", ScheduleId = "s1", ScheduledFor = Start.AddMinutes(-5), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddMinutes(-5), InstanceId = "engine-dead", LeaseToken = dead.Token,
            VmOutcomes =
            [
                new VmOutcome { ContextId = "c0", VmName = "vm0", GroupId = "g1", Kind = VmOutcomeKind.Submitting, StartedAt = Start.AddMinutes(-1) },
                new VmOutcome { ContextId = "c1", VmName = "vm1", GroupId = "g1", Kind = VmOutcomeKind.Submitting, StartedAt = Start.AddMinutes(-1) },
            ],
        });
        await using var survivor = Instance("engine-b", executions, clock, leases, oma, store);
        survivor.Schedule(cron: "0 12 * * *");
        await survivor.StartAsync();

        await clock.RunUntilAsync(WaitUntil(() => executions.All.Single().IsFinished), maxJump: TimeSpan.FromSeconds(10));
        await survivor.StopAsync();

        var taken = executions.All.Single();
        taken.VmOutcomes[0].Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.JobCompleted && o.JobId == "job-0001");
        taken.VmOutcomes[1].Kind.Should().Be(VmOutcomeKind.OutcomeUnknown, "the OMA shows no job for vm1, but its create may still have been on its way: never resent blindly");
        survivor.Submitter.Submissions.Should().BeEmpty("a takeover never resends");
    }

    [Fact]
    public void DefaultInstanceIds_AreUniquePerProcess_AndNameTheMachine()
    {
        var one = new SchedulerOptions().InstanceId;
        var two = new SchedulerOptions().InstanceId;
        one.Should().NotBe(two);
        one.Should().StartWith($"{Environment.MachineName}-{Environment.ProcessId}-");
    }

    /// <summary>One scheduler instance on shared stores, with a 2-minute lease renewed every 30 seconds.</summary>
    private static SchedulerHarness Instance(string id, InMemoryExecutionStore executions, TestClock clock, IInstanceLeaseStore leases, FakeOma? oma = null, InMemoryScheduleStore? store = null) =>
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
