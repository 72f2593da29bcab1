using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>RPO breaches through the shared <see cref="IRpoStateStore"/>: once per breach across instances and restarts, again after a completion.</summary>
public sealed class RpoStateTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Target = TimeSpan.FromHours(4);

    /// <summary>The clock's largest jump: a pause on a busy machine costs seconds of fake time, never a jump to the 6 h lease renewal.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Restart_OnTheSameState_AVmThatCompletedAnHourAgo_IsNotBreached()
    {
        var shared = new Shared();
        DateTimeOffset? completed;

        // The schedule store only knows a completion 3 h before the start (it never learns newer ones, like a store without job history).
        await using (var first = shared.Instance("engine-a"))
        {
            Setup(first, Start.AddHours(-3));
            await first.StartAsync();
            var run = await first.Clock.RunUntilAsync(first.Scheduler.WaitForExecutionAsync(await first.Scheduler.TriggerAsync("s1", "test", "alice")), Step);
            run.VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobCompleted);
            completed = run.VmOutcomes.Single().CompletedAt;
            first.Observer.Breaches.Should().BeEmpty();
            await first.StopAsync();
        }

        shared.Clock.Advance(TimeSpan.FromHours(1));

        // A new process on the same state: the store's completion is 4 h 1 min old, the real one 1 h.
        await using var second = shared.Instance("engine-b");
        second.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await second.StartAsync();
        await second.Clock.RunUntilAsync(second.Scheduler.WaitForExecutionAsync(await second.Scheduler.TriggerAsync("s1", "after restart", "alice")), Step);

        second.Observer.Breaches.Should().BeEmpty("the VM replicated an hour ago");

        // The same VM past its target is a breach, for the completion the state recorded.
        second.Clock.Advance(TimeSpan.FromHours(3.5));
        second.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await second.Clock.RunUntilAsync(second.Scheduler.WaitForExecutionAsync(await second.Scheduler.TriggerAsync("s1", "later", "alice")), Step);
        await second.StopAsync();
        second.Observer.Breaches.Should().ContainSingle().Which.LastCompletedJobAt.Should().Be(completed);
    }

    [Fact]
    public async Task TwoInstances_OnOneState_RaiseOneBreach()
    {
        var shared = new Shared();
        await using var a = shared.Instance("engine-a");
        await using var b = shared.Instance("engine-b");
        Setup(a, null);
        a.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        b.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await a.StartAsync();
        await b.StartAsync();

        await shared.Clock.RunUntilAsync(a.Scheduler.WaitForExecutionAsync(await a.Scheduler.TriggerAsync("s1", "on a", "alice")), Step);
        shared.Clock.Advance(TimeSpan.FromMinutes(10));
        await shared.Clock.RunUntilAsync(b.Scheduler.WaitForExecutionAsync(await b.Scheduler.TriggerAsync("s1", "on b", "alice")), Step);
        await a.StopAsync();
        await b.StopAsync();

        a.Observer.Breaches.Concat(b.Observer.Breaches).Should().ContainSingle("the VM never replicated: one breach, raised by the first instance that saw it")
            .Which.Should().Match<RpoBreach>(x => x.VmName == "g1-vm00" && x.ScheduleId == "s1" && x.LastCompletedJobAt == null);
        shared.Rpo.Breaches.Should().ContainSingle();
    }

    [Fact]
    public async Task ACompletion_ClearsTheBreach_AndTheVmIsBreachedAgain_WhenItAgesPastTheTarget()
    {
        var shared = new Shared();
        await using var h = shared.Instance("engine-a");
        Setup(h, Start.AddDays(-3));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await h.StartAsync();

        async Task<ScheduleExecution> Run() => await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "alice")), Step);

        await Run();
        h.Observer.Breaches.Should().ContainSingle().Which.LastCompletedJobAt.Should().Be(Start.AddDays(-3));
        shared.Rpo.Breaches.Should().ContainSingle();

        // Still breached during the run whose job then completes: not raised twice; the completion clears it.
        var outcome = (await Run()).VmOutcomes.Single();
        outcome.Kind.Should().Be(VmOutcomeKind.JobCompleted);
        var completed = outcome.CompletedAt;
        h.Observer.Breaches.Should().ContainSingle();
        shared.Rpo.Breaches.Should().BeEmpty("a completed job clears the VM's breach");

        h.Clock.Advance(TimeSpan.FromHours(3));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        await Run();
        h.Observer.Breaches.Should().ContainSingle("3 h after the completion the VM is within its 4 h target");

        h.Clock.Advance(TimeSpan.FromHours(2));
        await Run();
        await h.StopAsync();
        h.Observer.Breaches.Should().HaveCount(2).And.Subject.Last().LastCompletedJobAt.Should().Be(completed);
    }

    [Fact]
    public async Task InMemoryState_RecordsABreachOnce_UnderConcurrentRecorders_AndRefusesOneOlderThanAKnownCompletion()
    {
        var rpo = new InMemoryRpoStateStore();
        var breach = new RpoBreach("s1", "ctx-1", "vm1", Target, Start.AddDays(-1), Start);
        var recorded = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => rpo.TryRecordBreachAsync(breach))));
        recorded.Count(r => r is not null).Should().Be(1);
        (await rpo.TryRecordBreachAsync(breach with { DetectedAt = Start.AddHours(1) })).Should().BeNull("the breach of this completion is raised already");

        await rpo.RecordCompletionAsync("ctx-1", Start.AddHours(1));
        (await rpo.GetBreachesAsync("s1")).Should().BeEmpty();

        // A caller that has not heard of the completion: the state has, and the VM is within target.
        (await rpo.TryRecordBreachAsync(breach with { DetectedAt = Start.AddHours(2) })).Should().BeNull();

        // Past the target after that completion: a new breach, raised for the completion the state knows.
        (await rpo.TryRecordBreachAsync(breach with { DetectedAt = Start.AddHours(6) }))!.LastCompletedJobAt.Should().Be(Start.AddHours(1));
        (await rpo.GetBreachesAsync("s1")).Should().ContainSingle().Which.LastCompletedJobAt.Should().Be(Start.AddHours(1));
        (await rpo.GetBreachesAsync("s2")).Should().BeEmpty();
    }

    [Fact]
    public async Task DefaultRegistration_IsOneInMemoryStatePerContainer()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReplicationScheduling();
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IRpoStateStore>().Should().BeOfType<InMemoryRpoStateStore>()
            .And.BeSameAs(provider.GetRequiredService<InMemoryRpoStateStore>());
    }

    [Fact]
    public async Task StateStoreDown_TheExecutionGoesOn_AndTheBreachIsRaisedOnceItIsBack()
    {
        var down = new FailingRpoState();
        await using var h = SchedulerHarness.Create(Start, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IRpoStateStore>(down)));
        Setup(h, null);
        await h.StartAsync();

        var run = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "alice")), Step);
        run.Status.Should().Be(ExecutionStatus.Completed, "RPO is an alarm beside the run");
        run.VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobCompleted);
        h.Observer.Breaches.Should().BeEmpty();
        down.Calls.Should().Be(2, "the check's read and the completion's clear were both tried");

        down.Failing = false;
        h.Clock.Advance(TimeSpan.FromHours(5));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "later", "alice")), Step);
        await h.StopAsync();
        h.Observer.Breaches.Should().ContainSingle().Which.LastCompletedJobAt.Should().Be(run.VmOutcomes.Single().CompletedAt, "this process still knew its own completion");
    }

    private static void Setup(SchedulerHarness h, DateTimeOffset? lastCompleted)
    {
        h.Schedule(cron: "0 0 1 1 *", change: s => s with { RpoTarget = Target, RetryAttempts = 0 });
        h.Group("g1");
        h.Vms("g1", 1, change: (_, vm) => vm with { LastCompletedJobAt = lastCompleted });
    }

    /// <summary>What instances of one deployment share: the stores, the OMA, the clock and the RPO state.</summary>
    private sealed class Shared
    {
        public TestClock Clock { get; } = new(Start);

        public InMemoryRpoStateStore Rpo { get; } = new();

        public InMemoryExecutionStore Executions { get; } = new();

        public InMemoryScheduleStore Store { get; } = new();

        public FakeOma Oma => _oma ??= new FakeOma(Clock);

        private FakeOma? _oma;

        public SchedulerHarness Instance(string id) =>
            SchedulerHarness.Create(Start, id, Executions, Oma, Clock, Store, b => b.Services.Replace(ServiceDescriptor.Singleton(Rpo)));
    }

    /// <summary>An RPO state store whose database is down until <see cref="Failing"/> is cleared.</summary>
    private sealed class FailingRpoState : IRpoStateStore
    {
        private readonly InMemoryRpoStateStore _inner = new();
        private int _calls;

        public bool Failing { get; set; } = true;

        public int Calls => Volatile.Read(ref _calls);

        public Task<IReadOnlyList<RpoBreach>> GetBreachesAsync(string scheduleId, CancellationToken cancellationToken = default) => Call(() => _inner.GetBreachesAsync(scheduleId, cancellationToken));

        public Task<RpoBreach?> TryRecordBreachAsync(RpoBreach breach, CancellationToken cancellationToken = default) => Call(() => _inner.TryRecordBreachAsync(breach, cancellationToken));

        public Task RecordCompletionAsync(string contextId, DateTimeOffset completedAt, CancellationToken cancellationToken = default) => Call(async () => { await _inner.RecordCompletionAsync(contextId, completedAt, cancellationToken); return true; });

        private Task<T> Call<T>(Func<Task<T>> call)
        {
            Interlocked.Increment(ref _calls);
            return Failing ? Task.FromException<T>(new TimeoutException("the RPO state database is down")) : call();
        }
    }
}
