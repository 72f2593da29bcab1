namespace Replication.Sdk.Scheduling.Tests;

public sealed class ExecutionRecordTests
{
    private static VmOutcome O(VmOutcomeKind kind, SkipReason? reason = null, string? job = null) =>
        new() { ContextId = Guid.NewGuid().ToString(), VmName = "vm", GroupId = "g", Kind = kind, SkipReason = reason, JobId = job };

    [Fact]
    public void Counters_FollowTheOutcomesExactly()
    {
        var execution = new ScheduleExecution
        {
            Id = "e", ScheduleId = "s", ScheduledFor = DateTimeOffset.UnixEpoch, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = DateTimeOffset.UnixEpoch,
            VmOutcomes =
            [
                O(VmOutcomeKind.JobCompleted, job: "j1"), O(VmOutcomeKind.JobCompleted, job: "j2"), O(VmOutcomeKind.JobFailed, job: "j3"),
                O(VmOutcomeKind.JobStale, job: "j4"), O(VmOutcomeKind.CreateFailed), O(VmOutcomeKind.OutcomeUnknown), O(VmOutcomeKind.BlockedByStaleJob, job: "j9"),
                O(VmOutcomeKind.Skipped, SkipReason.VmDisabled), O(VmOutcomeKind.Skipped, SkipReason.ActiveJob), O(VmOutcomeKind.NotStarted), O(VmOutcomeKind.Cancelled),
            ],
        };

        (execution.VmsEligible, execution.JobsCreated, execution.JobsCompleted, execution.JobsFailed, execution.JobsSkipped)
            .Should().Be((9, 4, 2, 5, 4));
        execution.CreatedJobIds.Should().Equal("j1", "j2", "j3", "j4");
        execution.VmOutcomes.Should().OnlyContain(o => (o.IsCreated ? 1 : 0) + (o.IsSkipped ? 1 : 0) + (!o.IsCreated && !o.IsSkipped ? 1 : 0) == 1);
    }

    [Theory]
    [InlineData(new VmOutcomeKind[0], ExecutionStatus.Completed)]
    [InlineData(new[] { VmOutcomeKind.Skipped, VmOutcomeKind.NotStarted }, ExecutionStatus.Failed)]
    [InlineData(new[] { VmOutcomeKind.JobCompleted, VmOutcomeKind.NotStarted }, ExecutionStatus.CompletedWithErrors)]
    [InlineData(new[] { VmOutcomeKind.Skipped, VmOutcomeKind.Cancelled }, ExecutionStatus.Cancelled)]
    [InlineData(new[] { VmOutcomeKind.Cancelled, VmOutcomeKind.Cancelled }, ExecutionStatus.Cancelled)]
    [InlineData(new[] { VmOutcomeKind.JobCompleted, VmOutcomeKind.Cancelled }, ExecutionStatus.Completed)]
    [InlineData(new[] { VmOutcomeKind.JobCompleted, VmOutcomeKind.Skipped }, ExecutionStatus.Completed)]
    [InlineData(new[] { VmOutcomeKind.JobCompleted, VmOutcomeKind.CreateFailed }, ExecutionStatus.CompletedWithErrors)]
    [InlineData(new[] { VmOutcomeKind.JobFailed, VmOutcomeKind.CreateFailed, VmOutcomeKind.Skipped }, ExecutionStatus.Failed)]
    [InlineData(new[] { VmOutcomeKind.OutcomeUnknown }, ExecutionStatus.Failed)]
    public void Status_IsDerivedFromOutcomes(VmOutcomeKind[] kinds, ExecutionStatus expected)
    {
        ScheduleExecution.DeriveStatus([.. kinds.Select(k => O(k))]).Should().Be(expected);
    }

    [Fact]
    public void Status_CheckFailedCountsAsAFailure_OtherSkipsDoNot()
    {
        ScheduleExecution.DeriveStatus([O(VmOutcomeKind.Skipped, SkipReason.CheckFailed), O(VmOutcomeKind.Skipped, SkipReason.CheckFailed)])
            .Should().Be(ExecutionStatus.Failed, "an OMA that could not be reached is no success");
        ScheduleExecution.DeriveStatus([O(VmOutcomeKind.JobCompleted), O(VmOutcomeKind.Skipped, SkipReason.CheckFailed)])
            .Should().Be(ExecutionStatus.CompletedWithErrors);
        ScheduleExecution.DeriveStatus([O(VmOutcomeKind.JobCompleted), O(VmOutcomeKind.Skipped, SkipReason.ActiveJob), O(VmOutcomeKind.Skipped, SkipReason.VmDisabled)])
            .Should().Be(ExecutionStatus.Completed);
    }

    [Fact]
    public async Task InMemoryStore_KeepsABoundedHistory_AndNeverReclaimsATrimmedOccurrence()
    {
        var store = new InMemoryExecutionStore(historyLimit: 3);
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10; i++)
        {
            var e = new ScheduleExecution { Id = $"e{i}", ScheduleId = "s", ScheduledFor = at.AddMinutes(i), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = at.AddMinutes(i) };
            (await store.TryCreateAsync(e)).Should().BeTrue();
            if (i != 4)
            {
                await store.UpdateAsync(e with { Status = ExecutionStatus.Completed, CompletedAt = at.AddMinutes(i) });
            }
        }

        store.All.Select(e => e.Id).Should().BeEquivalentTo(["e4", "e7", "e8", "e9"], "the running one stays, with the 3 newest finished");
        (await store.GetRunningAsync()).Should().ContainSingle().Which.Id.Should().Be("e4");
        (await store.GetLastOccurrenceAsync("s")).Should().Be(at.AddMinutes(9));
        (await store.GetAsync("e0")).Should().BeNull();
        (await store.TryCreateAsync(new ScheduleExecution { Id = "again", ScheduleId = "s", ScheduledFor = at.AddMinutes(2), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = at }))
            .Should().BeFalse("an occurrence as old as a trimmed claim may have run already");
        (await store.TryCreateAsync(new ScheduleExecution { Id = "next", ScheduleId = "s", ScheduledFor = at.AddMinutes(10), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = at }))
            .Should().BeTrue();
        FluentActions.Invoking(() => new InMemoryExecutionStore(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task InMemoryStore_ClaimsEachOccurrenceOnceUnderContention()
    {
        var store = new InMemoryExecutionStore();
        var at = new DateTimeOffset(2025, 1, 1, 2, 0, 0, TimeSpan.Zero);
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => store.TryCreateAsync(new ScheduleExecution
        {
            Id = $"e{i}", ScheduleId = "s", ScheduledFor = at, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = at,
        }))));

        results.Count(r => r).Should().Be(1);
        (await store.TryCreateAsync(new ScheduleExecution { Id = "m", ScheduleId = "s", ScheduledFor = at, TriggerKind = TriggerKind.Manual, TriggeredBy = "a", StartedAt = at }))
            .Should().BeTrue("manual executions are not occurrence claims");
    }

    [Fact]
    public void OccurrenceMath_LatestIsFoundDirectly()
    {
        var schedule = new CronScheduleEvaluator().Parse("*/7 * * * * *", "Europe/London");
        var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2025, 10, 26, 1, 30, 3, TimeSpan.Zero);

        var latest = OccurrenceMath.Latest(schedule, from, until);

        latest.Should().Be(new DateTimeOffset(2025, 10, 26, 1, 30, 0, TimeSpan.Zero));
        schedule.GetNextOccurrence(latest!.Value).Should().BeAfter(until);
        OccurrenceMath.Latest(schedule, until, until).Should().BeNull();
    }
}
