using Xunit.Abstractions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>
/// RPO schedules through the engine on the test clock: the planner starts VMs as they fall due, within the limits, and
/// the forecast — the same planner on a simulated clock — predicts the ages the engine then produces.
/// </summary>
public sealed class RpoEngineTests(ITestOutputHelper output)
{
    // A Saturday, off the planning grid by a fraction of a second.
    private static readonly DateTimeOffset Start = new(2025, 3, 29, 20, 0, 0, 400, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Job = TimeSpan.FromMinutes(29);

    /// <summary>
    /// Four VMs, one slot, 29-minute jobs (the fake OMA's job ends on the tracker's 29th read, a minute apart), R = 3 h. A
    /// job started on a planning instant ends between two, so which of the two timers of one instant runs first never matters.
    /// </summary>
    private static SchedulerHarness Create(Func<ReplicationSchedule, ReplicationSchedule>? change = null)
    {
        var h = SchedulerHarness.Create(Start, staleJobThreshold: TimeSpan.FromHours(6), configure: b => b.Services.AddMetrics(), options: o =>
        {
            o.JobPollInterval = Poll;
            o.JobPollMaxInterval = Poll;
            o.RpoPlanningInterval = Tick;
            o.RpoMargin = TimeSpan.FromMinutes(10);
            o.RpoDurationWithoutHistory = Job;
        });
        h.Clock.Guard = TimeSpan.FromMinutes(3);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 28), "completed"];
        h.Schedule(cron: "", zone: "Europe/Berlin", change: s => (change ?? (x => x))(s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(3), MaxConcurrentJobs = 1 }));
        h.Group("g1");
        h.Vms("g1", 4, change: (i, vm) => vm with { LastCompletedJobAt = Start - TimeSpan.FromMinutes(40 * i) });
        return h;
    }

    /// <summary>
    /// The target: the forecast within 10 % of what the engine does. On a loaded machine the test clock may move on
    /// while a job tracker records a completion, which dates it a timer later; the planner's own decisions are exact.
    /// </summary>
    private static TimeSpan Tolerance(TimeSpan forecast) => forecast / 10;

    private static List<DateTimeOffset> Completions(SchedulerHarness h, string contextId) =>
        [.. h.Executions.All.SelectMany(e => e.VmOutcomes).Where(o => o.ContextId == contextId && o.Kind == VmOutcomeKind.JobCompleted).Select(o => o.CompletedAt!.Value)];

    /// <summary>Each VM's worst age over [from, until) from its completed outcomes, as the forecast counts it.</summary>
    private static Dictionary<string, TimeSpan> WorstAges(SchedulerHarness h, DateTimeOffset from, DateTimeOffset until)
    {
        var completions = h.Executions.All.SelectMany(e => e.VmOutcomes).Where(o => o.Kind == VmOutcomeKind.JobCompleted && o.CompletedAt <= until)
            .GroupBy(o => o.ContextId).ToDictionary(g => g.Key, g => g.Select(o => o.CompletedAt!.Value).Order().ToList());
        return h.Store.GetVmContextsAsync([.. completions.Keys]).Result.ToDictionary(vm => vm.ContextId, vm =>
        {
            var last = vm.LastCompletedJobAt!.Value;
            var worst = TimeSpan.Zero;
            foreach (var at in completions[vm.ContextId].Append(until))
            {
                worst = at - last > worst ? at - last : worst;
                last = at;
            }

            return worst;
        });
    }

    [Fact]
    public async Task Engine_StartsEachVmWhenDue_OneAtATime_AndTheForecastPredictsItsWorstAges()
    {
        await using var h = Create();
        var horizon = TimeSpan.FromHours(8);
        var forecast = await h.Services.GetRequiredService<IRpoForecaster>().ForecastAsync("s1", horizon);
        await h.StartAsync();

        await h.Clock.RunUntilAsync(Task.Delay(horizon, h.Clock));

        var engine = WorstAges(h, Start, Start + horizon);
        h.Oma.MaxActive.Should().Be(1);
        engine.Should().HaveCount(4);
        foreach (var vm in forecast.Vms)
        {
            output.WriteLine($"{vm.VmName}: forecast {vm.WorstAge} ({vm.Jobs} jobs), engine {engine[vm.ContextId]}");
            vm.WorstAge.Should().NotBeNull();
            engine[vm.ContextId].Should().BeCloseTo(vm.WorstAge!.Value, Tolerance(vm.WorstAge!.Value), $"the engine and the forecast plan {vm.VmName} alike");
        }

        forecast.Attainable.Should().BeTrue();
        engine.Values.Should().OnlyContain(age => age <= TimeSpan.FromHours(3));

        // Every start is an RPO plan's: one VM per execution, claimed on a planning instant.
        var runs = h.Executions.All.Where(e => e.VmOutcomes.Count > 0).ToList();
        runs.Should().OnlyContain(e => e.VmOutcomes.Count == 1 && e.Reason!.StartsWith("RPO plan:") && (e.ScheduledFor - DateTimeOffset.UnixEpoch).Ticks % Tick.Ticks == 0);
    }

    [Fact]
    public async Task Engine_TooManyVmsForTheSlot_BreachesAsTheForecastSaid_AndRaisesEachBreachOnce()
    {
        // R = 1 h: four 29-minute jobs on one slot cannot keep every VM within it.
        await using var h = Create(s => s with { RpoTarget = TimeSpan.FromHours(1) });
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var unattainable = new MetricCollector<long>(meters, SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoUnattainableInstrument);
        using var recovered = new MetricCollector<long>(meters, SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoRecoveriesInstrument);
        using var breached = new MetricCollector<long>(meters, SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoBreachesInstrument);
        var horizon = TimeSpan.FromHours(4);
        var forecast = await h.Services.GetRequiredService<IRpoForecaster>().ForecastAsync("s1", horizon);
        await h.StartAsync();

        await h.Clock.RunUntilAsync(Task.Delay(horizon, h.Clock));

        forecast.Attainable.Should().BeFalse();
        forecast.Groups.Single().Attainable.Should().BeFalse();
        h.Services.GetRequiredService<SchedulerHealth>().Read().Running.Should().NotBeEmpty()
            .And.OnlyContain(r => r.Deadline == null, "an RPO execution tracks its job past the next planning instant without being overdue");
        var engine = WorstAges(h, Start, Start + horizon);
        foreach (var vm in forecast.Vms)
        {
            output.WriteLine($"{vm.VmName}: forecast {vm.WorstAge} ({vm.Jobs} jobs), engine {engine[vm.ContextId]}");
            engine[vm.ContextId].Should().BeCloseTo(vm.WorstAge!.Value, Tolerance(vm.WorstAge!.Value), vm.VmName);
        }

        engine.Values.Should().Contain(age => age > TimeSpan.FromHours(1));
        h.Observer.Breaches.Should().NotBeEmpty();
        h.Observer.Breaches.GroupBy(b => (b.ContextId, b.LastCompletedJobAt)).Should().OnlyContain(g => g.Count() == 1, "one event per breach");

        // Each breach whose VM completed a job since is recovered once, by that job, and never before it was raised.
        var recoveries = h.Observer.Recoveries.ToList();
        recoveries.Should().NotBeEmpty();
        recoveries.GroupBy(r => (r.Breach.ContextId, r.Breach.LastCompletedJobAt)).Should().OnlyContain(g => g.Count() == 1, "one recovery per breach");
        recoveries.Should().OnlyContain(r => r.At >= r.Breach.DetectedAt && h.Observer.Breaches.Any(b => b.ContextId == r.Breach.ContextId && b.LastCompletedJobAt == r.Breach.LastCompletedJobAt));
        var completedAfter = h.Observer.Breaches.Count(b => Completions(h, b.ContextId).Any(at => at > b.DetectedAt));
        recoveries.Should().HaveCount(completedAfter);

        // The reader's 4-hour forecast raised nothing; the engine's own 24-hour forecasts raised their transitions.
        h.Observer.Unattainable.Should().NotBeEmpty().And.OnlyContain(u => u.Horizon == RpoStatus.StatusHorizon);
        unattainable.GetMeasurementSnapshot().Should().OnlyContain(m => m.Tags["replication.schedule.id"] as string == "s1");
        unattainable.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(h.Observer.Unattainable.Count);
        breached.GetMeasurementSnapshot().Should().OnlyContain(m => m.Tags["replication.schedule.id"] as string == "s1");
        recovered.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(recoveries.Count);
        breached.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(h.Observer.Breaches.Count);
    }
}
