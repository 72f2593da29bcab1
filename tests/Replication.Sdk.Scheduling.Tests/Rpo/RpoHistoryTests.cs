using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The duration history kept between planning instants: reads only what changed, a full read every 10 minutes.</summary>
public sealed class RpoHistoryTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 4, 12, 0, 0, TimeSpan.Zero);

    private static ScheduleExecution Execution(string id, string scheduleId, DateTimeOffset started, params (string Vm, TimeSpan? Took)[] jobs) => new()
    {
        Id = id, ScheduleId = scheduleId, ScheduledFor = started, TriggerKind = TriggerKind.Manual, TriggeredBy = "test", StartedAt = started,
        VmOutcomes = [.. jobs.Select(j => new VmOutcome
        {
            ContextId = j.Vm, VmName = j.Vm, GroupId = "g1", Kind = j.Took is null ? VmOutcomeKind.JobInProgress : VmOutcomeKind.JobCompleted,
            StartedAt = started, CompletedAt = j.Took is { } took ? started + took : null,
        })],
    };

    private static async Task<ScheduleExecution> CreateAsync(IExecutionStore store, ScheduleExecution execution)
    {
        (await store.TryCreateAsync(execution)).Should().BeTrue();
        return execution;
    }

    [Fact]
    public async Task AnExecutionStartedHere_ThatEndsBeforeTheNextInstant_IsReadByItsId_NotLeftToTheFullRead()
    {
        var inner = new InMemoryExecutionStore();
        var store = new FlakyExecutionStore(inner);
        var history = new RpoHistory();
        (await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start, default)).Should().BeEmpty();

        // Claimed and finished within one planning interval: never in a running list the history read.
        history.Track("s1", "quick");
        await CreateAsync(store, Execution("quick", "s1", Start.AddSeconds(1), ("vm1", TimeSpan.FromSeconds(3))) with { Status = ExecutionStatus.Completed });
        var next = await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start.AddSeconds(30), default);

        next.Should().ContainSingle(o => o.ContextId == "vm1" && o.CompletedAt == Start.AddSeconds(4), "its 3-second job counts at the next instant");
        (store.Lists, store.Gets).Should().Be((1, 1));
    }

    [Fact]
    public async Task ReadsTheHistoryOnce_ThenOnlyTheExecutionsThatEnded_AndAgainAfterTheInterval()
    {
        var inner = new InMemoryExecutionStore();
        var store = new FlakyExecutionStore(inner);
        var history = new RpoHistory();
        await CreateAsync(store, Execution("old", "s1", Start.AddHours(-3), ("vm1", TimeSpan.FromMinutes(10))) with { Status = ExecutionStatus.Completed });
        var running = await CreateAsync(store, Execution("run", "s1", Start.AddMinutes(-20), ("vm1", null), ("vm2", TimeSpan.FromMinutes(5))));

        var first = await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start, default);

        first.Select(o => (o.ContextId, o.CompletedAt)).Should().BeEquivalentTo(new[] { ("vm1", (DateTimeOffset?)Start.AddHours(-3).AddMinutes(10)), ("vm2", Start.AddMinutes(-15)) });
        store.Lists.Should().Be(1);

        // The running execution ends; another one, never seen running, is created and ended in between.
        await store.UpdateAsync(Execution("run", "s1", Start.AddMinutes(-20), ("vm1", TimeSpan.FromMinutes(25)), ("vm2", TimeSpan.FromMinutes(5))) with { Status = ExecutionStatus.Completed });
        await CreateAsync(store, Execution("unseen", "s1", Start.AddMinutes(1), ("vm3", TimeSpan.FromSeconds(20))) with { Status = ExecutionStatus.Completed });
        var second = await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start.AddMinutes(2), default);

        second.Should().Contain(o => o.ContextId == "vm1" && o.CompletedAt == Start.AddMinutes(5), "the ended execution was read by its id");
        second.Should().NotContain(o => o.ContextId == "vm3");
        (store.Lists, store.Gets).Should().Be((1, 1));
        await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start.AddMinutes(3), default);
        (store.Lists, store.Gets).Should().Be((1, 1), "nothing changed: no read");

        var third = await history.CompletedAsync(store, "s1", await store.GetRunningAsync(), Start.AddMinutes(2) + RpoHistory.FullReadInterval, default);

        third.Should().Contain(o => o.ContextId == "vm3", "the full read every 10 minutes finds what ended unseen");
        store.Lists.Should().Be(2);
    }

    [Fact]
    public async Task KeepsEachVmsNewestJobs_AndItsLastSevenDays_BeyondTheExecutionsAFullReadReturns()
    {
        var store = new FlakyExecutionStore(new InMemoryExecutionStore());
        var history = new RpoHistory();
        // Twelve jobs a day apart: the 7 days before the newest hold 8 of them, fewer than the 10 the prediction reads.
        for (var i = 0; i < 12; i++)
        {
            await CreateAsync(store, Execution($"e{i:D2}", "s1", Start.AddDays(i), ("vm1", TimeSpan.FromMinutes(i + 1))) with { Status = ExecutionStatus.Completed });
        }

        var kept = await history.CompletedAsync(store, "s1", [], Start.AddDays(12), default);

        kept.Select(o => o.CompletedAt! - o.StartedAt!).Should().BeEquivalentTo(Enumerable.Range(3, RpoConstants.HistoryLength).Select(m => (TimeSpan?)TimeSpan.FromMinutes(m)));

        // Hourly jobs: all of the past 7 days are kept for the compliance, beyond the 10 newest.
        for (var i = 0; i < 200; i++)
        {
            await CreateAsync(store, Execution($"h{i:D3}", "s1", Start.AddDays(12).AddHours(i), ("vm1", TimeSpan.FromMinutes(1))) with { Status = ExecutionStatus.Completed });
        }

        var hourly = await history.CompletedAsync(store, "s1", [], Start.AddDays(30), default);
        hourly.Should().HaveCount(169, "7 days of hourly completions back from the newest, both ends included");
    }

    [Fact]
    public async Task Engine_ReadsTheHistoryEveryTenMinutes_NotAtEveryPlanningInstant()
    {
        var inner = new InMemoryExecutionStore();
        var flaky = new FlakyExecutionStore(inner);
        await using var h = SchedulerHarness.Create(Start, executions: inner, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(flaky)));
        h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 1 });
        h.Group("g1");
        // vm01's replica is 3 hours old: due at once (its job, without history, is predicted at an hour).
        h.Vms("g1", 2, change: (i, vm) => vm with { LastCompletedJobAt = Start.AddHours(-3 * i) });
        await h.StartAsync();

        // 25 minutes: 50 planning instants.
        await h.Clock.RunUntilAsync(Task.Delay(TimeSpan.FromMinutes(25), h.Clock), maxJump: TimeSpan.FromSeconds(30));
        h.Executions.All.Should().NotBeEmpty("the engine planned and started jobs");

        flaky.Lists.Should().BeInRange(1, 3, "the first instant and one full read every 10 minutes, not 50");
    }
}
