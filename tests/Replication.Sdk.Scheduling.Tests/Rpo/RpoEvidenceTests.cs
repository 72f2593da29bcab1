using System.Diagnostics;
using Replication.Sdk.Benchmarks.Rpo;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>
/// The CI guard of issue 17's evidence (docs/benchmarks.md): the benchmarks' simulation at a reduced size — the engine's
/// planner with real log-normal durations and learning, against the SDK's forecast and the hourly cron schedules.
/// </summary>
public sealed class RpoEvidenceTests
{
    [Fact]
    public async Task Reduced_MeetsTheTargets_WhenTheForecastSaysFeasible()
    {
        var wall = Stopwatch.StartNew();
        var r = await RpoEvidence.RunAsync(EvidenceScenario.Reduced);
        wall.Stop();

        r.Forecast.Attainable.Should().BeTrue();
        r.Rpo.WithinPercent.Should().BeGreaterThanOrEqualTo(99.9);
        Math.Abs(r.ForecastError).Should().BeLessThanOrEqualTo(0.10, "the forecast's worst age is within 10 % of the simulated one");
        wall.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));

        // The simulated side is not the forecast replayed: its jobs take their real durations, so the ages differ.
        r.Forecast.Vms.Zip(r.Rpo.WorstAges).Count(x => x.First.WorstAge != x.Second).Should().BeGreaterThan(r.Forecast.Vms.Count / 2);

        // The hourly cron schedules start from the top of the selection each hour and stop at the next occurrence: the VMs
        // late in the order wait for days, whatever the overlap policy, with a higher peak of creates.
        new[] { r.CronSkipping, r.CronBuffered, r.CronAlongside }.Should().OnlyContain(c => c.WithinPercent < 90 && c.VmsOverTarget > 0 && c.PeakCreatesPerHour > r.Rpo.PeakCreatesPerHour);
        new[] { r.CronBuffered, r.CronAlongside }.Should().OnlyContain(c => c.Jobs > r.Rpo.Jobs);
    }

    [Fact]
    public async Task TooFewSlots_TheForecastSaysUnattainable_AndTheRunBreaches()
    {
        // Half the slots: 100 VMs of about 2.4 minutes every 3 h 45 min need more than one slot.
        var r = await RpoEvidence.RunAsync(EvidenceScenario.Reduced with { Concurrency = 1 });

        r.Forecast.Attainable.Should().BeFalse();
        r.Rpo.WithinPercent.Should().BeLessThan(99.9);
        r.Rpo.VmsOverTarget.Should().BeGreaterThan(0);
        r.Rpo.WorstAge.Should().BeGreaterThan(EvidenceScenario.Reduced.Target);
    }

    [Fact]
    public async Task SameSeed_SameFigures_OtherSeed_OtherDurations()
    {
        var a = await RpoEvidence.RunAsync(EvidenceScenario.Reduced with { Span = TimeSpan.FromHours(6) });
        var b = await RpoEvidence.RunAsync(EvidenceScenario.Reduced with { Span = TimeSpan.FromHours(6) });
        var c = await RpoEvidence.RunAsync(EvidenceScenario.Reduced with { Span = TimeSpan.FromHours(6), Seed = 18 });

        b.Rpo.Should().BeEquivalentTo(a.Rpo);
        b.CronSkipping.Should().BeEquivalentTo(a.CronSkipping);
        c.Rpo.WorstAges.Should().NotEqual(a.Rpo.WorstAges);
    }
}
