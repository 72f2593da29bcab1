using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The RPO state and compliance gauges, and the group standing through the API, from the 24-hour forecasts.</summary>
public sealed class RpoMetricsTests
{
    private static readonly DateTimeOffset Start = new(2025, 10, 25, 22, 0, 0, 700, TimeSpan.Zero);

    /// <summary>
    /// Two slots, 1-hour jobs (no history), R = 4 h. Group g1, one at a time: vm00 past R (breached), vm01 within R but an
    /// hour behind vm00 (at risk). Group g2: vm00 an hour old (meeting), vm01 never replicated (breached, no compliance known).
    /// </summary>
    private static SchedulerHarness Create()
    {
        var h = SchedulerHarness.Create(Start, configure: b => b.Services.AddMetrics(), options: o => o.RpoMargin = TimeSpan.FromMinutes(10));
        h.Schedule(cron: "", change: s => s with { Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4), MaxConcurrentJobs = 2 });
        h.Group("g1", maxConcurrentVms: 1, priority: 0);
        h.Group("g2", priority: 1);
        h.Vms("g1", 2, change: (i, vm) => vm with { LastCompletedJobAt = Start - (i == 0 ? TimeSpan.FromHours(5) : TimeSpan.FromMinutes(230)) });
        h.Vms("g2", 2, change: (i, vm) => vm with { LastCompletedJobAt = i == 0 ? Start.AddHours(-1) : null });
        return h;
    }

    private static IRpoForecaster Forecaster(SchedulerHarness h) => h.Services.GetRequiredService<IRpoForecaster>();

    [Fact]
    public async Task Gauges_CountTheVmsInEachState_AndGiveEachGroupsCompliance_AsTheApiDoes()
    {
        await using var h = Create();
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var states = new MetricCollector<int>(meters, SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoVmsInstrument);
        using var compliance = new MetricCollector<double>(meters, SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoComplianceInstrument);

        var statuses = await Forecaster(h).GetStatusAsync("s1");
        var groups = await Forecaster(h).GetGroupStatusAsync("s1");
        states.RecordObservableInstruments();
        compliance.RecordObservableInstruments();

        statuses.Select(s => s.State).Should().Equal(RpoState.Breached, RpoState.AtRisk, RpoState.Meeting, RpoState.Breached);
        states.GetMeasurementSnapshot().Should().OnlyContain(m => (string?)m.Tags["replication.schedule.id"] == "s1")
            .And.Subject.ToDictionary(m => (string)m.Tags["replication.rpo.state"]!, m => m.Value)
            .Should().Equal(new Dictionary<string, int> { ["Meeting"] = 1, ["AtRisk"] = 1, ["Breached"] = 2 });

        groups.Select(g => (g.GroupId, g.Meeting, g.AtRisk, g.Breached)).Should().Equal(("g1", 0, 1, 1), ("g2", 1, 0, 1));

        // g1: vm00 80 % (4 of its 5 known hours), vm01 100 %; g2: vm00 100 %, vm01 unknown (no completion) and left out.
        groups[0].CompliancePercent24h.Should().BeApproximately(90, 1e-6);
        groups[1].CompliancePercent24h.Should().Be(100);
        groups[1].CompliancePercent7d.Should().Be(100);
        compliance.GetMeasurementSnapshot().ToDictionary(m => ((string)m.Tags["replication.group.id"]!, (string)m.Tags["replication.rpo.window"]!), m => m.Value)
            .Should().BeEquivalentTo(new Dictionary<(string, string), double>
            {
                [("g1", "24h")] = groups[0].CompliancePercent24h!.Value, [("g1", "7d")] = groups[0].CompliancePercent7d!.Value,
                [("g2", "24h")] = 100, [("g2", "7d")] = 100,
            });
    }

    [Fact]
    public async Task Gauges_OnlyFrom24HourForecasts_AndNotAfterTheirLifetime()
    {
        await using var h = Create();
        using var states = new MetricCollector<int>(h.Services.GetRequiredService<IMeterFactory>(), SchedulingDiagnostics.Name, SchedulingDiagnostics.RpoVmsInstrument);

        await Forecaster(h).ForecastAsync("s1", TimeSpan.FromDays(7));
        states.RecordObservableInstruments();
        states.GetMeasurementSnapshot().Should().BeEmpty("a 7-day forecast does not say the state");

        await Forecaster(h).GetStatusAsync("s1");
        h.Clock.Advance(RpoBoard.StatusLifetime);
        states.RecordObservableInstruments();
        states.GetMeasurementSnapshot().Should().HaveCount(3);

        states.Clear();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        states.RecordObservableInstruments();
        states.GetMeasurementSnapshot().Should().BeEmpty("a state older than its lifetime is not reported as current");
    }

    [Fact]
    public async Task GroupStatus_UnknownSchedule_Throws()
    {
        await using var h = Create();
        await FluentActions.Awaiting(() => Forecaster(h).GetGroupStatusAsync("nope")).Should().ThrowAsync<ScheduleNotFoundException>();
    }
}
