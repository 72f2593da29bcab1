using Microsoft.Extensions.DependencyInjection;
namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// Replication windows and blackouts through the engine, on the test clock with sub-second overshoot: skipped and deferred
/// occurrences, blackouts winning over the window and over manual triggers, and the window closing during an execution.
/// </summary>
public sealed class WindowTests
{
    // A Friday.
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 3, 59, 58, 300, TimeSpan.Zero);
    private static readonly TimeSpan Overshoot = TimeSpan.FromMilliseconds(370);

    /// <summary>A started harness whose schedule defers occurrences outside a 03:00-05:00 UTC window.</summary>
    private static async Task<SchedulerHarness> StartDeferringAsync(DateTimeOffset start, string cron, int vms)
    {
        var h = SchedulerHarness.Create(start);
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: cron, change: s => s with { Window = ReplicationWindow.Parse("Mon-Sun 03:00-05:00"), OutsideWindowPolicy = OutsideWindowPolicy.Defer });
        h.Group("g1");
        h.Vms("g1", vms);
        await h.StartAsync();
        return h;
    }

    [Fact]
    public async Task OutsideWindow_Skip_RecordsSkippedWindow_AndSubmitsNothing()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: "0 */2 * * *", change: s => s with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00") });
        h.Group("g1");
        h.Vms("g1", 2);
        await h.StartAsync();

        // The clock never jumps past 05:00 before the 04:00 run has dispatched (a loaded machine must not skip it to 06:00).
        var runs = await h.RunHeldThenStopAsync(Start.AddHours(1), held: 1, total: 3);

        runs[0].ScheduledFor.Should().Be(Start.Date.AddHours(4).ToUniversalTime());
        runs[0].Status.Should().Be(ExecutionStatus.Completed);
        runs[0].JobsCompleted.Should().Be(2);
        foreach (var skipped in runs.Skip(1))
        {
            skipped.Status.Should().Be(ExecutionStatus.Skipped);
            skipped.SkipReason.Should().Be(ExecutionSkipReason.Window);
            skipped.Reason.Should().Contain("outside the replication window 'Mon-Sun 22:00-06:00' (UTC)").And.Contain("opens next at 2025-03-07T22:00:00");
            skipped.VmOutcomes.Should().BeEmpty();
        }

        runs.Skip(1).Select(r => r.ScheduledFor.Hour).Should().Equal(6, 8);
        h.Submitter.Log.Should().HaveCount(2, "only the 04:00 occurrence inside the window submitted");
        (await h.Executions.ListAsync("s1", 10, default)).Should().HaveCount(3, "each occurrence is recorded once");
    }

    [Fact]
    public async Task Blackout_WinsOverTheWindow_AndStopsManualTriggers_ButTheWindowDoesNot()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        var blackout = new BlackoutPeriod(Start.AddMinutes(30), Start.AddHours(2), "storage maintenance CHG-42");
        h.Schedule(cron: "0 5 * * *", change: s => s with { Window = ReplicationWindow.Parse("Mon-Sun 04:00-08:00"), Blackouts = [blackout] });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var scheduled = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();

        scheduled.Status.Should().Be(ExecutionStatus.Skipped);
        scheduled.SkipReason.Should().Be(ExecutionSkipReason.Blackout, "05:00 is inside the window and inside the blackout: the blackout wins");
        scheduled.Reason.Should().Contain("blackout period").And.Contain("storage maintenance CHG-42");

        var manualInBlackout = await h.Scheduler.TriggerAsync("s1", "urgent", "alice");
        var blocked = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(manualInBlackout));
        blocked.Status.Should().Be(ExecutionStatus.Skipped);
        blocked.SkipReason.Should().Be(ExecutionSkipReason.Blackout);
        blocked.TriggerKind.Should().Be(TriggerKind.Manual);

        // After the blackout and outside the window (08:00 onwards): the operator's trigger runs.
        await h.Clock.RunUntilAsync(Task.Delay(TimeSpan.FromHours(5), h.Clock));
        h.Clock.Horizon = h.Clock.GetUtcNow().AddHours(1);
        var manual = await h.Scheduler.TriggerAsync("s1", "after hours", "alice");
        var ran = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(manual));
        await h.StopAsync();

        ran.StartedAt.Hour.Should().BeGreaterThanOrEqualTo(8);
        ran.Status.Should().Be(ExecutionStatus.Completed);
        ran.JobsCompleted.Should().Be(1);
        h.Submitter.Log.Should().ContainSingle();
    }

    [Fact]
    public async Task Blackout_ConstructedBackwards_Throws()
    {
        var act = () => new BlackoutPeriod(Start, Start, "nothing");

        act.Should().Throw<ArgumentException>().WithMessage("*must end after it begins*");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task WindowClosesDuringTheExecution_VmsNotStartedEndWindowClosed_RunningJobsAreTrackedToTheEnd()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;

        // About two minutes per job, one slot: only the first VM starts before 05:00.
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 12), "completed"];
        h.Schedule(cron: "59 4 * * *", change: s => s with { MaxConcurrentJobs = 1, Window = ReplicationWindow.Parse("Mon-Sun 04:00-05:00") });
        h.Group("g1", maxConcurrentVms: 5);
        var vms = h.Vms("g1", 4);
        h.Clock.Horizon = Start.AddHours(1.5);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        var closes = new DateTimeOffset(2025, 3, 7, 5, 0, 0, TimeSpan.Zero);
        run.VmOutcomes.Should().HaveCount(4);
        var first = run.VmOutcomes.Single(o => o.ContextId == vms[0].ContextId);
        first.Kind.Should().Be(VmOutcomeKind.JobCompleted, "a job running when the window closes goes on and is tracked to its end");
        first.CompletedAt.Should().BeAfter(closes);
        foreach (var late in run.VmOutcomes.Where(o => o.ContextId != vms[0].ContextId))
        {
            late.Kind.Should().Be(VmOutcomeKind.NotStartedWindowClosed);
            late.Reason.Should().Contain("closed at 2025-03-07T05:00:00");
            // The test clock may run other timers (job polls, 10 s apart) before the dispatch loop looks again: within one poll.
            late.CompletedAt.Should().BeOnOrAfter(closes).And.BeBefore(closes.AddSeconds(10));
        }

        h.Submitter.Log.Should().ContainSingle("no VM starts after the window closed");
        run.Status.Should().Be(ExecutionStatus.CompletedWithErrors, "VMs not started count as attempted and not completed");
        run.JobsSkipped.Should().Be(3);
        run.JobsFailed.Should().Be(0);
        run.VmsEligible.Should().Be(4);
        run.Error.Should().Contain("3 of 4");
    }

    [Fact]
    public async Task BlackoutBeginningDuringTheExecution_StopsStarts()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 12), "completed"];
        var begins = new DateTimeOffset(2025, 3, 7, 4, 1, 0, TimeSpan.Zero);
        h.Schedule(cron: "0 4 * * *", change: s => s with { MaxConcurrentJobs = 1, Blackouts = [new BlackoutPeriod(begins, begins.AddHours(1), "array firmware")] });
        h.Group("g1");
        h.Vms("g1", 3);
        h.Clock.Horizon = begins.AddMinutes(30);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        run.VmOutcomes.Count(o => o.Kind == VmOutcomeKind.JobCompleted).Should().Be(1);
        run.VmOutcomes.Where(o => o.Kind != VmOutcomeKind.JobCompleted).Should().HaveCount(2)
            .And.OnlyContain(o => o.Kind == VmOutcomeKind.NotStartedWindowClosed && o.Reason!.Contains("array firmware"));
    }

    [Fact]
    public async Task OutsideWindow_Defer_ClaimedOnce_StartsWhenTheWindowOpens()
    {
        await using var h = await StartDeferringAsync(new DateTimeOffset(2025, 3, 7, 1, 59, 58, 300, TimeSpan.Zero), "0 2 * * *", vms: 3);
        h.Clock.Horizon = new DateTimeOffset(2025, 3, 7, 4, 0, 0, TimeSpan.Zero);

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        var opens = new DateTimeOffset(2025, 3, 7, 3, 0, 0, TimeSpan.Zero);
        run.ScheduledFor.Should().Be(opens.AddHours(-1));
        run.TriggerKind.Should().Be(TriggerKind.Scheduled);
        run.Status.Should().Be(ExecutionStatus.Completed);
        run.JobsCompleted.Should().Be(3);
        run.Reason.Should().Contain("deferred").And.Contain("opens at 2025-03-07T03:00:00");
        h.Submitter.Log.Should().HaveCount(3).And.OnlyContain(l => l.At >= opens && l.At < opens.AddSeconds(2));
        (await h.Executions.ListAsync("s1", 10, default)).Should().ContainSingle("the occurrence is claimed once");
    }

    [Fact]
    public async Task OutsideWindow_Defer_ThenTheSchedulePaused_WhileWaiting_RunsNothing_AndTheSkipIsCounted()
    {
        await using var h = await StartDeferringAsync(new DateTimeOffset(2025, 3, 7, 1, 59, 58, 300, TimeSpan.Zero), "0 2 * * *", vms: 3);
        var opens = new DateTimeOffset(2025, 3, 7, 3, 0, 0, TimeSpan.Zero);

        // Deferred at 02:00 to the 03:00 opening; paused at 02:30, while it waits.
        h.Clock.Horizon = opens.AddMinutes(-29);
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Executions.All.Any(e => e.Reason?.Contains("deferred", StringComparison.Ordinal) == true)));
        await h.Clock.RunUntilAsync(Task.Delay(opens.AddMinutes(-30) - h.Clock.GetUtcNow(), h.Clock));
        var pauses = h.Services.GetRequiredService<IPauseControl>();
        await pauses.PauseAsync(PauseTarget.Schedule("s1"), "storage migration CHG-7", "alice");
        h.Clock.Horizon = opens.AddHours(1);
        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        var report = await pauses.ResumeAsync(PauseTarget.Schedule("s1"), "bob");
        await h.StopAsync();

        run.Status.Should().Be(ExecutionStatus.Skipped);
        run.SkipReason.Should().Be(ExecutionSkipReason.Paused);
        run.Reason.Should().Contain("storage migration CHG-7").And.Contain("paused while the execution waited");
        h.Submitter.Log.Should().BeEmpty("a paused schedule starts nothing, also when its execution was already waiting");
        report!.SkippedExecutionIds.Should().Equal(run.Id);
    }

    [Fact]
    public async Task OutsideWindow_Defer_SupersededByTheNextOccurrence_IsSkippedWindow()
    {
        await using var h = await StartDeferringAsync(new DateTimeOffset(2025, 3, 7, 0, 59, 58, 300, TimeSpan.Zero), "0 * * * *", vms: 1);

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(3));
        await h.StopAsync();

        runs.Select(r => r.ScheduledFor.Hour).Should().Equal(1, 2, 3);
        foreach (var superseded in runs.Take(2))
        {
            superseded.Status.Should().Be(ExecutionStatus.Skipped);
            superseded.SkipReason.Should().Be(ExecutionSkipReason.Window);
            superseded.Reason.Should().Contain("superseded by the next occurrence");
        }

        runs[2].Status.Should().Be(ExecutionStatus.Completed);
        h.Submitter.Log.Should().ContainSingle().Which.At.Should().BeOnOrAfter(runs[2].ScheduledFor);
    }

    [Fact]
    public async Task Window_OnTheSpringForwardDay_TheMissingHourIsAbsent_TheNextHourRuns()
    {
        // New York, 2025-03-09 02:00 EST -> 03:00 EDT (07:00Z). The window allows 02:00-04:00 local; an hourly schedule
        // fires at 01:00 (outside), 03:00 EDT (inside: 02:00 never happened), 04:00 EDT (outside: the window closed).
        var start = new DateTimeOffset(2025, 3, 9, 5, 59, 58, 300, TimeSpan.Zero);
        await using var h = SchedulerHarness.Create(start);
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: "0 * * * *", zone: "America/New_York", change: s => s with { Window = ReplicationWindow.Parse("Sun 02:00-04:00") });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var runs = await h.RunHeldThenStopAsync(start.AddMinutes(90), held: 2, total: 3);

        runs.Select(r => (r.ScheduledFor.UtcDateTime.Hour, r.Status)).Should().Equal(
            (6, ExecutionStatus.Skipped), (7, ExecutionStatus.Completed), (8, ExecutionStatus.Skipped));
        runs[2].Reason.Should().Contain("(America/New_York)").And.Contain("opens next at 2025-03-16T06:00:00");
    }

    /// <summary>Completes when a state observed on the fakes holds (checked a few times per real millisecond; the clock does the driving).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
