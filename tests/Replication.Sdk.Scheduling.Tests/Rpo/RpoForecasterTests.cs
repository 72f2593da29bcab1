using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Primitives;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The forecaster over the stores: its inputs (history, last completions, running jobs) and its refusals.</summary>
public sealed class RpoForecasterTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 25, 22, 0, 0, 700, TimeSpan.Zero);

    private static SchedulerHarness Create(Func<ReplicationSchedule, ReplicationSchedule>? change = null, int vms = 2)
    {
        var h = SchedulerHarness.Create(Start, options: o => o.RpoMargin = TimeSpan.FromMinutes(10));
        h.Schedule(cron: "", change: s => (change ?? (x => x))(s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 1 }));
        h.Group("g1");
        h.Vms("g1", vms, change: (i, vm) => vm with { LastCompletedJobAt = Start.AddHours(-i) });
        return h;
    }

    private static IRpoForecaster Forecaster(SchedulerHarness h) => h.Services.GetRequiredService<IRpoForecaster>();

    private static async Task RecordAsync(SchedulerHarness h, string contextId, DateTimeOffset started, TimeSpan took, VmOutcomeKind kind = VmOutcomeKind.JobCompleted)
    {
        var execution = new ScheduleExecution
        {
            Id = $"exec-{Guid.NewGuid():N}", ScheduleId = "s1", ScheduledFor = started, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = started,
            VmOutcomes = [new VmOutcome { ContextId = contextId, VmName = contextId, GroupId = "g1", Kind = kind, StartedAt = started, CompletedAt = kind == VmOutcomeKind.JobInProgress ? null : started + took }],
        };
        (await h.Executions.TryCreateAsync(execution)).Should().BeTrue();
        if (kind != VmOutcomeKind.JobInProgress)
        {
            await h.Executions.UpdateAsync(execution with { Status = ExecutionStatus.Completed, CompletedAt = started + took });
        }
    }

    [Fact]
    public async Task Forecast_PredictsFromTheVmsCompletedJobs_AndTakesTheirNewestCompletion()
    {
        await using var h = Create();
        await RecordAsync(h, "ctx-g1-00", Start.AddHours(-30), TimeSpan.FromMinutes(60));
        await RecordAsync(h, "ctx-g1-00", Start.AddHours(-20), TimeSpan.FromMinutes(120));
        await RecordAsync(h, "ctx-g1-00", Start.AddHours(-10), TimeSpan.FromMinutes(30));
        await RecordAsync(h, "ctx-g1-00", Start.AddHours(-5), TimeSpan.FromMinutes(30), VmOutcomeKind.JobFailed);

        var forecast = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));

        forecast.Vms.Select(v => (v.ContextId, v.PredictedDuration, v.FromHistory)).Should().Equal(
            ("ctx-g1-00", TimeSpan.FromMinutes(63.6), true),
            ("ctx-g1-01", TimeSpan.FromHours(1), false));
        forecast.From.Should().Be(Start);
        forecast.Groups.Should().ContainSingle().Which.GroupId.Should().Be("g1");
    }

    [Fact]
    public async Task Forecast_ARunningJob_HoldsTheSlotAtTheStart()
    {
        await using var h = Create(vms: 1);
        await RecordAsync(h, "ctx-g1-00", Start.AddMinutes(-5), TimeSpan.Zero, VmOutcomeKind.JobInProgress);

        var forecast = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromHours(2));

        // Taken to end a predicted hour after now; nothing else starts in two hours.
        forecast.Vms.Single().Jobs.Should().Be(0);
        forecast.Vms.Single().WorstAge.Should().Be(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Forecast_UnknownSchedule_Throws()
    {
        await using var h = Create();
        await FluentActions.Awaiting(() => Forecaster(h).ForecastAsync("nope", TimeSpan.FromDays(1))).Should().ThrowAsync<ScheduleNotFoundException>();
    }

    [Fact]
    public async Task Forecast_NoTarget_IsAnInvalidSchedule()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "0 2 * * *");

        var error = await FluentActions.Awaiting(() => Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1))).Should().ThrowAsync<InvalidScheduleException>();
        error.Which.Problems.Should().Equal("the schedule has no RpoTarget to forecast");
    }

    [Fact]
    public async Task Forecast_CronScheduleWithATarget_StartsAtItsOwnOccurrences()
    {
        // Every 2 hours, one slot, 1-hour jobs: vm00 at each even hour, vm01 after it. vm01's replica (1 h old) waits
        // for 02:00 — 5 hours — where the planner of an RPO schedule would have started it in time.
        await using var h = Create(s => s with { Kind = ScheduleKind.Cron, CronExpression = "0 */2 * * *" });

        var cron = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));
        h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 1 });
        var rpo = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));

        var midnight = new DateTimeOffset(2025, 10, 26, 0, 0, 0, TimeSpan.Zero);
        cron.Vms.Select(v => (v.NextStartAt, v.Jobs, v.WorstAge, v.Attainable)).Should().Equal(
            (midnight, 12, midnight.AddHours(1) - Start, true),
            (midnight.AddHours(1), 11, midnight.AddHours(2) - Start.AddHours(-1), false));
        cron.Attainable.Should().BeFalse();
        rpo.Attainable.Should().BeTrue("the same VMs and limits meet R when the planner chooses the starts");
    }

    [Fact]
    public async Task Forecast_CronSchedule_VmsWithoutASlotByTheNextOccurrence_AreNotStarted()
    {
        // Hourly, one slot, 1-hour jobs: each execution's deadline (the next occurrence) comes when vm00's job ends, so
        // the VMs after it in selection order never start — as in the engine.
        await using var h = Create(s => s with { Kind = ScheduleKind.Cron, CronExpression = "0 * * * *" }, vms: 3);

        var forecast = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));

        forecast.Vms.Select(v => v.Jobs).Should().Equal(24, 0, 0);
        forecast.Vms.Skip(1).Should().OnlyContain(v => !v.Attainable && v.NextStartAt == null && v.WorstAge > TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Forecast_CronSchedule_OccurrencesOutsideTheWindow_AreSkipped()
    {
        await using var h = Create(s => s with { Kind = ScheduleKind.Cron, CronExpression = "0 * * * *", Window = ReplicationWindow.Parse("Mon-Sun 00:00-06:00") }, vms: 1);

        var vm = (await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1))).Vms.Single();

        // 00:00 to 05:00 start; the job of 05:00 ends at 06:00; then nothing until 00:00 the next day.
        vm.Jobs.Should().Be(6);
        vm.NextStartAt.Should().Be(new DateTimeOffset(2025, 10, 26, 0, 0, 0, TimeSpan.Zero));
        vm.WorstAge.Should().Be(new DateTimeOffset(2025, 10, 26, 22, 0, 0, 700, TimeSpan.Zero) - new DateTimeOffset(2025, 10, 26, 6, 0, 0, TimeSpan.Zero));
        vm.Attainable.Should().BeFalse();
    }

    [Fact]
    public async Task Forecast_CronScheduleWithABadExpression_IsAnInvalidSchedule()
    {
        await using var h = Create(s => s with { Kind = ScheduleKind.Cron, CronExpression = "0 99 * * *" });

        var error = await FluentActions.Awaiting(() => Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1))).Should().ThrowAsync<InvalidScheduleException>();
        error.Which.Problems.Should().ContainSingle();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(31 * 24 * 60 + 1)]
    public async Task Forecast_HorizonOutOfRange_Throws(int minutes)
    {
        await using var h = Create();
        await FluentActions.Awaiting(() => Forecaster(h).ForecastAsync("s1", TimeSpan.FromMinutes(minutes))).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task GetStatus_SaysBreached_AtRisk_OrMeeting_WithAgeAndPredictedNextStart()
    {
        // One slot, 1-hour jobs (no history), R = 4 h: vm00 is past R; vm01 is within R but waits an hour behind vm00 and
        // breaches. Alone on its schedule, a VM an hour old meets R.
        await using var h = Create(vms: 0);
        h.Vms("g1", 2, change: (i, vm) => vm with { LastCompletedJobAt = Start - (i == 0 ? TimeSpan.FromHours(5) : TimeSpan.FromMinutes(230)) });
        h.Schedule(id: "s2", cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 1 });
        h.Group("g2", scheduleId: "s2");
        h.Vms("g2", 1, change: (_, vm) => vm with { LastCompletedJobAt = Start.AddHours(-1) });

        var status = (await Forecaster(h).GetStatusAsync("s1")).ToDictionary(s => s.ContextId);
        var alone = (await Forecaster(h).GetStatusAsync("s2")).Single();

        status["ctx-g1-00"].Should().Match<RpoStatus>(s => s.State == RpoState.Breached && s.Age == TimeSpan.FromHours(5) && s.PredictedNextStartAt == new DateTimeOffset(2025, 10, 25, 22, 0, 30, TimeSpan.Zero));
        status["ctx-g1-01"].Should().Match<RpoStatus>(s => s.State == RpoState.AtRisk && s.ForecastWorstAge > TimeSpan.FromHours(4) && s.PredictedNextStartAt == new DateTimeOffset(2025, 10, 25, 23, 0, 30, TimeSpan.Zero));
        alone.Should().Match<RpoStatus>(s => s.State == RpoState.Meeting && s.Age == TimeSpan.FromHours(1) && s.LastCompletedJobAt == Start.AddHours(-1) && s.ForecastWorstAge <= TimeSpan.FromHours(4));

        // Past compliance from the completions known: vm00's only known completion is 5 h old, 4 h of which were within R.
        status["ctx-g1-00"].CompliancePercent24h.Should().BeApproximately(80, 1e-6);
        alone.CompliancePercent7d.Should().Be(100);
    }

    [Fact]
    public async Task Inputs_TakeTheCompletionsThisProcessSaw_BeyondTheStoreAndTheHistoryRead()
    {
        await using var h = Create();
        var schedule = (await h.Store.GetScheduleAsync("s1"))!;
        var settings = RpoSettings.For(TimeSpan.FromHours(4));
        var tracker = h.Services.GetRequiredService<RpoTracker>();
        await tracker.CompletedAsync("s1", "ctx-g1-01", Start.AddMinutes(-3), default);

        var with = await RpoInputs.ReadAsync(h.Store, h.Executions, schedule, settings, new HashSet<string>(), tracker, default);
        var without = await RpoInputs.ReadAsync(h.Store, h.Executions, schedule, settings, new HashSet<string>(), null, default);

        with.Vms[1].Rpo.LastCompleted.Should().Be(Start.AddMinutes(-3));
        without.Vms[1].Rpo.LastCompleted.Should().Be(Start.AddHours(-1), "the schedule store's own value");
        (await Forecaster(h).GetStatusAsync("s1"))[1].LastCompletedJobAt.Should().Be(Start.AddMinutes(-3));
    }

    [Fact]
    public async Task IdenticalForecastsInFlight_ShareOneComputation_AsDoesTheStatusOfTheSameDay()
    {
        GatedStore? gated = null;
        await using var h = SchedulerHarness.Create(Start, options: o => o.RpoMargin = TimeSpan.FromMinutes(10),
            configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(sp => gated = new GatedStore(sp.GetRequiredService<InMemoryScheduleStore>()))));
        h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 1 });
        h.Group("g1");
        h.Vms("g1", 2);
        var forecaster = Forecaster(h);

        // The first request holds at its first store read; the others arrive while it does.
        var first = forecaster.ForecastAsync("s1", TimeSpan.FromDays(1));
        var second = forecaster.ForecastAsync("s1", TimeSpan.FromDays(1));
        var status = forecaster.GetStatusAsync("s1");

        gated!.Reads.Should().Be(1, "the identical requests joined the first");
        gated.Open.SetResult();
        (await second).Should().BeSameAs(await first);
        (await status).Should().HaveCount(2);
        gated.Reads.Should().Be(1);
        ((RpoForecaster)forecaster).Gate.Concurrency.Should().Be(RpoConstants.MaxConcurrentForecasts).And.BeInRange(1, 2);
    }

    /// <summary>A schedule store whose schedule reads wait until the test opens it, counting them.</summary>
    private sealed class GatedStore(IScheduleStore inner) : IScheduleStore
    {
        private int _reads;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => Volatile.Read(ref _reads);

        public async Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            await Open.Task.WaitAsync(cancellationToken);
            return await inner.GetScheduleAsync(scheduleId, cancellationToken);
        }

        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => inner.GetSchedulesAsync(cancellationToken);

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetGroupsAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => inner.GetMembershipsAsync(groupIds, cancellationToken);

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => inner.GetVmContextsAsync(contextIds, cancellationToken);

        public IChangeToken GetChangeToken() => inner.GetChangeToken();
    }
}
