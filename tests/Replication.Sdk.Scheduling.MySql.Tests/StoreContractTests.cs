using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>What every execution and lease store must do; the same suite runs against the in-memory and the MySQL stores.</summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);

    protected IExecutionStore Executions { get; private set; } = null!;

    protected IInstanceLeaseStore Leases { get; private set; } = null!;

    public async Task InitializeAsync() => (Executions, Leases) = await CreateStoresAsync("s1", "s2");

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Gets why this backend cannot run here (the test skips), or null.</summary>
    protected virtual string? Unavailable => null;

    /// <summary>Creates empty stores in which the named schedules exist.</summary>
    protected abstract Task<(IExecutionStore Executions, IInstanceLeaseStore Leases)> CreateStoresAsync(params string[] scheduleIds);

    [SkippableFact]
    public async Task Create_ThenGet_ReturnsTheSameRecord()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var execution = Execution("e1") with
        {
            Reason = "catch-up of occurrence", InstanceId = "engine-a", TriggerKind = TriggerKind.CatchUp,
            VmOutcomes =
            [
                Outcome("c1", VmOutcomeKind.JobInProgress) with { JobId = "job-1", Attempts = 2, StartedAt = At.AddSeconds(3.25) },
                Outcome("c2", VmOutcomeKind.Skipped) with { SkipReason = SkipReason.VmInFailover, Reason = "in failover" },
                Outcome("c3", VmOutcomeKind.Pending) with
                {
                    Drift = new DriftReport { Changes = [new DriftChange(DriftKind.DiskResized, "disk 0", "100 GiB", "200 GiB"), new DriftChange(DriftKind.NetworkAdded, "nic 1", null, "VLAN-30")] },
                },
            ],
        };

        (await Executions.TryCreateAsync(execution)).Should().BeTrue();

        var stored = await Executions.GetAsync("e1");
        stored.Should().BeEquivalentTo(execution);
        (await Executions.GetAsync("missing")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Occurrence_IsClaimedOnce_UnderConcurrentCreates()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => Executions.TryCreateAsync(Execution($"e{i}") with { InstanceId = $"engine-{i}" }))));

        results.Count(r => r).Should().Be(1);
        var winner = $"e{Array.IndexOf(results, true)}";
        (await Executions.ListAsync("s1", 100)).Select(e => e.Id).Should().Equal(winner);
    }

    [SkippableFact]
    public async Task Occurrence_IsKeyedBySecond_AndBySchedule()
    {
        Skip.If(Unavailable is not null, Unavailable);
        (await Executions.TryCreateAsync(Execution("e1") with { ScheduledFor = At.AddMilliseconds(400) })).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("e2"))).Should().BeFalse("the same schedule and second is the same occurrence");
        (await Executions.TryCreateAsync(Execution("e3") with { ScheduledFor = At.AddSeconds(1) })).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("e4") with { ScheduleId = "s2" })).Should().BeTrue();
        (await Executions.GetAsync("e1"))!.ScheduledFor.Should().Be(At, "scheduled-for is stored at second precision");
    }

    [SkippableFact]
    public async Task Manual_IsNeverAClaim_AndRetryingACreateKeepsIt()
    {
        Skip.If(Unavailable is not null, Unavailable);
        (await Executions.TryCreateAsync(Execution("m1") with { TriggerKind = TriggerKind.Manual })).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("m2") with { TriggerKind = TriggerKind.Manual })).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("e1"))).Should().BeTrue();

        (await Executions.TryCreateAsync(Execution("e1"))).Should().BeTrue("a create re-sent after a lost acknowledgement keeps its claim");
        (await Executions.TryCreateAsync(Execution("m1") with { TriggerKind = TriggerKind.Manual })).Should().BeTrue();
        (await Executions.ListAsync("s1", 100)).Should().HaveCount(3);
        (await Executions.GetLastOccurrenceAsync("s1")).Should().Be(At, "manual executions are not occurrences");
    }

    [SkippableFact]
    public async Task Update_ReplacesTheState_AndAnUnknownExecutionIsAnError()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var execution = Execution("e1") with { VmOutcomes = [Outcome("c1", VmOutcomeKind.Pending), Outcome("c2", VmOutcomeKind.Pending)] };
        await Executions.TryCreateAsync(execution);
        var progressed = execution with { VmOutcomes = [Outcome("c1", VmOutcomeKind.JobInProgress) with { JobId = "job-1" }, execution.VmOutcomes[1]] };
        await Executions.UpdateAsync(progressed);
        var final = progressed with
        {
            Status = ExecutionStatus.CompletedWithErrors, CompletedAt = At.AddMinutes(7.5), Error = "one VM failed",
            VmOutcomes = [progressed.VmOutcomes[0] with { Kind = VmOutcomeKind.JobCompleted, CompletedAt = At.AddMinutes(7) }, Outcome("c2", VmOutcomeKind.CreateFailed) with { Reason = "400 bad request" }],
        };

        await Executions.UpdateAsync(final);
        await Executions.UpdateAsync(final);

        (await Executions.GetAsync("e1")).Should().BeEquivalentTo(final);
        await FluentActions.Awaiting(() => Executions.UpdateAsync(Execution("never"))).Should().ThrowAsync<InvalidOperationException>().WithMessage("*'never' was never created*");
    }

    [SkippableFact]
    public async Task Running_AndLastOccurrence_AndList_ReadWhatWasWritten()
    {
        Skip.If(Unavailable is not null, Unavailable);
        (await Executions.GetLastOccurrenceAsync("s1")).Should().BeNull();
        await Executions.TryCreateAsync(Execution("old") with { ScheduledFor = At.AddDays(-1), Status = ExecutionStatus.Completed, CompletedAt = At.AddDays(-1).AddMinutes(5) });
        await Executions.TryCreateAsync(Execution("missed") with { ScheduledFor = At.AddHours(-12), Status = ExecutionStatus.Missed, CompletedAt = At.AddHours(-11) });
        await Executions.TryCreateAsync(Execution("now"));
        await Executions.TryCreateAsync(Execution("manual") with { TriggerKind = TriggerKind.Manual, ScheduledFor = At.AddHours(1), StartedAt = At.AddHours(1) });
        await Executions.TryCreateAsync(Execution("other") with { ScheduleId = "s2", ScheduledFor = At.AddHours(5) });

        (await Executions.GetRunningAsync()).Select(e => e.Id).Should().BeEquivalentTo("now", "manual", "other");
        (await Executions.GetLastOccurrenceAsync("s1")).Should().Be(At);
        (await Executions.ListAsync("s1", 3)).Select(e => e.Id).Should().Equal("manual", "now", "missed");
        (await Executions.ListAsync("s1", 0)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Leases_AreClaimedOnce_NeverByTheirOwner_AndReleasable()
    {
        Skip.If(Unavailable is not null, Unavailable);
        await Leases.RenewAsync("dead", At);
        await Leases.RenewAsync("live", At.AddMinutes(5));
        await Leases.RenewAsync("gone", At);
        await Leases.ReleaseAsync("gone");

        (await Leases.ClaimExpiredAsync("dead", At.AddMinutes(1))).Should().BeEmpty("an instance never claims itself");
        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Leases.ClaimExpiredAsync($"survivor-{i}", At.AddMinutes(1)))));
        claims.SelectMany(c => c).Should().Equal("dead");

        await Leases.RenewAsync("live", At.AddMinutes(10));
        (await Leases.ClaimExpiredAsync("x", At.AddMinutes(6))).Should().BeEmpty("a renewed lease is extended");
        (await Leases.ClaimExpiredAsync("x", At.AddMinutes(11))).Should().Equal("live");
    }

    protected static ScheduleExecution Execution(string id) => new()
    {
        Id = id, ScheduleId = "s1", ScheduledFor = At, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = At.AddMilliseconds(15),
    };

    protected static VmOutcome Outcome(string context, VmOutcomeKind kind) => new() { ContextId = context, VmName = $"vm-{context}", GroupId = "g1", Kind = kind };
}

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<(IExecutionStore Executions, IInstanceLeaseStore Leases)> CreateStoresAsync(params string[] scheduleIds) =>
        Task.FromResult<(IExecutionStore, IInstanceLeaseStore)>((new InMemoryExecutionStore(), new InMemoryInstanceLeaseStore()));
}
