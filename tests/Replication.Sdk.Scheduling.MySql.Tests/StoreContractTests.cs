using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>What every execution and lease store must do; the same suite runs against the in-memory and the MySQL stores.</summary>
public abstract partial class StoreContractTests : IAsyncLifetime
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
    public async Task SkipReason_IsKeptOnCreateAndOnUpdate()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var skipped = Execution("e1") with { Status = ExecutionStatus.Skipped, SkipReason = ExecutionSkipReason.Blackout, Reason = "blackout: storage migration", CompletedAt = At };
        (await Executions.TryCreateAsync(skipped)).Should().BeTrue();
        (await Executions.GetAsync("e1"))!.SkipReason.Should().Be(ExecutionSkipReason.Blackout);

        var running = Execution("e2") with { ScheduledFor = At.AddHours(1) };
        await Executions.TryCreateAsync(running);
        await Executions.UpdateAsync(running with { Status = ExecutionStatus.Skipped, SkipReason = ExecutionSkipReason.Overlap, CompletedAt = At.AddHours(1) });
        (await Executions.GetAsync("e2"))!.SkipReason.Should().Be(ExecutionSkipReason.Overlap);
        (await Executions.ListAsync("s1", 10)).Select(e => e.SkipReason).Should().Equal(ExecutionSkipReason.Overlap, ExecutionSkipReason.Blackout);
    }

    [SkippableFact]
    public async Task Forced_BufferedBehind_AndTheBackfillKind_AreKept_AndABackfillIsAClaim()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var forced = Execution("m1") with { TriggerKind = TriggerKind.Manual, Forced = true };
        (await Executions.TryCreateAsync(forced)).Should().BeTrue();
        (await Executions.GetAsync("m1"))!.Forced.Should().BeTrue();

        var backfill = Execution("b1") with { TriggerKind = TriggerKind.Backfill, ScheduledFor = At.AddHours(-3), BufferedBehind = "b0" };
        (await Executions.TryCreateAsync(backfill)).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("b2") with { TriggerKind = TriggerKind.Backfill, ScheduledFor = At.AddHours(-3) })).Should().BeFalse("a backfill claims its occurrence");
        (await Executions.TryCreateAsync(Execution("e1") with { ScheduledFor = At.AddHours(-3) })).Should().BeFalse("the occurrence a backfill ran is not run again");
        (await Executions.GetAsync("b1")).Should().BeEquivalentTo(backfill);

        // A buffered execution starts later: its start and what it waited for are written by the update.
        var started = backfill with { StartedAt = At.AddHours(-1).AddSeconds(0.5), BufferedBehind = "e0" };
        await Executions.UpdateAsync(started);
        (await Executions.GetAsync("b1")).Should().BeEquivalentTo(started);
        (await Executions.GetAsync("m1"))!.Forced.Should().BeTrue();
        (await Executions.ListAsync("s1", 10)).Single(e => e.Id == "b1").TriggerKind.Should().Be(TriggerKind.Backfill);
    }

    [SkippableFact]
    public async Task StopRequest_IsRecordedOnARunningExecution_KeepsTheFirst_AndSurvivesTheOwnersWrites()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var lease = await AcquireAsync("engine-a", At.AddHours(1));
        var running = Execution("e1") with { InstanceId = "engine-a", LeaseToken = lease.Token, StopRequestedBy = "ignored-on-create" };
        await Executions.TryCreateAsync(running);
        (await Executions.GetStopRequestAsync("e1")).Should().BeNull("a request is the store's to record, never the creator's");

        (await Executions.RequestStopAsync("e1", "e2")).Should().BeTrue("any instance may ask, without the record's lease");
        (await Executions.RequestStopAsync("e1", "e3")).Should().BeTrue();
        (await Executions.GetStopRequestAsync("e1")).Should().Be("e2", "the first request is kept");

        await Executions.UpdateAsync(running with { StopRequestedBy = null, VmOutcomes = [Outcome("c1", VmOutcomeKind.JobInProgress)] });
        (await Executions.GetStopRequestAsync("e1")).Should().Be("e2", "the owner's progress write does not clear it");
        await Executions.UpdateAsync(running with { StopRequestedBy = null, Status = ExecutionStatus.Completed, CompletedAt = At.AddMinutes(3) });
        (await Executions.GetAsync("e1"))!.StopRequestedBy.Should().Be("e2");

        (await Executions.RequestStopAsync("e1", "e4")).Should().BeFalse("an ended execution cannot be stopped");
        (await Executions.RequestStopAsync("missing", "e4")).Should().BeFalse();
        (await Executions.GetStopRequestAsync("missing")).Should().BeNull();
        await FluentActions.Awaiting(() => Executions.RequestStopAsync("e1", " ")).Should().ThrowAsync<ArgumentException>();
    }

    [SkippableFact]
    public async Task WindowOutcomes_RoundTrip_WithTheirCounters()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var running = Execution("e1") with { Reason = "deferred: occurrence is outside the replication window 'Mon-Sun 03:00-05:00' (UTC)" };
        (await Executions.TryCreateAsync(running)).Should().BeTrue();
        var final = running with
        {
            Status = ExecutionStatus.CompletedWithErrors, CompletedAt = At.AddHours(1),
            VmOutcomes =
            [
                Outcome("c1", VmOutcomeKind.JobCompleted) with { JobId = "job-1", Attempts = 1, StartedAt = At.AddSeconds(1), CompletedAt = At.AddMinutes(70) },
                Outcome("c2", VmOutcomeKind.NotStartedWindowClosed) with { Reason = "the replication window 'Mon-Sun 03:00-05:00' (UTC) closed at 2025-06-01T05:00:00.0000000+00:00 before the VM started", CompletedAt = At.AddHours(1) },
            ],
        };
        await Executions.UpdateAsync(final);

        var stored = await Executions.GetAsync("e1");
        stored.Should().BeEquivalentTo(final);
        stored!.JobsSkipped.Should().Be(1);
        stored.JobsFailed.Should().Be(0);
        stored.VmsEligible.Should().Be(2);
        ScheduleExecution.DeriveStatus(stored.VmOutcomes).Should().Be(ExecutionStatus.CompletedWithErrors, "a VM the window closed on counts as attempted and not completed");
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
        var dead = await AcquireAsync("dead", At);
        var live = await AcquireAsync("live", At.AddMinutes(5));
        var gone = await AcquireAsync("gone", At);
        await Leases.ReleaseAsync(gone);
        var survivors = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => AcquireAsync($"survivor-{i}", At.AddMinutes(30))));

        await FluentActions.Awaiting(() => Leases.ClaimExpiredAsync(dead, At.AddMinutes(1))).Should().ThrowAsync<LeaseLostException>("an expired instance claims nothing, itself included");
        var claims = await Task.WhenAll(survivors.Select(s => Task.Run(() => Leases.ClaimExpiredAsync(s, At.AddMinutes(1)))));
        claims.SelectMany(c => c).Should().Equal(dead);

        (await Leases.RenewAsync(live, At.AddMinutes(10))).Should().BeTrue();
        (await Leases.ClaimExpiredAsync(survivors[0], At.AddMinutes(6))).Should().BeEmpty("a renewed lease is extended");
        (await Leases.ClaimExpiredAsync(survivors[0], At.AddMinutes(11))).Should().Equal(live);
    }

    [SkippableFact]
    public async Task Leases_AreFenced_ByTheTokenOfEachAcquisition()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var first = await AcquireAsync("a", At.AddMinutes(2));
        var survivor = await AcquireAsync("b", At.AddMinutes(30));

        var held = await Leases.TryAcquireAsync("a", At.AddMinutes(1), At.AddMinutes(3));
        held.Lease.Should().BeNull("a live lease of the same id is not handed out twice");
        held.HeldUntil.Should().Be(At.AddMinutes(2));

        (await Leases.ClaimExpiredAsync(survivor, At.AddMinutes(3))).Should().Equal(first);
        (await Leases.RenewAsync(first, At.AddMinutes(5))).Should().BeFalse("a resumed holder learns that its lease was taken over");
        await FluentActions.Awaiting(() => Leases.ClaimExpiredAsync(first, At.AddMinutes(4))).Should().ThrowAsync<LeaseLostException>("a lost lease claims nothing");

        var expired = await AcquireAsync("expired", At.AddMinutes(1));
        await FluentActions.Awaiting(() => Leases.ClaimExpiredAsync(expired, At.AddMinutes(3))).Should().ThrowAsync<LeaseLostException>("a claimant whose own lease expired may itself be the one taken over");

        var second = await AcquireAsync("a", At.AddMinutes(6));
        second.Token.Should().NotBe(first.Token);
        (await Leases.RenewAsync(first, At.AddMinutes(7))).Should().BeFalse("an old acquisition stays fenced after the id is acquired again");
        await Leases.ReleaseAsync(first);
        (await Leases.RenewAsync(second, At.AddMinutes(8))).Should().BeTrue("releasing an old acquisition does not release the new one");

        // An expired lease nobody claimed is taken with a new token by the next start of the same id.
        var third = await Leases.TryAcquireAsync("a", At.AddMinutes(9), At.AddMinutes(12));
        third.Lease.Should().NotBeNull();
        (await Leases.RenewAsync(second, At.AddMinutes(13))).Should().BeFalse();
    }

    [SkippableFact]
    public async Task ExecutionWrites_AreFenced_ByTheRecordsLeaseToken()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var a = await AcquireAsync("a", At.AddMinutes(2));
        var b = await AcquireAsync("b", At.AddMinutes(30));
        var created = Execution("e1") with { InstanceId = "a", LeaseToken = a.Token, VmOutcomes = [Outcome("c1", VmOutcomeKind.Submitting)] };
        (await Executions.TryCreateAsync(created)).Should().BeTrue();
        await Executions.UpdateAsync(created with { VmOutcomes = [Outcome("c1", VmOutcomeKind.JobInProgress) with { JobId = "job-1" }] });

        (await Leases.ClaimExpiredAsync(b, At.AddMinutes(3))).Should().Equal(a);
        var interrupted = (await Executions.GetAsync("e1"))! with
        {
            Status = ExecutionStatus.Interrupted, CompletedAt = At.AddMinutes(3), Reason = "taken over", InstanceId = "b", LeaseToken = b.Token,
        };
        var wins = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Executions.TryTakeOverAsync(interrupted, a.Token))));
        wins.Should().AllSatisfy(w => w.Should().BeTrue("the same replacement is idempotent, as a retry after a lost acknowledgement is"));
        (await Executions.TryTakeOverAsync(interrupted with { Reason = "a second claimant" }, a.Token)).Should().BeTrue("the record already carries this token");
        var c = await AcquireAsync("c", At.AddMinutes(30));
        (await Executions.TryTakeOverAsync(interrupted with { LeaseToken = c.Token, InstanceId = "c" }, a.Token)).Should().BeFalse("the record is no longer a's");

        // The resumed instance a writes nothing more.
        var stale = created with { Status = ExecutionStatus.Completed, CompletedAt = At.AddMinutes(4), VmOutcomes = [Outcome("c1", VmOutcomeKind.JobCompleted) with { JobId = "job-1" }] };
        await FluentActions.Awaiting(() => Executions.UpdateAsync(stale)).Should().ThrowAsync<LeaseLostException>();
        var stored = await Executions.GetAsync("e1");
        stored!.Status.Should().Be(ExecutionStatus.Interrupted);
        stored.InstanceId.Should().Be("b");
        stored.LeaseToken.Should().Be(b.Token);
        stored.Reason.Should().Be("taken over");
        stored.VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobInProgress);

        // The new owner goes on writing.
        await Executions.UpdateAsync(stored with { VmOutcomes = [stored.VmOutcomes[0] with { Kind = VmOutcomeKind.JobCompleted }] });
        (await Executions.GetAsync("e1"))!.VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobCompleted);
    }

    [SkippableFact]
    public async Task Create_UnderALeaseThatWasTakenOver_IsRefused()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var a = await AcquireAsync("a", At.AddMinutes(2));
        var b = await AcquireAsync("b", At.AddMinutes(30));
        (await Leases.ClaimExpiredAsync(b, At.AddMinutes(3))).Should().Equal(a);

        var late = Execution("late") with { InstanceId = "a", LeaseToken = a.Token };
        await FluentActions.Awaiting(() => Executions.TryCreateAsync(late)).Should().ThrowAsync<LeaseLostException>();
        (await Executions.GetAsync("late")).Should().BeNull();
        (await Executions.TryCreateAsync(late with { Id = "by-b", InstanceId = "b", LeaseToken = b.Token })).Should().BeTrue("the occurrence is still free for a live lease");
    }

    [SkippableFact]
    public async Task RecordsWithoutAToken_BelongToTheirInstance()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var legacy = Execution("old") with { InstanceId = "a" };
        (await Executions.TryCreateAsync(legacy)).Should().BeTrue();
        await FluentActions.Awaiting(() => Executions.UpdateAsync(legacy with { InstanceId = "z", LeaseToken = "z-token" })).Should().ThrowAsync<LeaseLostException>();
        var b = await AcquireAsync("b", At.AddMinutes(30));
        (await Executions.TryTakeOverAsync(legacy with { Status = ExecutionStatus.Interrupted, CompletedAt = At, InstanceId = "b", LeaseToken = b.Token }, expectedLeaseToken: null)).Should().BeTrue();
        (await Executions.GetAsync("old"))!.LeaseToken.Should().Be(b.Token);
    }

    private async Task<InstanceLeaseToken> AcquireAsync(string instanceId, DateTimeOffset expiresAt)
    {
        var acquired = await Leases.TryAcquireAsync(instanceId, At.AddHours(-1), expiresAt);
        return acquired.Lease ?? throw new InvalidOperationException($"lease {instanceId} is held");
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
        Task.FromResult<(IExecutionStore, IInstanceLeaseStore)>(Linked(new InMemoryInstanceLeaseStore()));

    private static (IExecutionStore, IInstanceLeaseStore) Linked(InMemoryInstanceLeaseStore leases) => (new InMemoryExecutionStore(InMemoryExecutionStore.DefaultHistoryLimit, leases), leases);
}
