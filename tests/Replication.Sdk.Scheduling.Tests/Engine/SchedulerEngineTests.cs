using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.Tests.Engine;

public sealed class SchedulerEngineTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(370)] // every timer wakes 0.37 s late, as on a real clock: "now" is never a whole second
    public async Task DstDay_FiresAtTheRightInstantsInTheScheduleZone(int lateMilliseconds)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(lateMilliseconds);
        h.Schedule(cron: "30 2 * * *", zone: "America/New_York");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(3));
        await h.StopAsync();

        // 2025-03-09 is the spring-forward day: 02:30 does not exist and fires at 03:00 EDT (07:00Z).
        runs.Select(e => e.ScheduledFor).Should().Equal(
            new DateTimeOffset(2025, 3, 7, 7, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 3, 8, 7, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 3, 9, 7, 0, 0, TimeSpan.Zero));
        runs.Should().OnlyContain(e => e.TriggerKind == TriggerKind.Scheduled && e.Status == ExecutionStatus.Completed && e.JobsCompleted == 1);
    }

    [Fact]
    public async Task Edit_TakesEffectBeforeTheNextTick()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "0 2 * * *");
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddHours(2)), maxJump: TimeSpan.Zero);

        h.Schedule(cron: "*/5 * * * *");                       // the store's change token wakes the engine
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddMinutes(5)), maxJump: TimeSpan.Zero);
        var first = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1));

        first.Single().ScheduledFor.Should().Be(Start.AddMinutes(5));
        h.Schedule(cron: "*/5 * * * *", change: s => s with { Enabled = false });
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") is null), maxJump: TimeSpan.Zero);
        await h.StopAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(930)]
    public async Task Overlap_SkipIfRunning_RecordsASkippedExecution(int lateMilliseconds)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(lateMilliseconds);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 90), "completed"]; // a job outlives the 5-minute period
        h.Schedule(cron: "*/5 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.Skip });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.Status == ExecutionStatus.Skipped));
        await h.StopAsync();

        var skipped = runs[0];
        skipped.ScheduledFor.Should().Be(Start.AddMinutes(10));
        skipped.Reason.Should().Contain("is still running");
        skipped.SkipReason.Should().Be(ExecutionSkipReason.Overlap);
        skipped.VmOutcomes.Should().BeEmpty();
        h.Submitter.Submissions.Values.Sum().Should().Be(1);
    }

    [Fact]
    public async Task Overlap_Allowed_RunsAndSkipsTheVmWithAnActiveJob()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 90), "completed"];
        h.Schedule(cron: "*/5 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.AllowAll });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var second = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.ScheduledFor == Start.AddMinutes(10)))).Single();
        await h.StopAsync();

        second.Status.Should().Be(ExecutionStatus.Completed, "nothing was attempted");
        second.VmOutcomes.Should().ContainSingle().Which.SkipReason.Should().Be(SkipReason.ActiveJob);
        second.JobsSkipped.Should().Be(1);
        second.VmsEligible.Should().Be(0);
        h.Submitter.Submissions.Values.Sum().Should().Be(1);
    }

    [Fact]
    public async Task GroupOfTwenty_WithLimitFive_AllCompleteInOneExecutionWithinTheLimit()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = ["replicating", "replicating", "replicating", "completed"];
        h.Schedule(change: s => s with { MaxConcurrentJobs = 20 });
        h.Group("g1", maxConcurrentVms: 5);
        h.Vms("g1", 20);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.Status.Should().Be(ExecutionStatus.Completed);
        execution.JobsCreated.Should().Be(20);
        execution.JobsCompleted.Should().Be(20);
        execution.VmOutcomes.Should().HaveCount(20).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
        h.Oma.MaxActiveByGroup["g1"].Should().Be(5);
        h.Oma.CreatedOrder.Should().Equal(Enumerable.Range(0, 20).Select(i => $"g1-vm{i:00}"), "membership priority orders the dispatch");
    }

    [Theory]
    [InlineData("0 3 1 1 *")]     // yearly: the execution deadline (the next occurrence) is months away
    [InlineData("0 0 29 2 *")]    // leap day: years away
    [InlineData("0 0 31 * *")]    // the 31st: up to two months away
    public async Task DeadlineFarAway_BeyondWhatATimerCanWait_StillDispatchesEveryVm(string cron)
    {
        // Found by the item-10 soak: a wait for a free slot was one timer to the deadline, which Task.Delay refuses past
        // about 49 days, so every execution of such a schedule that had to wait for room failed.
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = ["replicating", "replicating", "completed"];
        h.Schedule(cron: cron, change: s => s with { MaxConcurrentJobs = 2 });
        h.Group("g1", maxConcurrentVms: 2);
        h.Vms("g1", 6);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.Error.Should().BeNull();
        execution.Status.Should().Be(ExecutionStatus.Completed);
        execution.VmOutcomes.Should().HaveCount(6).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
    }

    [Fact]
    public async Task ScheduleLimit_CountsOnlyItsOwnJobs()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = ["replicating", "replicating", "completed"];
        h.Schedule("a", change: s => s with { MaxConcurrentJobs = 2 });
        h.Schedule("b", change: s => s with { MaxConcurrentJobs = 2 });
        h.Group("ga", "a", maxConcurrentVms: 10);
        h.Group("gb", "b", maxConcurrentVms: 10);
        h.Vms("ga", 6);
        h.Vms("gb", 6);

        var a = await h.Scheduler.TriggerAsync("a", "test", "alice");
        var b = await h.Scheduler.TriggerAsync("b", "test", "alice");
        await h.Clock.RunUntilAsync(Task.WhenAll(h.Scheduler.WaitForExecutionAsync(a), h.Scheduler.WaitForExecutionAsync(b)));

        h.Oma.MaxActiveByExecutionSchedule["a"].Should().Be(2);
        h.Oma.MaxActiveByExecutionSchedule["b"].Should().Be(2);
        h.Oma.MaxActive.Should().Be(4, "each schedule's cap ignores the other schedule's jobs");
    }

    [Fact]
    public async Task GlobalLimit_CapsAllSchedules()
    {
        await using var h = SchedulerHarness.Create(Start, options: o => o.MaxConcurrentJobs = 3);
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule("a");
        h.Schedule("b");
        h.Group("ga", "a", maxConcurrentVms: 10);
        h.Group("gb", "b", maxConcurrentVms: 10);
        h.Vms("ga", 5);
        h.Vms("gb", 5);

        var a = await h.Scheduler.TriggerAsync("a", "test", "alice");
        var b = await h.Scheduler.TriggerAsync("b", "test", "alice");
        await h.Clock.RunUntilAsync(Task.WhenAll(h.Scheduler.WaitForExecutionAsync(a), h.Scheduler.WaitForExecutionAsync(b)));

        h.Oma.MaxActive.Should().Be(3);
    }

    [Fact]
    public async Task Priority_GroupsByPriorityThenName_MembershipsByPriorityThenAddedAt()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { MaxConcurrentJobs = 1 });
        h.Group("g-low", priority: 5);
        h.Group("g-b", priority: 1, name: "beta");
        h.Group("g-a", priority: 1, name: "alpha");
        h.Vms("g-low", 1, "low");
        h.Vms("g-b", 1, "b");
        h.Vms("g-a", 2, "a");
        h.Store.Upsert(new GroupMembership { GroupId = "g-a", VmContextId = "ctx-a-00", Priority = 9, AddedAt = Start });

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        h.Oma.CreatedOrder.Should().Equal("a-vm01", "a-vm00", "b-vm00", "low-vm00");
    }

    [Fact]
    public async Task VmInTwoGroups_RunsOnceInItsFirstGroup()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Group("g1", priority: 0);
        h.Group("g2", priority: 1);
        h.Schedule();
        var vm = h.Vms("g1", 1).Single();
        h.Store.Upsert(new GroupMembership { GroupId = "g2", VmContextId = vm.ContextId, AddedAt = Start });

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Should().ContainSingle().Which.GroupId.Should().Be("g1");
        h.Submitter.Submissions[vm.VmName].Should().Be(1);
    }

    [Fact]
    public async Task SkipReasons_AreRecordedInCheckOrderAndFailClosed()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1", maxConcurrentVms: 10);
        h.Vms("g1", 6, change: (i, vm) => i switch
        {
            1 => vm with { SchedulerEnabled = false, CurrentStatus = "failed_over_live" },   // disabled is checked before failover
            2 => vm with { CurrentStatus = "cleanup_required" },
            _ => vm,
        });
        h.Oma.SetContext("g1-vm03", "job-busy");
        h.Oma.AddJob("job-busy", "g1-vm03", ["initializing"]);            // every non-terminal status is active
        h.Oma.SetContext("g1-vm04", null, "failed_over_test");            // the OMA's own status counts too
        h.Oma.UnreachableFor.Add("g1-vm05");

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Select(o => (o.VmName, o.Kind, o.SkipReason)).Should().Equal(
            ("g1-vm00", VmOutcomeKind.JobCompleted, (SkipReason?)null),
            ("g1-vm01", VmOutcomeKind.Skipped, SkipReason.VmDisabled),
            ("g1-vm02", VmOutcomeKind.Skipped, SkipReason.VmInFailover),
            ("g1-vm03", VmOutcomeKind.Skipped, SkipReason.ActiveJob),
            ("g1-vm04", VmOutcomeKind.Skipped, SkipReason.VmInFailover),
            ("g1-vm05", VmOutcomeKind.Skipped, SkipReason.CheckFailed));
        execution.VmOutcomes.Single(o => o.VmName == "g1-vm05").Reason.Should().Contain("could not check");
        h.Submitter.Submissions.Keys.Should().Equal("g1-vm00");
        (execution.VmsEligible, execution.JobsSkipped, execution.JobsCreated).Should().Be((1, 5, 1));
    }

    [Fact]
    public async Task DisabledSchedule_AtRunTime_SkipsEveryVm()
    {
        await using var h = SchedulerHarness.Create(Start);
        var schedule = h.Schedule();
        h.Group("g1");
        h.Vms("g1", 2);
        var runner = (ExecutionRunner)h.Services.GetService(typeof(ExecutionRunner))!;
        var claimed = new ScheduleExecution { Id = "e1", ScheduleId = "s1", ScheduledFor = Start, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = Start };
        await h.Executions.TryCreateAsync(claimed);
        h.Store.Upsert(schedule with { Enabled = false });                 // disabled between firing and running

        using var working = runner.Activity.Begin();
        var execution = await runner.RunAsync(claimed, schedule, null, null, working, CancellationToken.None);

        execution.VmOutcomes.Should().HaveCount(2).And.OnlyContain(o => o.SkipReason == SkipReason.ScheduleDisabled);
        execution.Status.Should().Be(ExecutionStatus.Completed);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedAfterTheDelayThenSucceeds()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { RetryAttempts = 3, RetryDelay = TimeSpan.FromMinutes(7) });
        h.Group("g1");
        var vm = h.Vms("g1", 1).Single();
        h.Submitter.Script(vm.VmName, FakeSubmitter.Transient(), FakeSubmitter.Transient());

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        var outcome = execution.VmOutcomes.Single();
        outcome.Kind.Should().Be(VmOutcomeKind.JobCompleted);
        outcome.Attempts.Should().Be(3);
        h.Submitter.Log.Select(l => l.At - Start).Should().Equal(TimeSpan.Zero, TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(14));
    }

    [Fact]
    public async Task TransientFailure_ExhaustsRetries_IsCreateFailed()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { RetryAttempts = 2, RetryDelay = TimeSpan.FromMinutes(1) });
        h.Group("g1");
        var vm = h.Vms("g1", 1).Single();
        h.Submitter.Script(vm.VmName, FakeSubmitter.Transient(), FakeSubmitter.Transient(), FakeSubmitter.Transient());

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Single().Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Attempts == 3);
        execution.Status.Should().Be(ExecutionStatus.Failed);
    }

    [Fact]
    public async Task PermanentFailure_IsNotRetried()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { RetryAttempts = 3 });
        h.Group("g1");
        var vm = h.Vms("g1", 1).Single();
        h.Submitter.Script(vm.VmName, FakeSubmitter.Permanent());

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Single().Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Attempts == 1);
        h.Submitter.Submissions[vm.VmName].Should().Be(1);
    }

    [Fact]
    public async Task OutcomeUnknown_IsNeverResent_AdoptedJobIsTracked_NotCreatedIsResentOnce()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { RetryAttempts = 3 });
        h.Group("g1");
        h.Vms("g1", 3);
        h.Submitter.Script("g1-vm00", FakeSubmitter.With(SubmissionStatus.OutcomeUnknown));
        h.Submitter.Script("g1-vm01", FakeSubmitter.With(SubmissionStatus.JobAdopted, "job-adopted"));
        h.Submitter.Script("g1-vm02", FakeSubmitter.With(SubmissionStatus.NotCreated));

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Select(o => (o.Kind, o.JobId, o.Attempts)).Should().Equal(
            (VmOutcomeKind.OutcomeUnknown, (string?)null, 1),
            (VmOutcomeKind.JobCompleted, "job-adopted", 1),
            (VmOutcomeKind.JobCompleted, "job-0001", 2));
        h.Submitter.Submissions["g1-vm00"].Should().Be(1);
        execution.Status.Should().Be(ExecutionStatus.CompletedWithErrors);
    }

    [Fact]
    public async Task NotCreatedTwice_IsRetriedAfterTheRetryDelay_LikeAFailureBeforeTheCreate()
    {
        // Reconciliation proved twice that no job exists: the schedule's retry starts afresh after its delay (issue 13
        // item 10), instead of giving the VM up as failed.
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { RetryAttempts = 2, RetryDelay = TimeSpan.FromMinutes(30) });
        h.Group("g1");
        h.Vms("g1", 2);
        h.Submitter.Script("g1-vm00", FakeSubmitter.With(SubmissionStatus.NotCreated), FakeSubmitter.With(SubmissionStatus.NotCreated));
        h.Submitter.Script(
            "g1-vm01",
            FakeSubmitter.With(SubmissionStatus.NotCreated), FakeSubmitter.With(SubmissionStatus.NotCreated),
            FakeSubmitter.With(SubmissionStatus.NotCreated), FakeSubmitter.With(SubmissionStatus.NotCreated));

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        var (done, gaveUp) = (execution.VmOutcomes[0], execution.VmOutcomes[1]);
        (done.Kind, done.Attempts).Should().Be((VmOutcomeKind.JobCompleted, 3));
        h.Submitter.Log.Where(l => l.VmName == "g1-vm00").Select(l => l.At - Start).Last().Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(30), "the retry waits for the schedule's delay");
        (gaveUp.Kind, gaveUp.Attempts).Should().Be((VmOutcomeKind.CreateFailed, 4), "one resend at once, then the two retries, one try each");
        gaveUp.Reason.Should().Contain("no job was created");
    }

    [Fact]
    public async Task StaleJob_IsDetectedAndItsSlotFreed()
    {
        await using var h = SchedulerHarness.Create(Start, staleJobThreshold: TimeSpan.FromMinutes(30));
        h.Schedule(change: s => s with { MaxConcurrentJobs = 1 });
        h.Group("g1");
        h.Vms("g1", 2);
        h.Oma.AddJob("job-stuck", "g1-vm00", ["replicating"]);            // never changes
        h.Submitter.Script("g1-vm00", FakeSubmitter.With(SubmissionStatus.JobCreated, "job-stuck"));

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        var stale = execution.VmOutcomes[0];
        stale.Kind.Should().Be(VmOutcomeKind.JobStale);
        stale.Reason.Should().Contain("without change").And.Contain("nothing was deleted");
        execution.VmOutcomes[1].Kind.Should().Be(VmOutcomeKind.JobCompleted, "the stale job's slot went to the next VM");
        h.Submitter.Log.Last().At.Should().BeOnOrAfter(Start.AddMinutes(30));
    }

    [Fact]
    public async Task JobUnknownToTheOma_IsStale()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);
        h.Submitter.Script("g1-vm00", FakeSubmitter.With(SubmissionStatus.JobCreated, "job-ghost"));   // never added to the OMA

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Single().Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.JobStale && o.Reason!.Contains("no longer knows"));
    }

    [Fact]
    public async Task OneThousandMissedOccurrences_BecomeOneCatchUp()
    {
        var executions = new InMemoryExecutionStore();
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "old", ScheduleId = "s1", ScheduledFor = Start.AddMinutes(-1000), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddMinutes(-1000), Status = ExecutionStatus.Completed,
        });
        await using var h = SchedulerHarness.Create(Start.AddSeconds(30), executions: executions);
        h.Schedule(cron: "* * * * *");
        h.Group("g1");
        h.Vms("g1", 1);

        await h.StartAsync();
        var catchUp = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1), maxJump: TimeSpan.FromSeconds(10))).Single();
        await h.StopAsync();

        catchUp.TriggerKind.Should().Be(TriggerKind.CatchUp);
        catchUp.ScheduledFor.Should().Be(Start);
        executions.All.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(MisfirePolicy.RunLatest, 120)]   // beyond the 1-hour starting deadline
    [InlineData(MisfirePolicy.Skip, 0)]
    public async Task MissedOccurrence_IsRecordedAsMissed(MisfirePolicy policy, int minutesLate)
    {
        var executions = new InMemoryExecutionStore();
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "old", ScheduleId = "s1", ScheduledFor = Start.AddDays(-1).AddHours(2), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddDays(-1), Status = ExecutionStatus.Completed,
        });
        await using var h = SchedulerHarness.Create(Start.AddHours(2).AddMinutes(minutesLate).AddSeconds(1), executions: executions);
        h.Schedule(cron: "0 2 * * *", change: s => s with { MisfirePolicy = policy });

        await h.StartAsync();
        var record = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1), maxJump: TimeSpan.Zero)).Single();
        await h.StopAsync();

        record.Status.Should().Be(ExecutionStatus.Missed);
        record.ScheduledFor.Should().Be(Start.AddHours(2));
        h.Submitter.Submissions.Should().BeEmpty();
    }

    [Fact]
    public async Task ManualTrigger_CreatesExactlyOneRecord()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);

        var id = await h.Scheduler.TriggerAsync("s1", "operator asked", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        h.Executions.All.Should().ContainSingle().Which.Id.Should().Be(id);
        execution.Should().Match<ScheduleExecution>(e => e.TriggerKind == TriggerKind.Manual && e.TriggeredBy == "alice" && e.Reason == "operator asked");
        h.Submitter.Submissions.Should().ContainSingle();
    }

    [Fact]
    public async Task ManualTrigger_DisabledOrUnknownSchedule_IsAClearError()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { Enabled = false });

        await FluentActions.Awaiting(() => h.Scheduler.TriggerAsync("s1", "r", "alice")).Should().ThrowAsync<ScheduleDisabledException>()
            .WithMessage("*'s1' is disabled*");
        await FluentActions.Awaiting(() => h.Scheduler.TriggerAsync("nope", "r", "alice")).Should().ThrowAsync<ScheduleNotFoundException>();
        h.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task CrashRecovery_MarksInterruptedAndReattachesItsJobs()
    {
        var executions = new InMemoryExecutionStore();
        await executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "crashed", ScheduleId = "s1", ScheduledFor = Start.AddHours(-1), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
            StartedAt = Start.AddHours(-1), InstanceId = "engine-a",
            VmOutcomes =
            [
                new VmOutcome { ContextId = "c0", VmName = "vm0", GroupId = "g1", Kind = VmOutcomeKind.JobInProgress, JobId = "job-running" },
                new VmOutcome { ContextId = "c1", VmName = "vm1", GroupId = "g1", Kind = VmOutcomeKind.Submitting },
                new VmOutcome { ContextId = "c2", VmName = "vm2", GroupId = "g1", Kind = VmOutcomeKind.Pending },
            ],
        });
        await using var h = SchedulerHarness.Create(Start, executions: executions);
        h.Oma.AddJob("job-running", "vm0", ["replicating", "replicating", "completed"]);
        h.Schedule(cron: "0 12 * * *");
        var slots = (SlotBoard)h.Services.GetService(typeof(SlotBoard))!;

        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => executions.All[0].Reason?.Contains("found running", StringComparison.Ordinal) == true), maxJump: TimeSpan.Zero);
        slots.ForSchedule("s1").Should().Be(1, "the re-attached job still holds its slot");
        executions.All[0].Status.Should().Be(ExecutionStatus.Running, "a recovered execution ends once the jobs it inherited end");
        await h.Clock.RunUntilAsync(WaitUntil(() => executions.All[0].Status == ExecutionStatus.Interrupted), maxJump: TimeSpan.FromSeconds(10));
        await h.StopAsync();

        var recovered = executions.All[0];
        recovered.VmOutcomes.Select(o => o.Kind).Should().Equal(VmOutcomeKind.JobCompleted, VmOutcomeKind.OutcomeUnknown, VmOutcomeKind.Cancelled);
        recovered.Reason.Should().Contain("found running");
        slots.ForSchedule("s1").Should().Be(0);
        h.Submitter.Submissions.Should().BeEmpty("no occurrence runs twice and nothing is resent");
    }

    [Fact]
    public async Task Shutdown_MidExecution_RecordsCancelledAndLeavesJobsToTheAppliance()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = ["replicating"];
        h.Schedule(change: s => s with { MaxConcurrentJobs = 2 });
        h.Group("g1");
        h.Vms("g1", 6);
        await h.StartAsync();
        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Oma.ActiveJobs() == 2), maxJump: TimeSpan.Zero);

        await h.StopAsync();

        var execution = h.Executions.All.Single(e => e.Id == id);
        execution.Status.Should().Be(ExecutionStatus.Cancelled);
        execution.VmOutcomes.Select(o => o.Kind).Should().Equal(
            VmOutcomeKind.JobInProgress, VmOutcomeKind.JobInProgress,
            VmOutcomeKind.Cancelled, VmOutcomeKind.Cancelled, VmOutcomeKind.Cancelled, VmOutcomeKind.Cancelled);
        execution.CreatedJobIds.Should().HaveCount(2);
        execution.CompletedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task ExecutionDeadline_VmsWithoutASlotByTheNextOccurrence_AreNotStarted()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 20), "completed"];   // 200 s per job at 10 s polls: the third cannot start by 00:10
        h.Schedule(cron: "*/5 * * * *", change: s => s with { MaxConcurrentJobs = 1, OverlapPolicy = OverlapPolicy.Skip });
        h.Group("g1");
        h.Vms("g1", 3);
        await h.StartAsync();

        var first = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.ScheduledFor == Start.AddMinutes(5)))).Single();
        await h.StopAsync();

        first.VmOutcomes.Select(o => o.Kind).Should().Equal(VmOutcomeKind.JobCompleted, VmOutcomeKind.JobCompleted, VmOutcomeKind.NotStarted);
        first.VmOutcomes[2].Reason.Should().Contain("deadline");
        first.Status.Should().Be(ExecutionStatus.CompletedWithErrors, "a VM that got no slot before the deadline was not replicated: no success is claimed for it");
        first.Error.Should().Contain("g1-vm02").And.Contain("deadline");
    }

    [Fact]
    public async Task TwoEnginesOnOneStore_NeverRunAnOccurrenceTwice()
    {
        var clock = new TestClock(Start);
        var executions = new InMemoryExecutionStore();
        var store = new InMemoryScheduleStore();
        var oma = new FakeOma(clock);
        await using var a = SchedulerHarness.Create(Start, "engine-a", executions, oma, clock, store);
        await using var b = SchedulerHarness.Create(Start, "engine-b", executions, oma, clock, store);
        a.Schedule(cron: "*/10 * * * *");
        a.Group("g1");
        a.Vms("g1", 2);
        await a.StartAsync();
        await b.StartAsync();

        await clock.RunUntilAsync(WaitUntil(() => executions.All.Count(e => e.IsFinished) >= 12));
        await a.StopAsync();
        await b.StopAsync();

        var finished = executions.All.Where(e => e.IsFinished).ToList();
        finished.GroupBy(e => e.ScheduledFor).Should().OnlyContain(g => g.Count() == 1);
        (a.Submitter.Submissions.Values.Sum() + b.Submitter.Submissions.Values.Sum()).Should().Be(2 * finished.Count(e => e.Status == ExecutionStatus.Completed));
    }

    [Fact]
    public async Task Rpo_BreachIsRaisedOncePerBreach()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "0 * * * *", change: s => s with { RpoTarget = TimeSpan.FromHours(24), RetryAttempts = 0 });
        h.Group("g1");
        h.Vms("g1", 2, change: (i, vm) => vm with { LastCompletedJobAt = i == 0 ? Start.AddDays(-3) : Start.AddHours(-1) });
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent(), FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        await h.StartAsync();

        await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(3));
        await h.StopAsync();

        h.Observer.Breaches.Should().ContainSingle().Which.Should().Match<RpoBreach>(b => b.VmName == "g1-vm00" && b.LastCompletedJobAt == Start.AddDays(-3));
    }

    [Fact]
    public async Task CustomEvaluator_IsTheOneTheSchedulerUses()
    {
        await using var h = SchedulerHarness.Create(Start, configure: b => b.UseScheduleEvaluator<Evaluation.EvaluatorRegistrationTests.EveryFiveMinutesEvaluator>());
        h.Schedule(cron: "this is not cron");
        await h.StartAsync();

        var first = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        first.ScheduledFor.Should().Be(Start.AddMinutes(5));
    }

    [Fact]
    public async Task InvalidStoredSchedule_IsNotRunAndDoesNotStopOthers()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule("bad", cron: "0 0 L * *");
        h.Schedule("good", cron: "*/5 * * * *");
        await h.StartAsync();

        // Under load a second occurrence of "good" can finish before the wait returns: every run is "good"'s.
        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1));
        await h.StopAsync();

        runs.Should().NotBeEmpty().And.OnlyContain(r => r.ScheduleId == "good");
        h.Engine.NextFireTime("bad").Should().BeNull();
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
