using FluentAssertions;
using Xunit;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>The overlap policies on the test clock, on one instance and on two sharing one store.</summary>
public sealed class OverlapPolicyTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(730)]
    public async Task BufferOne_RunsTheOverlappingOccurrenceWhenTheRunningOneEnds_AndSkipsASecondNamingTheBufferedOne(int lateMilliseconds)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(lateMilliseconds);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 70), "completed"]; // about 700 s: outlives two 5-minute periods
        h.Schedule(cron: "*/5 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.BufferOne });
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();

        var done = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1, e => e.ScheduledFor == Start.AddMinutes(10)));
        await h.StopAsync();

        var first = h.Executions.All.Single(e => e.ScheduledFor == Start.AddMinutes(5));
        var buffered = done.Single();
        var skipped = h.Executions.All.Single(e => e.ScheduledFor == Start.AddMinutes(15));
        buffered.BufferedBehind.Should().Be(first.Id);
        buffered.Status.Should().Be(ExecutionStatus.Completed);
        buffered.JobsCompleted.Should().Be(1, "the buffered occurrence was not lost: it ran once");
        buffered.StartedAt.Should().BeOnOrAfter(first.CompletedAt!.Value, "it starts when the running one ends, not before");
        buffered.StartedAt.Should().BeBefore(Start.AddMinutes(20));
        buffered.Reason.Should().Contain($"buffered behind {first.Id}").And.Contain("started when it ended");
        skipped.Status.Should().Be(ExecutionStatus.Skipped);
        skipped.SkipReason.Should().Be(ExecutionSkipReason.Overlap);
        skipped.Reason.Should().Contain($"{buffered.Id} is already buffered behind {first.Id}");
        h.Executions.All.Where(e => e.ScheduledFor <= Start.AddMinutes(15)).Should().HaveCount(3);
        h.Submitter.Submissions.Values.Sum().Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task BufferOne_BehindAnExecutionOfAnotherInstance_StartsWhenTheStoreSaysItEnded()
    {
        var (executions, a, b, running, bufferedId) = await OverlapAcrossInstancesAsync(OverlapPolicy.BufferOne, vms: 1, maxConcurrentJobs: 5);
        await using var _a = a;
        await using var _b = b;
        (await executions.GetAsync(bufferedId))!.Should().Match<ScheduleExecution>(e => e.BufferedBehind == running && e.Status == ExecutionStatus.Running && e.VmOutcomes.Count == 0);

        var buffered = await a.Clock.RunUntilAsync(a.Scheduler.WaitForExecutionAsync(bufferedId));
        var first = (await executions.GetAsync(running))!;
        await a.StopAsync();
        await b.StopAsync();

        first.InstanceId.Should().Be("engine-b");
        buffered.InstanceId.Should().Be("engine-a");
        buffered.StartedAt.Should().BeOnOrAfter(first.CompletedAt!.Value);
        (buffered.StartedAt - first.CompletedAt!.Value).Should().BeLessThanOrEqualTo(OccurrenceUnit.BufferPollMax, "the store is polled, at most this far apart");
        buffered.JobsCompleted.Should().Be(1);
    }

    [Fact]
    public async Task CancelOther_StopsStartingVmsOfTheRunningExecution_RecordsThem_AndStartsTheNewOne()
    {
        await using var h = WithLongJobs(OverlapPolicy.CancelOther, vms: 3, maxConcurrentJobs: 1);

        var old = await h.Scheduler.TriggerAsync("s1", "first", "alice");
        await JobInProgressAsync(h, old);
        var replacing = await h.Scheduler.TriggerAsync("s1", "second", "bob");
        var stopped = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(old));
        var next = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(replacing));

        stopped.VmOutcomes.Select(o => o.Kind).Should().Equal(VmOutcomeKind.JobCompleted, VmOutcomeKind.Cancelled, VmOutcomeKind.Cancelled);
        stopped.VmOutcomes.Skip(1).Should().OnlyContain(o => o.Reason!.Contains(replacing, StringComparison.Ordinal));
        stopped.StopRequestedBy.Should().Be(replacing);
        stopped.Reason.Should().Contain($"execution {replacing} asked it to stop starting VMs");
        (await h.Executions.GetAsync(old))!.StopRequestedBy.Should().Be(replacing, "the store keeps the request past the owner's final write");
        next.Reason.Should().Contain($"replaces {old}");
        next.VmOutcomes.Select(o => o.Kind).Should().Equal(VmOutcomeKind.Skipped, VmOutcomeKind.JobCompleted, VmOutcomeKind.JobCompleted);
        next.VmOutcomes[0].SkipReason.Should().Be(SkipReason.ActiveJob, "the old execution's job was still running when the new one checked: jobs already created continue");
        h.Submitter.Submissions.Values.Sum().Should().Be(3, "every VM was started once: no VM of the old execution started after the request");
    }

    [Fact]
    public async Task CancelOther_TheRunningExecutionOfAnotherInstance_ReadsTheRequestFromTheStore()
    {
        var (_, a, b, old, replacing) = await OverlapAcrossInstancesAsync(OverlapPolicy.CancelOther, vms: 3, maxConcurrentJobs: 1);
        await using var _a = a;
        await using var _b = b;

        var stopped = await a.Clock.RunUntilAsync(b.Scheduler.WaitForExecutionAsync(old));
        var next = await a.Clock.RunUntilAsync(a.Scheduler.WaitForExecutionAsync(replacing));
        await a.StopAsync();
        await b.StopAsync();

        stopped.InstanceId.Should().Be("engine-b");
        stopped.VmOutcomes.Count(o => o.Kind == VmOutcomeKind.Cancelled).Should().Be(2);
        stopped.StopRequestedBy.Should().Be(replacing);
        next.InstanceId.Should().Be("engine-a");
        next.Status.Should().Be(ExecutionStatus.Completed);
    }

    [Fact]
    public async Task Skip_AppliesToManualTriggers_UnlessForced_WhichIsRecorded()
    {
        await using var h = WithLongJobs(OverlapPolicy.Skip, vms: 1);

        var running = await h.Scheduler.TriggerAsync("s1", "first", "alice");
        await JobInProgressAsync(h, running);
        var skipped = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "second", "bob")));
        var forcedId = await h.Scheduler.TriggerAsync("s1", "third", "carol", force: true);
        var forced = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(forcedId));
        var first = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(running));

        skipped.Status.Should().Be(ExecutionStatus.Skipped);
        skipped.SkipReason.Should().Be(ExecutionSkipReason.Overlap);
        skipped.Reason.Should().Contain(running).And.Contain("overlap policy Skip");
        skipped.Forced.Should().BeFalse();
        forced.Forced.Should().BeTrue();
        (await h.Executions.GetAsync(forcedId))!.Forced.Should().BeTrue();
        forced.Status.Should().NotBe(ExecutionStatus.Skipped, "force starts it whatever the policy says");
        forced.VmOutcomes.Should().ContainSingle().Which.SkipReason.Should().Be(SkipReason.ActiveJob, "it ran alongside: the VM's job was still active");
        first.JobsCompleted.Should().Be(1);
    }

    [Fact]
    public async Task AllowAll_ManualTriggersRunAlongside()
    {
        await using var h = WithLongJobs(OverlapPolicy.AllowAll, vms: 1);

        var first = await h.Scheduler.TriggerAsync("s1", "first", "alice");
        await JobInProgressAsync(h, first);
        var second = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "second", "bob")));
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(first));

        second.Status.Should().Be(ExecutionStatus.Completed);
        second.SkipReason.Should().BeNull();
        second.VmOutcomes.Should().ContainSingle().Which.SkipReason.Should().Be(SkipReason.ActiveJob);
        second.Forced.Should().BeFalse();
    }

    [Fact]
    public async Task UnknownPolicyValue_IsRefusedNamingTheSetting()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { OverlapPolicy = (OverlapPolicy)42 });

        var act = () => h.Scheduler.TriggerAsync("s1", "test", "alice");

        (await act.Should().ThrowAsync<InvalidScheduleException>()).Which.Message.Should().Contain("OverlapPolicy 42");
    }

    /// <summary>
    /// Two instances on one store and one clock: instance b runs the first execution (its job in progress), then instance a
    /// triggers the second, which meets the policy against b's record.
    /// </summary>
    private static async Task<(InMemoryExecutionStore Executions, SchedulerHarness A, SchedulerHarness B, string First, string Second)> OverlapAcrossInstancesAsync(OverlapPolicy policy, int vms, int maxConcurrentJobs)
    {
        var clock = new TestClock(Start);
        var executions = new InMemoryExecutionStore();
        var store = new InMemoryScheduleStore();
        var oma = new FakeOma(clock) { Lifecycle = [.. Enumerable.Repeat("replicating", 30), "completed"] };
        var a = SchedulerHarness.Create(Start, "engine-a", executions, oma, clock, store);
        var b = SchedulerHarness.Create(Start, "engine-b", executions, oma, clock, store);
        a.Schedule(cron: "0 2 * * *", change: s => s with { OverlapPolicy = policy, MaxConcurrentJobs = maxConcurrentJobs });
        a.Group("g1");
        a.Vms("g1", vms);
        await a.StartAsync();
        await b.StartAsync();

        var first = await b.Scheduler.TriggerAsync("s1", "first", "alice");
        await JobInProgressAsync(b, first);
        return (executions, a, b, first, await a.Scheduler.TriggerAsync("s1", "second", "bob"));
    }

    /// <summary>Until the execution's first job is created, with the clock held: a moving clock could end the job between two looks.</summary>
    /// <summary>One schedule with the policy over one group, whose jobs stay replicating for 20 polls.</summary>
    private static SchedulerHarness WithLongJobs(OverlapPolicy policy, int vms, int? maxConcurrentJobs = null)
    {
        var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 20), "completed"];
        h.Schedule(change: s => s with { OverlapPolicy = policy, MaxConcurrentJobs = maxConcurrentJobs ?? s.MaxConcurrentJobs });
        h.Group("g1");
        h.Vms("g1", vms);
        return h;
    }

    private static Task JobInProgressAsync(SchedulerHarness h, string executionId) =>
        h.Clock.RunUntilAsync(WaitUntil(() => h.Executions.All.Any(e => e.Id == executionId && e.VmOutcomes.Any(o => o.Kind == VmOutcomeKind.JobInProgress))), maxJump: TimeSpan.Zero);

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
