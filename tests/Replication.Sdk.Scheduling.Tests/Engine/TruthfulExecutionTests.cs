using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>Executions never claim a success they did not have, and no failure after a claim leaves a record running.</summary>
public sealed class TruthfulExecutionTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OmaUnreachable_TheExecutionIsFailed_WithAnErrorNamingTheOma()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        foreach (var vm in h.Vms("g1", 3))
        {
            h.Oma.UnreachableFor.Add(vm.VmName);
        }

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.Status.Should().Be(ExecutionStatus.Failed);
        execution.Error.Should().StartWith("the OMA could not be reached").And.Contain("connection refused");
        execution.VmOutcomes.Should().HaveCount(3).And.OnlyContain(o => o.SkipReason == SkipReason.CheckFailed);
        h.Submitter.Submissions.Should().BeEmpty();
    }

    [Fact]
    public async Task SomeVmsFail_TheErrorSaysHowManyAndWhy()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        var vms = h.Vms("g1", 3);
        h.Submitter.Script(vms[1].VmName, FakeSubmitter.Permanent());

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.Status.Should().Be(ExecutionStatus.CompletedWithErrors);
        execution.Error.Should().Be("some VMs did not complete: 1 of 3 failed; first: g1-vm01: 400 Source VM information is required");
    }

    [Fact]
    public async Task ACheckThatCouldNotBeMade_IsMadeAgain_BeforeTheVmIsSkipped()
    {
        // vm00's context read fails twice, then answers; vm01's fails every time.
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        var vms = h.Vms("g1", 2);
        var reads = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        h.Oma.BeforeContextRead = (name, _) => reads.AddOrUpdate(name, 1, (_, n) => n + 1) is var n && (name == vms[1].VmName || n <= 2)
            ? throw new ReplicationTransportException(ApplianceKind.Oma, "GET /api/v1/vm-contexts/{vm_name}", false, new HttpRequestException("connection reset"))
            : Task.CompletedTask;

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Select(o => (o.VmName, o.Kind, o.SkipReason)).Should().Equal(
            (vms[0].VmName, VmOutcomeKind.JobCompleted, (SkipReason?)null),
            (vms[1].VmName, VmOutcomeKind.Skipped, SkipReason.CheckFailed));
        reads[vms[1].VmName].Should().Be(ExecutionRunner.CheckAttempts, "a check is made at most that many times");
    }

    [Fact]
    public async Task AnyExceptionFromOneVmsCheck_IsThatVmsOutcome_TheOthersCarryOn()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        var vms = h.Vms("g1", 4);
        h.Oma.BeforeContextRead = (name, _) => name == vms[1].VmName ? throw new ArgumentException("The value cannot be an empty string. (Parameter 'vmName')")
            : name == vms[2].VmName ? throw new NullReferenceException("boom") : Task.CompletedTask;

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Select(o => (o.VmName, o.Kind, o.SkipReason)).Should().Equal(
            (vms[0].VmName, VmOutcomeKind.JobCompleted, (SkipReason?)null),
            (vms[1].VmName, VmOutcomeKind.Skipped, SkipReason.CheckFailed),
            (vms[2].VmName, VmOutcomeKind.Skipped, SkipReason.CheckFailed),
            (vms[3].VmName, VmOutcomeKind.JobCompleted, null));
        execution.VmOutcomes[1].Reason.Should().Contain("cannot be an empty string");
        execution.Status.Should().Be(ExecutionStatus.CompletedWithErrors);
    }

    [Fact]
    public async Task AVmContextWithoutAName_FailsAlone_WithoutBreakingTheDiscoveryScope()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        var vms = h.Vms("g1", 3, change: (i, vm) => i == 1 ? vm with { VCenterHost = "" } : vm);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes.Should().HaveCount(3);
        execution.VmOutcomes[1].Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Reason == "the VM context has no vCenter host");
        execution.VmOutcomes.Where(o => o.VmName != vms[1].VmName).Should().OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
    }

    [Fact]
    public async Task HostStopsDuringTheChecks_EverySelectedVmHasExactlyOneOutcome()
    {
        await using var h = SchedulerHarness.Create(Start, options: o => o.CheckParallelism = 4);
        h.Schedule();
        h.Group("g1", maxConcurrentVms: 20);
        h.Vms("g1", 10);
        var inFlight = 0;
        h.Oma.BeforeContextRead = async (_, ct) =>
        {
            Interlocked.Increment(ref inFlight);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        };

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        while (Volatile.Read(ref inFlight) < 4)
        {
            await Task.Delay(1);
        }

        await h.StopAsync();
        var execution = await h.Scheduler.WaitForExecutionAsync(id);

        execution.Status.Should().Be(ExecutionStatus.Cancelled);
        execution.VmOutcomes.Should().HaveCount(10).And.OnlyContain(o => o.Kind == VmOutcomeKind.Cancelled && o.Reason == "the host shut down before the VM started");
        execution.VmOutcomes.Select(o => o.ContextId).Should().OnlyHaveUniqueItems();
        h.Executions.All.Single().Should().BeEquivalentTo(execution);
    }

    [Fact]
    public async Task StoreReadFailsAfterTheClaim_TheRecordEndsFailed_AndLaterOccurrencesStillRun()
    {
        var executions = new InMemoryExecutionStore();
        await using var h = SchedulerHarness.CreateFlaky(Start, storeRetryAttempts: 0, out var flaky, executions);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.Skip });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddMinutes(5)), maxJump: TimeSpan.Zero);
        flaky.FailNextReads(1); // the skip-if-running look-up, right after the 00:05 claim

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(3));
        await h.StopAsync();

        runs[0].Should().Match<ScheduleExecution>(e => e.ScheduledFor == Start.AddMinutes(5) && e.Status == ExecutionStatus.Failed && e.Error == "database not up yet");
        runs[0].Reason.Should().Be("the execution failed before it started: database not up yet");
        runs.Skip(1).Should().OnlyContain(e => e.Status == ExecutionStatus.Completed, "the failed record neither stays running nor blocks skip-if-running");
        runs.Select(e => e.ScheduledFor).Should().Equal(Start.AddMinutes(5), Start.AddMinutes(10), Start.AddMinutes(15));
        executions.All.Should().OnlyContain(e => e.IsFinished);
    }

    [Fact]
    public async Task AFinishedRecordWaitingOutAStoreOutage_DoesNotMakeLaterOccurrencesSkip()
    {
        var executions = new InMemoryExecutionStore();
        await using var h = SchedulerHarness.CreateFlaky(Start, storeRetryAttempts: 0, out var flaky, executions);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.Skip });
        h.Group("g1");
        h.Vms("g1", 1);
        flaky.FailUpdateWhen = e => e.ScheduledFor == Start.AddMinutes(5) && e.IsFinished; // its final write cannot land
        await h.StartAsync();

        // Hold the clock before 00:10 until the 00:05 execution has ended and tried its final write.
        h.Clock.Horizon = Start.AddMinutes(10).AddSeconds(-1);
        await h.Clock.RunUntilAsync(WaitUntil(() => flaky.FailedUpdates > 0));
        h.Clock.Horizon = null;
        var second = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(2, e => e.ScheduledFor >= Start.AddMinutes(10))))[0];
        executions.All.Single(e => e.ScheduledFor == Start.AddMinutes(5)).Status.Should().Be(ExecutionStatus.Running, "the store still says running");
        flaky.FailUpdateWhen = null;
        await h.Clock.RunUntilAsync(WaitUntil(() => executions.All.All(e => e.IsFinished)), maxJump: TimeSpan.FromMinutes(1));
        await h.StopAsync();

        second.Should().Match<ScheduleExecution>(e => e.ScheduledFor == Start.AddMinutes(10) && e.Status == ExecutionStatus.Completed,
            "this process knows the 00:05 execution has ended; only its record lags");
        executions.All.Single(e => e.ScheduledFor == Start.AddMinutes(5)).Status.Should().Be(ExecutionStatus.Completed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AStartingDeadlineOfZero_StillFiresOnTime_WhenTheClockWakesLate(int deadlineMilliseconds)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(370);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { StartingDeadline = TimeSpan.FromMilliseconds(deadlineMilliseconds) });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(2));
        await h.StopAsync();

        runs.Should().OnlyContain(e => e.TriggerKind == TriggerKind.Scheduled && e.Status == ExecutionStatus.Completed, "milliseconds of timer latency never make an occurrence missed");
    }

    [Fact]
    public async Task AHostPausedPastSeveralOccurrences_RunsTheCurrentOneOnTime_AndSaysHowManyPassed()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "* * * * *");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddMinutes(1)), maxJump: TimeSpan.Zero);

        h.Clock.Advance(TimeSpan.FromMinutes(6.004)); // a frozen VM resumes 4 ms after 00:06
        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1), maxJump: TimeSpan.FromSeconds(1))).Single();
        await h.StopAsync();

        run.Should().Match<ScheduleExecution>(e => e.ScheduledFor == Start.AddMinutes(6) && e.TriggerKind == TriggerKind.Scheduled && e.Status == ExecutionStatus.Completed);
        run.Reason.Should().StartWith("5 earlier occurrences since 2025-03-07T00:01:00");
    }

    [Fact]
    public async Task AVmContextWithAnEmptyName_FailsAsCreateFailed_WithoutAskingTheOma()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 2, change: (i, vm) => i == 0 ? vm with { VmName = "  " } : vm);
        var asked = new System.Collections.Concurrent.ConcurrentBag<string>();
        h.Oma.BeforeContextRead = (name, _) => { asked.Add(name); return Task.CompletedTask; };

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.VmOutcomes[0].Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Reason == "the VM context has no VM name");
        execution.Error.Should().Contain("first: context ctx-g1-00: the VM context has no VM name");
        asked.Should().NotContain("  ");
    }

    [Fact]
    public async Task ClaimsFailThroughAShortOutage_NothingIsUnscheduled_TheOwedOccurrenceStillRuns()
    {
        var executions = new InMemoryExecutionStore();
        await using var h = SchedulerHarness.CreateFlaky(Start, storeRetryAttempts: 0, out var flaky, executions);
        h.Schedule("a", cron: "*/5 * * * *");
        h.Schedule("b", cron: "*/5 * * * *");
        h.Group("ga", "a");
        h.Group("gb", "b");
        h.Vms("ga", 1);
        h.Vms("gb", 1);
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("b") == Start.AddMinutes(5)), maxJump: TimeSpan.Zero);
        flaky.FailNextCreates(4); // both claims at 00:05, and both first retries

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(4));
        await h.StopAsync();

        flaky.FailedCreates.Should().Be(4);
        runs.Select(e => (e.ScheduleId, e.ScheduledFor, e.TriggerKind)).Should().BeEquivalentTo(
        [
            ("a", Start.AddMinutes(5), TriggerKind.Scheduled), ("b", Start.AddMinutes(5), TriggerKind.Scheduled),
            ("a", Start.AddMinutes(10), TriggerKind.Scheduled), ("b", Start.AddMinutes(10), TriggerKind.Scheduled),
        ], "a failed claim keeps the occurrence owed, and the other schedule due with it is not dropped");
        runs.Where(e => e.ScheduledFor == Start.AddMinutes(5)).Should().OnlyContain(e => e.StartedAt == Start.AddMinutes(6), "two retries 30 s apart");
    }

    [Theory]
    [InlineData(MisfirePolicy.RunLatest, ExecutionStatus.Completed, TriggerKind.CatchUp)]
    [InlineData(MisfirePolicy.Skip, ExecutionStatus.Missed, TriggerKind.Scheduled)]
    public async Task ClaimsFailPastTheNextOccurrence_TheMisfirePolicyDecides(MisfirePolicy policy, ExecutionStatus expected, TriggerKind kind)
    {
        var executions = new InMemoryExecutionStore();
        await using var h = SchedulerHarness.CreateFlaky(Start, storeRetryAttempts: 0, out var flaky, executions);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { MisfirePolicy = policy });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddMinutes(5)), maxJump: TimeSpan.Zero);
        flaky.FailNextCreates(25); // 00:05 through 00:17: retries every 30 s

        var first = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        first.Should().Match<ScheduleExecution>(e => e.ScheduledFor == Start.AddMinutes(15) && e.Status == expected && e.TriggerKind == kind, $"failed {flaky.FailedCreates}");
        h.Engine.NextFireTime("s1").Should().Be(Start.AddMinutes(20), "the schedule is still planned");
    }

    [Theory]
    [InlineData("MaxConcurrentJobs", "MaxConcurrentJobs must be between 1 and 100000 (was 0)")]
    [InlineData("RetryAttempts", "RetryAttempts must be between 0 and 100 (was -1)")]
    [InlineData("RetryDelay", "RetryDelay must be between 0 and 1 day")]
    [InlineData("StartingDeadline", "StartingDeadline must be between 0 and 7 days")]
    [InlineData("RpoTarget", "RpoTarget must be more than 0")]
    [InlineData("MisfirePolicy", "MisfirePolicy 42 is not a known value (RunLatest, Skip)")]
    [InlineData("GroupLimit", "group 'g1': MaxConcurrentVms must be between 1 and 100000 (was 0)")]
    public async Task TriggerAsync_ASettingTheCronPathRefuses_ThrowsATypedError(string setting, string expected)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => setting switch
        {
            "MaxConcurrentJobs" => s with { MaxConcurrentJobs = 0 },
            "RetryAttempts" => s with { RetryAttempts = -1 },
            "RetryDelay" => s with { RetryDelay = TimeSpan.FromSeconds(-1) },
            "StartingDeadline" => s with { StartingDeadline = TimeSpan.FromDays(3650) },
            "RpoTarget" => s with { RpoTarget = TimeSpan.Zero },
            "MisfirePolicy" => s with { MisfirePolicy = (MisfirePolicy)42 },
            _ => s,
        });
        h.Group("g1", maxConcurrentVms: setting == "GroupLimit" ? 0 : 5);
        h.Vms("g1", 1);

        var error = (await FluentActions.Awaiting(() => h.Scheduler.TriggerAsync("s1", "test", "alice")).Should().ThrowAsync<InvalidScheduleException>()).Which;

        error.ScheduleId.Should().Be("s1");
        error.Problems.Should().ContainSingle().Which.Should().Contain(expected);
        h.Executions.All.Should().BeEmpty("nothing was claimed");
    }

    [Fact]
    public async Task CronPath_AGroupWithLimitZero_EndsTheExecutionWithReasons_InsteadOfStalling()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "0 1 * * *");
        h.Group("g0", maxConcurrentVms: 0);
        h.Group("g1", priority: 1);
        h.Vms("g0", 2);
        h.Vms("g1", 1);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).Single();
        await h.StopAsync();

        run.ScheduledFor.Should().Be(Start.AddHours(1));
        run.VmOutcomes.Where(o => o.GroupId == "g0").Should().HaveCount(2).And.OnlyContain(o =>
            o.SkipReason == SkipReason.CheckFailed && o.Reason == "the VM's group cannot run: group 'g0': MaxConcurrentVms must be between 1 and 100000 (was 0)");
        run.VmOutcomes.Single(o => o.GroupId == "g1").Kind.Should().Be(VmOutcomeKind.JobCompleted);
        run.Status.Should().Be(ExecutionStatus.CompletedWithErrors);
    }

    [Fact]
    public async Task ScheduleEditedToAnInvalidRowBeforeTheRun_FailsTheExecutionWithTheProblem_InsteadOfStalling()
    {
        var store = new InMemoryScheduleStore();
        var editing = new EditedOnSecondRead(store, s => s with { MaxConcurrentJobs = 0 });
        await using var h = SchedulerHarness.Create(Start, store: store, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(editing)));
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 2);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        execution.Status.Should().Be(ExecutionStatus.Failed);
        execution.Error.Should().Be("Schedule 's1' cannot run: MaxConcurrentJobs must be between 1 and 100000 (was 0).");
        h.Submitter.Submissions.Should().BeEmpty();
    }

    [Fact]
    public async Task CronPath_AnInvalidScheduleRow_IsNotPlanned_AndAFixedOneIs()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { RetryDelay = TimeSpan.FromDays(-1) });
        await h.StartAsync();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.Held == (0, 0)), maxJump: TimeSpan.Zero);
        h.Engine.NextFireTime("s1").Should().BeNull();

        h.Schedule(cron: "*/5 * * * *");
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == Start.AddMinutes(5)), maxJump: TimeSpan.Zero);
        await h.StopAsync();
    }

    [Fact]
    public async Task WaitForExecutionAsync_UnknownId_ThrowsATypedError()
    {
        await using var h = SchedulerHarness.Create(Start);

        var error = (await FluentActions.Awaiting(() => h.Scheduler.WaitForExecutionAsync("exec-nope")).Should().ThrowAsync<ExecutionNotFoundException>()).Which;

        error.ExecutionId.Should().Be("exec-nope");
        error.Should().BeAssignableTo<ReplicationException>();
    }

    [Fact]
    public async Task WaitForExecutionAsync_OfAnotherInstancesExecution_FollowsTheStoreUntilItEnds()
    {
        var executions = new InMemoryExecutionStore();
        var other = new ScheduleExecution
        {
            Id = "exec-elsewhere", ScheduleId = "s1", ScheduledFor = Start, TriggerKind = TriggerKind.Manual, TriggeredBy = "bob", StartedAt = Start, InstanceId = "engine-b",
        };
        await executions.TryCreateAsync(other);
        await using var h = SchedulerHarness.Create(Start, executions: executions);

        var wait = h.Scheduler.WaitForExecutionAsync(other.Id);
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Clock.GetUtcNow() > Start.AddSeconds(3)), maxJump: TimeSpan.FromSeconds(1));
        wait.IsCompleted.Should().BeFalse();
        await executions.UpdateAsync(other with { Status = ExecutionStatus.Completed, CompletedAt = Start.AddSeconds(4) });
        var final = await h.Clock.RunUntilAsync(wait);

        final.Status.Should().Be(ExecutionStatus.Completed);
    }

    [Fact]
    public async Task ALongRunningHost_HoldsNothingOfFinishedExecutions()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "*/5 * * * *", change: s => s with { MaxConcurrentJobs = 5 });
        h.Group("g1");
        h.Vms("g1", 2);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(40));
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.Held == (0, 0)), maxJump: TimeSpan.Zero);
        await h.StopAsync();

        runs.Should().HaveCount(40).And.OnlyContain(e => e.Status == ExecutionStatus.Completed);
    }

    /// <summary>A schedule store whose second read of a schedule returns an edited row, as if someone changed it meanwhile.</summary>
    private sealed class EditedOnSecondRead(InMemoryScheduleStore inner, Func<ReplicationSchedule, ReplicationSchedule> edit) : IScheduleStore
    {
        private int _reads;

        public async Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
        {
            var schedule = await inner.GetScheduleAsync(scheduleId, cancellationToken);
            return schedule is not null && Interlocked.Increment(ref _reads) >= 2 ? edit(schedule) : schedule;
        }

        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => inner.GetSchedulesAsync(cancellationToken);

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetGroupsAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => inner.GetMembershipsAsync(groupIds, cancellationToken);

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => inner.GetVmContextsAsync(contextIds, cancellationToken);

        public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => inner.GetChangeToken();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
