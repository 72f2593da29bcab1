using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

public sealed class StoreOutageTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A premature jump of the test clock (a busy machine) then stays well within the 1-hour starting deadline.</summary>
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task WritesFailingMidExecution_AreRetried_AndNoOutcomeIsLost()
    {
        var executions = new InMemoryExecutionStore();
        var flaky = new FlakyExecutionStore(executions);
        await using var h = SchedulerHarness.Create(Start, executions: executions, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky)));
        h.Schedule(cron: "0 2 * * *");
        h.Group("g1");
        h.Vms("g1", 4);
        h.Observer.OnOutcome = _ => flaky.FailNextUpdates(3);   // the database drops out after every recorded outcome
        await h.StartAsync();

        var execution = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1), maxJump: StepLimit)).Single();
        await h.StopAsync();

        flaky.FailedUpdates.Should().BeGreaterThanOrEqualTo(9);
        var stored = executions.All.Single();
        stored.Status.Should().Be(ExecutionStatus.Completed);
        stored.VmOutcomes.Should().HaveCount(4).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
        stored.Should().BeEquivalentTo(execution);
    }

    [Fact]
    public async Task ClaimWhoseAcknowledgementIsLost_IsRetried_AndStillRunsOnce()
    {
        var executions = new InMemoryExecutionStore();
        var flaky = new FlakyExecutionStore(executions) { LoseNextCreateAcknowledgement = true };
        await using var h = SchedulerHarness.Create(Start, executions: executions, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky)));
        h.Schedule(cron: "0 2 * * *");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var execution = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1), maxJump: StepLimit)).Single();
        await h.StopAsync();

        flaky.LostAcknowledgements.Should().Be(1);
        execution.Status.Should().Be(ExecutionStatus.Completed);
        executions.All.Should().ContainSingle();
        h.Submitter.Submissions.Should().ContainSingle();
    }

    [Fact]
    public async Task StoreDownForLongerThanTheRetries_TheFinalRecordIsWrittenOnceTheStoreIsBack()
    {
        var executions = new InMemoryExecutionStore();
        await using var h = SchedulerHarness.CreateFlaky(Start, storeRetryAttempts: 2, out var flaky, executions);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);
        flaky.FailNextUpdates(int.MaxValue);
        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var wait = h.Scheduler.WaitForExecutionAsync(id);

        // Far past the store's own retries (3 tries a write), the engine keeps trying instead of leaving the record running.
        await h.Clock.RunUntilAsync(WaitUntil(() => flaky.FailedUpdates >= 20), maxJump: TimeSpan.FromMinutes(1));
        wait.IsCompleted.Should().BeFalse();
        executions.All.Single().Status.Should().Be(ExecutionStatus.Running, "nothing could be written, and nothing pretends otherwise");

        flaky.FailNextUpdates(0);
        var final = await h.Clock.RunUntilAsync(wait, maxJump: TimeSpan.FromMinutes(1));

        final.Status.Should().Be(ExecutionStatus.Failed);
        final.Error.Should().Contain("database connection lost");
        final.VmOutcomes.Should().ContainSingle().Which.Kind.Should().NotBe(VmOutcomeKind.Pending).And.NotBe(VmOutcomeKind.Submitting);
        executions.All.Single().Should().BeEquivalentTo(final, "the store holds the same final record");
        h.Engine.Held.Should().Be((0, 0), "nothing of a finished execution stays in memory");
    }

    [Fact]
    public async Task StoreDownWhenTheHostStops_TheRecordStaysRunning_AndTheNextStartInterruptsIt()
    {
        var executions = new InMemoryExecutionStore();
        var flaky = new FlakyExecutionStore(executions);
        var store = new InMemoryScheduleStore();
        string id;
        await using (var h = SchedulerHarness.Create(
            Start, executions: executions, store: store,
            configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky)),
            options: o => o.StoreRetryAttempts = 2))
        {
            h.Schedule();
            h.Group("g1");
            h.Vms("g1", 1);
            await h.StartAsync();
            flaky.FailNextUpdates(int.MaxValue);
            id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
            await h.Clock.RunUntilAsync(WaitUntil(() => flaky.FailedUpdates >= 6), maxJump: TimeSpan.FromMinutes(1));

            // The store's own retries wait on the test clock, so the clock runs while the host stops.
            await h.Clock.RunUntilAsync(h.StopAsync(), maxJump: TimeSpan.FromMinutes(1));
            executions.All.Single().Status.Should().Be(ExecutionStatus.Running, "the store never answered");
        }

        flaky.FailNextUpdates(0);
        await using var restarted = SchedulerHarness.Create(Start.AddMinutes(5), executions: executions, store: store);
        await restarted.StartAsync();
        await restarted.Clock.RunUntilAsync(WaitUntil(() => executions.All.Single().Status == ExecutionStatus.Interrupted), maxJump: TimeSpan.Zero);
        await restarted.StopAsync();
        executions.All.Single().Id.Should().Be(id);
    }

    [Fact]
    public async Task StoreDownAtStart_TheEngineWaitsForIt_ThenRecoversAndRuns()
    {
        var executions = new InMemoryExecutionStore();
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "crashed", ScheduleId = "s1", ScheduledFor = Start.AddHours(-1), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddHours(-1), InstanceId = "engine-a",
        });
        var flaky = new FlakyExecutionStore(executions);
        flaky.FailNextReads(5);
        await using var h = SchedulerHarness.Create(
            Start, executions: executions,
            configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky)),
            options: o => o.StoreRetryAttempts = 0);
        h.Schedule(cron: "0 2 * * *");
        h.Group("g1");
        h.Vms("g1", 1);

        await h.StartAsync();
        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.Id != "crashed"), maxJump: StepLimit)).Single();
        await h.StopAsync();

        flaky.FailedReads.Should().Be(5);
        executions.All.Single(e => e.Id == "crashed").Status.Should().Be(ExecutionStatus.Interrupted, "recovery ran once the store answered");
        run.Should().Match<ScheduleExecution>(e => e.ScheduledFor == Start.AddHours(2) && e.Status == ExecutionStatus.Completed);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
