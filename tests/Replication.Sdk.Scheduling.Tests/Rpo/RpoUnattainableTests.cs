using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary><see cref="IExecutionObserver.OnRpoUnattainableAsync"/>: once per transition, from a 24-hour forecast or the engine's own, with a warning and the counter; never from another horizon.</summary>
public sealed class RpoUnattainableTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 25, 22, 0, 0, 700, TimeSpan.Zero);

    /// <summary>Two VMs of 1-hour jobs (no history) on one slot, replicas 0 and 2 hours old: R = 4 h is met; with R = 1 h 30 min one waits for the other.</summary>
    private static SchedulerHarness Create(TimeSpan target)
    {
        var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddMetrics().AddFakeLogging(), options: o => o.RpoMargin = TimeSpan.FromMinutes(10));
        h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = target, MaxConcurrentJobs = 1 });
        h.Group("g1");
        h.Vms("g1", 2, change: (i, vm) => vm with { LastCompletedJobAt = Start.AddHours(-2 * i) });
        return h;
    }

    private static IRpoForecaster Forecaster(SchedulerHarness h) => h.Services.GetRequiredService<IRpoForecaster>();

    private static void Target(SchedulerHarness h, TimeSpan target) => h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = target, MaxConcurrentJobs = 1 });

    [Fact]
    public async Task Forecast_RaisesOncePerTransition_WithAWarningAndTheCounter()
    {
        await using var h = Create(TimeSpan.FromMinutes(90));
        using var counter = new MetricCollector<long>(h.Services.GetRequiredService<IMeterFactory>(), SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoUnattainableInstrument);
        var logs = h.Services.GetFakeLogCollector();

        var first = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));
        await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));

        var unattainable = first.Vms.Where(v => !v.Attainable).ToList();
        unattainable.Should().NotBeEmpty();
        h.Observer.Unattainable.Should().HaveCount(unattainable.Count, "the second forecast finds nothing new");
        h.Observer.Unattainable.Should().AllSatisfy(u =>
        {
            u.ScheduleId.Should().Be("s1");
            u.RpoTarget.Should().Be(TimeSpan.FromMinutes(90));
            u.Horizon.Should().Be(RpoStatus.StatusHorizon);
            u.DetectedAt.Should().Be(Start);
            u.ForecastWorstAge.Should().Be(first.Vms.Single(v => v.ContextId == u.ContextId).WorstAge).And.BeGreaterThan(TimeSpan.FromMinutes(90));
        });
        logs.GetSnapshot().Where(r => r.Id.Id == 2090).Should().HaveCount(unattainable.Count).And.OnlyContain(r => r.Level == LogLevel.Warning);
        counter.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(unattainable.Count);

        // Attainable again (R = 4 h): nothing raised, the mark is cleared; unattainable once more: raised again.
        Target(h, TimeSpan.FromHours(4));
        (await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1))).Attainable.Should().BeTrue();
        h.Observer.Unattainable.Should().HaveCount(unattainable.Count);
        Target(h, TimeSpan.FromMinutes(90));
        await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1));
        h.Observer.Unattainable.Should().HaveCount(2 * unattainable.Count);
        counter.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(2 * unattainable.Count);
    }

    [Theory]
    [InlineData(12 * 60)]
    [InlineData(7 * 24 * 60)]
    [InlineData(24 * 60 + 1)]
    public async Task Forecast_OverAnotherHorizonThanTheEngines_ReturnsItsData_AndRaisesNothing(int minutes)
    {
        await using var h = Create(TimeSpan.FromMinutes(90));
        using var counter = new MetricCollector<long>(h.Services.GetRequiredService<IMeterFactory>(), SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoUnattainableInstrument);

        var forecast = await Forecaster(h).ForecastAsync("s1", TimeSpan.FromMinutes(minutes));

        forecast.Vms.Should().Contain(v => !v.Attainable, "the reader gets the forecast");
        h.Observer.Unattainable.Should().BeEmpty("a reader's choice of horizon raises nothing");
        h.Services.GetFakeLogCollector().GetSnapshot().Should().NotContain(r => r.Id.Id == 2090);
        counter.GetMeasurementSnapshot().Should().BeEmpty();
        h.Services.GetRequiredService<RpoBoard>().Statuses(Start).Should().BeEmpty("nor does it feed the gauges");
    }

    [Fact]
    public async Task Forecast_Attainable_RaisesNothing()
    {
        await using var h = Create(TimeSpan.FromHours(4));

        (await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(1))).Attainable.Should().BeTrue();
        (await Forecaster(h).GetStatusAsync("s1")).Should().OnlyContain(s => s.State == RpoState.Meeting);

        h.Observer.Unattainable.Should().BeEmpty();
        h.Services.GetFakeLogCollector().GetSnapshot().Should().NotContain(r => r.Id.Id == 2090);
    }

    [Fact]
    public async Task Engine_ForecastsItsRpoSchedules_AndRaisesOnce_NotAtEveryPlanningInstant()
    {
        await using var h = Create(TimeSpan.FromMinutes(90));
        await h.StartAsync();

        // 25 minutes: 50 planning instants, three engine forecasts (every 10 minutes). Jumps of at most one planning
        // interval: the clock must not pass the first instants before the loop has armed them.
        await h.Clock.RunUntilAsync(Task.Delay(TimeSpan.FromMinutes(25), h.Clock), maxJump: TimeSpan.FromSeconds(30));

        var raised = h.Observer.Unattainable.ToList();
        raised.Should().NotBeEmpty();
        raised.Should().OnlyContain(u => u.Horizon == RpoStatus.StatusHorizon && u.ScheduleId == "s1");
        raised.GroupBy(u => u.ContextId).Should().OnlyContain(g => g.Count() == 1, "one event per transition, not one per forecast");
        raised.Select(u => u.DetectedAt).Distinct().Should().ContainSingle("one engine forecast found both, the later ones nothing new")
            .Which.Should().BeOnOrAfter(Start).And.BeBefore(Start + TimeSpan.FromMinutes(15));
    }
}
