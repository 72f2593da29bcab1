namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// The engine's core scenarios on a clock that never holds whole seconds: stepped 1.37 s at a time, or waking every timer
/// late by a sub-second amount, as a real clock does (the DST-day and overlap scenarios run late too, in SchedulerEngineTests). A whole-second assumption anywhere (the occurrence search once had
/// one, and hung) fails here.
/// </summary>
public sealed class SubSecondClockTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1.37);

    [Fact]
    public async Task SecondsSchedule_SteppedBy137Seconds_FiresEveryOccurrenceOnce_OnTheGrid()
    {
        await using var h = SchedulerHarness.Create(Start.AddMilliseconds(250), options: o => o.JobPollInterval = o.JobPollMaxInterval = TimeSpan.FromSeconds(1));
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(cron: "*/10 * * * * *", change: s => s with { MaxConcurrentJobs = 5 });
        h.Group("g1");
        h.Vms("g1", 2);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(12), maxJump: Step);
        await h.StopAsync();

        runs.Select(e => e.ScheduledFor).Order().Should().Equal(Enumerable.Range(1, 12).Select(i => Start.AddSeconds(10 * i)), "every occurrence has exactly one record");

        // The clock does not wait for the runner's own work, so on a busy machine an execution may still run at the next
        // occurrence: that one is then recorded Skipped (skip-if-running), never lost.
        runs.Should().OnlyContain(e => e.TriggerKind == TriggerKind.Scheduled
            && ((e.Status == ExecutionStatus.Completed && e.JobsCompleted == 2) || (e.Status == ExecutionStatus.Skipped && e.Reason!.Contains("still running"))));
        runs.Count(e => e.Status == ExecutionStatus.Completed).Should().BeGreaterThan(6);
        runs.Should().OnlyContain(e => e.StartedAt - e.ScheduledFor < Step, "each fires at the first step past its due time");
    }

    [Fact]
    public async Task GroupLimit_SteppedBy137Seconds_HoldsAndEveryVmCompletes()
    {
        await using var h = SchedulerHarness.Create(Start.AddMilliseconds(730));
        h.Oma.Lifecycle = ["replicating", "replicating", "completed"];
        h.Schedule(change: s => s with { MaxConcurrentJobs = 20 });
        h.Group("g1", maxConcurrentVms: 3);
        h.Vms("g1", 9);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id), maxJump: Step);

        execution.ScheduledFor.Should().Be(Start, "a manual execution is recorded at its second");
        execution.VmOutcomes.Should().HaveCount(9).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
        h.Oma.MaxActiveByGroup["g1"].Should().Be(3);
    }

    [Fact]
    public async Task MissedWhileDown_WithASubSecondStart_CatchesUpTheLatestOccurrence()
    {
        var executions = new InMemoryExecutionStore();
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "old", ScheduleId = "s1", ScheduledFor = Start.AddMinutes(-30), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddMinutes(-30), Status = ExecutionStatus.Completed, CompletedAt = Start.AddMinutes(-29), InstanceId = "engine-a",
        });
        await using var h = SchedulerHarness.Create(Start.AddSeconds(7.77), executions: executions);
        h.Schedule(cron: "*/10 * * * *");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        run.Should().Match<ScheduleExecution>(e => e.TriggerKind == TriggerKind.CatchUp && e.ScheduledFor == Start && e.Status == ExecutionStatus.Completed);
    }
}
