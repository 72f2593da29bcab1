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
    public async Task StoreDownForLongerThanTheRetries_SurfacesTheError_AndTheNextStartRecovers()
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
            flaky.FailNextUpdates(int.MaxValue);
            id = await h.Scheduler.TriggerAsync("s1", "test", "alice");

            await FluentActions.Awaiting(() => h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id)))
                .Should().ThrowAsync<IOException>().WithMessage("database connection lost");
            flaky.FailedUpdates.Should().Be(6, "two writes (the failure, then the final record) each tried three times");
            executions.All.Single().Status.Should().Be(ExecutionStatus.Running, "nothing could be written, and nothing pretends otherwise");
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

    /// <summary>Fails chosen calls the way a dropped database connection does: before writing, or after writing but before answering.</summary>
    private sealed class FlakyExecutionStore(IExecutionStore inner) : IExecutionStore
    {
        private int _failUpdates;
        private int _failReads;
        private int _failedReads;
        private int _failed;
        private int _lost;

        public bool LoseNextCreateAcknowledgement { get; set; }

        public int FailedUpdates => Volatile.Read(ref _failed);

        public int LostAcknowledgements => Volatile.Read(ref _lost);

        public int FailedReads => Volatile.Read(ref _failedReads);

        public void FailNextUpdates(int count) => Volatile.Write(ref _failUpdates, count);

        public void FailNextReads(int count) => Volatile.Write(ref _failReads, count);

        public async Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
        {
            var created = await inner.TryCreateAsync(execution, cancellationToken);
            if (LoseNextCreateAcknowledgement)
            {
                LoseNextCreateAcknowledgement = false;
                Interlocked.Increment(ref _lost);
                throw new IOException("database connection lost after the insert");
            }

            return created;
        }

        public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _failUpdates) >= 0)
            {
                Interlocked.Increment(ref _failed);
                throw new IOException("database connection lost");
            }

            Interlocked.Exchange(ref _failUpdates, 0);
            return inner.UpdateAsync(execution, cancellationToken);
        }

        public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default) => inner.GetAsync(executionId, cancellationToken);

        public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _failReads) >= 0)
            {
                Interlocked.Increment(ref _failedReads);
                throw new IOException("database not up yet");
            }

            Interlocked.Exchange(ref _failReads, 0);
            return inner.GetRunningAsync(cancellationToken);
        }

        public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetLastOccurrenceAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default) => inner.ListAsync(scheduleId, limit, cancellationToken);
    }
}
