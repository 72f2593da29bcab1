using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// Pause and resume of schedules, groups and VMs through <see cref="IPauseControl"/>: skip records with the pause's reason,
/// the cap then a count, the resume report, auto-resume (across a DST day), two instances on one pause store, auto-pause.
/// On the test clock with sub-second overshoot.
/// </summary>
public sealed class PauseTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 1, 59, 58, 300, TimeSpan.Zero);
    private static readonly TimeSpan Overshoot = TimeSpan.FromMilliseconds(370);

    /// <summary>The clock's largest jump: an execution's task that a busy machine starts late costs seconds of fake time, never its deadline.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>For the hourly schedule of the DST day: well inside an hour's deadline, and few enough jumps to stay quick.</summary>
    private static readonly TimeSpan HourlyStep = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task SchedulePause_RecordsSkipsWithTheReason_UpToTheCap_ThenCounts_AndTheResumeReportsThem()
    {
        var observer = new PauseObserver();
        await using var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddSingleton<IExecutionObserver>(observer), options: o => o.MaxPausedSkipRecords = 3);
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: "* * * * *");
        h.Group("g1");
        h.Vms("g1", 2);
        var control = h.Services.GetRequiredService<IPauseControl>();
        var pause = await control.PauseAsync(PauseTarget.Schedule("s1"), "storage migration CHG-42", "alice");
        await h.StartAsync();

        // 02:00 to 02:04: five occurrences while paused.
        await h.Clock.RunUntilAsync(Task.Delay(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1), h.Clock), Step);

        var skipped = h.Executions.All.Where(e => e.ScheduleId == "s1").OrderBy(e => e.ScheduledFor).ToList();
        skipped.Should().HaveCount(3, "the first three skips are recorded, the rest only counted");
        skipped.Should().OnlyContain(e => e.Status == ExecutionStatus.Skipped && e.SkipReason == ExecutionSkipReason.Paused && e.VmOutcomes.Count == 0);
        skipped.Select(e => e.ScheduledFor.UtcDateTime.Minute).Should().Equal(0, 1, 2);
        skipped.Should().OnlyContain(e => e.Reason!.Contains("storage migration CHG-42") && e.Reason.Contains("alice"));
        h.Submitter.Submissions.Should().BeEmpty("nothing runs while the schedule is paused");
        (await control.GetPausesAsync()).Should().ContainSingle().Which.SkippedCount.Should().Be(5);

        var report = await control.ResumeAsync(PauseTarget.Schedule("s1"), "bob");

        report.Should().NotBeNull();
        report!.Automatic.Should().BeFalse();
        report.ResumedBy.Should().Be("bob");
        report.SkippedCount.Should().Be(5);
        report.SkippedExecutionIds.Should().Equal(skipped.Select(e => e.Id));
        report.Pause.Id.Should().Be(pause.Id);
        observer.Resumed.Should().ContainSingle().Which.Should().Be(report);
        (await control.GetPausesAsync()).Should().BeEmpty();
        (await control.ResumeAsync(PauseTarget.Schedule("s1"), "carol")).Should().BeNull("resuming twice reports once");

        var next = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.Status != ExecutionStatus.Skipped), Step)).Single();
        await h.StopAsync();
        next.Status.Should().Be(ExecutionStatus.Completed);
        next.ScheduledFor.Should().Be(new DateTimeOffset(2025, 3, 7, 2, 5, 0, TimeSpan.Zero), "the first occurrence after the resume runs");
    }

    [Fact]
    public async Task AutoResume_AtALocalInstantOnTheSpringForwardDay_SkipsOnlyOccurrencesBeforeIt()
    {
        // 2025-03-09 in New York: 02:00 EST jumps to 03:00 EDT. Hourly, paused until 04:00 EDT (08:00 UTC).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = new DateTimeOffset(2025, 3, 9, 4, 59, 58, 300, TimeSpan.Zero);
        var resumeAt = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(new DateTime(2025, 3, 9, 4, 0, 0, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
        var observer = new PauseObserver();
        await using var h = SchedulerHarness.Create(start, configure: b => b.Services.AddSingleton<IExecutionObserver>(observer));
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: "0 * * * *", zone: "America/New_York");
        h.Group("g1");
        h.Vms("g1", 1);
        var control = h.Services.GetRequiredService<IPauseControl>();
        await control.PauseAsync(PauseTarget.Schedule("s1"), "DR test weekend", "alice", resumeAt);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.Status == ExecutionStatus.Completed), HourlyStep);
        await h.StopAsync();

        resumeAt.Should().Be(new DateTimeOffset(2025, 3, 9, 8, 0, 0, TimeSpan.Zero));
        var skipped = h.Executions.All.Where(e => e.Status == ExecutionStatus.Skipped).OrderBy(e => e.ScheduledFor).ToList();
        skipped.Select(e => TimeZoneInfo.ConvertTime(e.ScheduledFor, zone).Hour).Should().Equal([0, 1, 3], "00:00 EST, 01:00 EST, 03:00 EDT; 02:00 does not exist that day");
        skipped.Should().OnlyContain(e => e.SkipReason == ExecutionSkipReason.Paused && e.ScheduledFor < resumeAt);
        runs.Single(e => e.Status == ExecutionStatus.Completed).ScheduledFor.Should().Be(resumeAt, "no occurrence at or after resume-at is skipped");
        var report = observer.Resumed.Should().ContainSingle().Which;
        report.Automatic.Should().BeTrue();
        report.ResumedAt.Should().Be(resumeAt);
        report.SkippedCount.Should().Be(3);
        report.SkippedExecutionIds.Should().Equal(skipped.Select(e => e.Id));
        (await control.GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task GroupAndVmPauses_SkipTheirVmsWithThePauseReason_TheOthersRun()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        h.Schedule();
        h.Group("g1");
        h.Group("g2", priority: 1);
        var g1 = h.Vms("g1", 3);
        var g2 = h.Vms("g2", 2);
        var control = h.Services.GetRequiredService<IPauseControl>();
        await control.PauseAsync(PauseTarget.Group("g2"), "network change in site B", "alice");
        await control.PauseAsync(PauseTarget.Vm(g1[1].ContextId), "VM being rebuilt", "bob");

        var run = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "carol")), Step);

        run.Status.Should().Be(ExecutionStatus.Completed, "paused VMs are not attempted");
        run.JobsCompleted.Should().Be(2);
        run.VmOutcomes.Single(o => o.ContextId == g1[1].ContextId).Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.Skipped && o.SkipReason == SkipReason.Paused && o.Reason!.Contains("VM being rebuilt") && o.Reason.Contains("bob"));
        run.VmOutcomes.Where(o => o.GroupId == "g2").Should().HaveCount(2).And.OnlyContain(o => o.SkipReason == SkipReason.Paused && o.Reason!.Contains("network change in site B"));
        h.Submitter.Submissions.Keys.Should().BeEquivalentTo([g1[0].VmName, g1[2].VmName]);

        var group = await control.ResumeAsync(PauseTarget.Group("g2"), "alice");
        group!.SkippedCount.Should().Be(1, "one execution skipped the group's VMs");
        group.SkippedExecutionIds.Should().Equal(run.Id);
        (await control.GetPausesAsync()).Should().ContainSingle().Which.Target.Should().Be(PauseTarget.Vm(g1[1].ContextId));

        var after = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "carol")), Step);
        after.JobsCompleted.Should().Be(4, "the group is resumed, the VM is still paused");
        (await control.ResumeAsync(PauseTarget.Vm(g1[1].ContextId), "bob"))!.SkippedExecutionIds.Should().Equal(run.Id, after.Id);
    }

    [Fact]
    public async Task ManualTrigger_OfAPausedSchedule_IsRefusedNamingThePause_AndRecordsNothing()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);
        var control = h.Services.GetRequiredService<IPauseControl>();
        await control.PauseAsync(PauseTarget.Schedule("s1"), "quarter-end freeze", "alice", Start.AddHours(3));

        var refused = await FluentActions.Awaiting(() => h.Scheduler.TriggerAsync("s1", "test", "bob")).Should().ThrowAsync<SchedulePausedException>();

        refused.Which.ScheduleId.Should().Be("s1");
        refused.Which.Pause.Reason.Should().Be("quarter-end freeze");
        refused.Which.Message.Should().Contain("quarter-end freeze").And.Contain("alice").And.Contain("resume");
        h.Executions.All.Should().BeEmpty();

        // Past its resume-at the pause has ended by itself: the trigger runs.
        h.Clock.Advance(TimeSpan.FromHours(3));
        var run = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "bob")), Step);
        run.Status.Should().Be(ExecutionStatus.Completed);
    }

    [Fact]
    public async Task TwoInstances_OnOnePauseStore_ObeyAPauseMadeOnTheOther_EachOccurrenceCountedOnce()
    {
        var clock = new TestClock(Start) { Overshoot = Overshoot };
        var executions = new InMemoryExecutionStore();
        var store = new InMemoryScheduleStore();
        var pauses = new InMemoryPauseStore();
        var oma = new FakeOma(clock);
        await using var a = SchedulerHarness.Create(Start, "engine-a", executions, oma, clock, store, b => b.Services.Replace(ServiceDescriptor.Singleton(pauses)));
        await using var b = SchedulerHarness.Create(Start, "engine-b", executions, oma, clock, store, b => b.Services.Replace(ServiceDescriptor.Singleton(pauses)));
        a.Schedule(cron: "* * * * *");
        a.Group("g1");
        a.Vms("g1", 1);
        await a.Services.GetRequiredService<IPauseControl>().PauseAsync(PauseTarget.Schedule("s1"), "maintenance", "alice");
        await a.StartAsync();
        await b.StartAsync();

        await clock.RunUntilAsync(Task.Delay(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1), clock), Step);
        b.Submitter.Submissions.Should().BeEmpty("instance B obeys the pause made through A");
        a.Submitter.Submissions.Should().BeEmpty();

        var report = await b.Services.GetRequiredService<IPauseControl>().ResumeAsync(PauseTarget.Schedule("s1"), "bob");
        var either = Task.WhenAny(a.Observer.WaitForAsync(1, e => e.Status == ExecutionStatus.Completed), b.Observer.WaitForAsync(1, e => e.Status == ExecutionStatus.Completed)).Unwrap();
        var next = (await clock.RunUntilAsync(either, Step)).Single();
        await a.StopAsync();
        await b.StopAsync();

        var skipped = executions.All.Where(e => e.Status == ExecutionStatus.Skipped).OrderBy(e => e.ScheduledFor).ToList();
        skipped.Select(e => e.ScheduledFor.UtcDateTime.Minute).Should().Equal([0, 1, 2], "one record per occurrence, whichever instance wrote it");
        skipped.Should().OnlyContain(e => e.SkipReason == ExecutionSkipReason.Paused);
        report!.SkippedCount.Should().Be(3, "each occurrence is counted once across the instances");
        report.SkippedExecutionIds.Should().BeEquivalentTo(skipped.Select(e => e.Id));
        next.ScheduledFor.Should().Be(new DateTimeOffset(2025, 3, 7, 2, 3, 0, TimeSpan.Zero));
        executions.All.Count(e => e.ScheduledFor == next.ScheduledFor).Should().Be(1);
    }

    [Fact]
    public async Task AutoPause_AfterNConsecutiveFailedExecutions_PausesOnce_WithTheEvent_AndCompletedWithErrorsBreaksTheStreak()
    {
        var observer = new PauseObserver();
        await using var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddSingleton<IExecutionObserver>(observer), options: o => o.AutoPauseAfterFailures = 2);
        h.Clock.Overshoot = Overshoot;
        h.Schedule(cron: "* * * * *", change: s => s with { RetryAttempts = 0 });
        h.Group("g1");
        var vms = h.Vms("g1", 2);

        // Failed, CompletedWithErrors, Failed, Failed: the streak reaches 2 only at the fourth.
        h.Submitter.Script(vms[0].VmName, FakeSubmitter.Permanent(), FakeSubmitter.Permanent(), FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        h.Submitter.Script(vms[1].VmName, FakeSubmitter.Permanent(), FakeSubmitter.With(Jobs.SubmissionStatus.JobAdopted, "job-ok"), FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        await h.StartAsync();

        var paused = await h.Clock.RunUntilAsync(observer.WhenAutoPaused.Task, Step);
        var after = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(5), Step);
        await h.StopAsync();

        after.Take(4).Select(e => e.Status).Should().Equal(ExecutionStatus.Failed, ExecutionStatus.CompletedWithErrors, ExecutionStatus.Failed, ExecutionStatus.Failed);
        paused.Pause.Target.Should().Be(PauseTarget.Schedule("s1"));
        paused.Pause.PausedBy.Should().Be("scheduler");
        paused.Pause.Reason.Should().Contain("2 consecutive failed executions").And.Contain(after[3].Id);
        paused.LastFailed.Id.Should().Be(after[3].Id);
        observer.AutoPaused.Should().HaveCount(1);
        after[4].Status.Should().Be(ExecutionStatus.Skipped);
        after[4].SkipReason.Should().Be(ExecutionSkipReason.Paused);
        (await h.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().ContainSingle().Which.Id.Should().Be(paused.Pause.Id);
    }

    [Fact]
    public async Task BadInput_IsATypedError_NamingTheParameter()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        var control = h.Services.GetRequiredService<IPauseControl>();

        async Task<InvalidPauseRequestException> Invalid(Func<Task> call) => (await FluentActions.Awaiting(call).Should().ThrowAsync<InvalidPauseRequestException>()).Which;

        (await Invalid(() => control.PauseAsync(new PauseTarget((PauseTargetKind)7, "s1"), "r", "alice"))).ParameterName.Should().Be("target");
        (await Invalid(() => control.PauseAsync(PauseTarget.Schedule(" "), "r", "alice"))).ParameterName.Should().Be("target.Id");
        (await Invalid(() => control.PauseAsync(PauseTarget.Schedule("s1"), " ", "alice"))).ParameterName.Should().Be("reason");
        (await Invalid(() => control.PauseAsync(PauseTarget.Schedule("s1"), "r", ""))).ParameterName.Should().Be("pausedBy");
        (await Invalid(() => control.PauseAsync(PauseTarget.Schedule("s1"), "r", "alice", Start))).Problem.Should().Contain("not in the future");
        (await Invalid(() => control.PauseAsync(PauseTarget.Schedule("s1"), "r", "alice", Start.AddTicks(-1)))).ParameterName.Should().Be("resumeAt");
        (await Invalid(() => control.PauseAsync(PauseTarget.Vm(new string('x', 192)), "r", "alice"))).Problem.Should().Contain("at most 191");
        (await Invalid(() => control.ResumeAsync(new PauseTarget((PauseTargetKind)(-1), "s1"), "alice"))).ParameterName.Should().Be("target");
        (await Invalid(() => control.ResumeAsync(PauseTarget.Schedule("s1"), " "))).ParameterName.Should().Be("resumedBy");
        await FluentActions.Awaiting(() => control.PauseAsync(null!, "r", "alice")).Should().ThrowAsync<ArgumentNullException>();
        (await FluentActions.Awaiting(() => control.PauseAsync(PauseTarget.Schedule("nope"), "r", "alice")).Should().ThrowAsync<ScheduleNotFoundException>()).Which.ScheduleId.Should().Be("nope");
        (await control.GetPausesAsync()).Should().BeEmpty("no invalid request left a pause behind");

        var first = await control.PauseAsync(PauseTarget.Schedule("s1"), "first", "alice", Start.AddMinutes(1));
        (await FluentActions.Awaiting(() => control.PauseAsync(PauseTarget.Schedule("s1"), "second", "bob")).Should().ThrowAsync<AlreadyPausedException>()).Which.Pause.Should().Be(first);
        (await control.ResumeAsync(PauseTarget.Group("g-none"), "alice")).Should().BeNull("a target that is not paused has nothing to report");

        // Once its resume-at has come the old pause no longer blocks a new one.
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        (await control.PauseAsync(PauseTarget.Schedule("s1"), "second", "bob")).Id.Should().NotBe(first.Id);
    }

    private sealed class PauseObserver : IExecutionObserver
    {
        public ConcurrentQueue<ResumeReport> Resumed { get; } = new();

        public ConcurrentQueue<(PauseState Pause, ScheduleExecution LastFailed)> AutoPaused { get; } = new();

        public TaskCompletionSource<(PauseState Pause, ScheduleExecution LastFailed)> WhenAutoPaused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnResumedAsync(ResumeReport report, CancellationToken cancellationToken)
        {
            Resumed.Enqueue(report);
            return default;
        }

        public ValueTask OnScheduleAutoPausedAsync(PauseState pause, ScheduleExecution lastFailed, CancellationToken cancellationToken)
        {
            AutoPaused.Enqueue((pause, lastFailed));
            WhenAutoPaused.TrySetResult((pause, lastFailed));
            return default;
        }
    }
}
