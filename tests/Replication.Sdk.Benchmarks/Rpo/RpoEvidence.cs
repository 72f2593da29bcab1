using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// Issue 17 item 4: the RPO schedule against the equivalent cron schedules (hourly, same limits, each overlap policy), and the forecast
/// against what the RPO schedule then does. The forecast is the SDK's own (<see cref="IRpoForecaster"/> over the stores);
/// the RPO run is the engine's planner with real durations and learning (<see cref="RpoDrivenRun"/>); the cron runs take
/// the same VMs' same durations (<see cref="CronDrivenRun"/>).
/// </summary>
internal static class RpoEvidence
{
    public static async Task<EvidenceReport> RunAsync(EvidenceScenario scenario, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        using var world = scenario.Build();
        var options = new SchedulerOptions();
        var clock = new FixedClock(scenario.From);
        using var telemetry = new SchedulerTelemetry(null, () => 0);
        var tracker = new RpoTracker(new InMemoryRpoStateStore(), NullLogger<RpoTracker>.Instance);
        var events = new ExecutionEvents([], NullLogger<ExecutionEvents>.Instance);
        var forecaster = new RpoForecaster(world.Store, world.Executions, tracker, new RpoBoard(), new RpoHistory(), events, telemetry, new CronScheduleEvaluator(), clock, Options.Create(options), NullLogger<RpoForecaster>.Instance);

        var wall = Stopwatch.StartNew();
        var forecast = await forecaster.ForecastAsync(EvidenceScenario.RpoScheduleId, scenario.Span, ct).ConfigureAwait(false);
        var forecastWall = wall.Elapsed;

        // The engine's inputs at the start, read as it reads them: the same order, last completions and predictions.
        var schedule = (await world.Store.GetScheduleAsync(EvidenceScenario.RpoScheduleId, ct).ConfigureAwait(false))!;
        var settings = RpoSettings.From(options, scenario.Target);
        var inputs = await RpoInputs.ReadAsync(world.Store, world.Executions, schedule, settings, new HashSet<string>(StringComparer.Ordinal), tracker, ct).ConfigureAwait(false);
        var initial = inputs.Vms.Select(v => v.Rpo).ToList();
        var byId = world.Vms.ToDictionary(v => v.ContextId, StringComparer.Ordinal);
        var vms = initial.Select(v => byId[v.ContextId]).ToList();
        var histories = initial.Select(v => world.Histories[v.ContextId]).ToList();

        wall.Restart();
        var rpo = RpoDrivenRun.Run(schedule, inputs.GroupLimits, initial, histories, vms, settings, scenario.From, scenario.Span);
        var rpoWall = wall.Elapsed;

        wall.Restart();
        var cron = schedule with { Kind = ScheduleKind.Cron, CronExpression = "0 * * * *", RpoTarget = null };
        var buffered = CronDrivenRun.Run(cron with { OverlapPolicy = OverlapPolicy.BufferOne }, inputs.GroupLimits, initial, vms, scenario.Target, scenario.From, scenario.Span);
        var skipping = CronDrivenRun.Run(cron with { OverlapPolicy = OverlapPolicy.Skip }, inputs.GroupLimits, initial, vms, scenario.Target, scenario.From, scenario.Span);
        var alongside = CronDrivenRun.Run(cron with { OverlapPolicy = OverlapPolicy.AllowAll }, inputs.GroupLimits, initial, vms, scenario.Target, scenario.From, scenario.Span);
        var cronWall = wall.Elapsed;

        return new EvidenceReport(scenario, forecast, rpo, buffered, skipping, alongside, forecastWall, rpoWall, cronWall);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>The evidence: the forecast, the RPO run and the three cron runs, and the wall time of each part.</summary>
internal sealed record EvidenceReport(EvidenceScenario Scenario, RpoForecast Forecast, EvidenceFigures Rpo, EvidenceFigures CronBuffered, EvidenceFigures CronSkipping, EvidenceFigures CronAlongside, TimeSpan ForecastWall, TimeSpan RpoWall, TimeSpan CronWall)
{
    /// <summary>The forecast's worst age over all VMs.</summary>
    public TimeSpan ForecastWorstAge => Forecast.Vms.Max(v => v.WorstAge) ?? TimeSpan.Zero;

    /// <summary>The forecast's worst age against the simulated one: (forecast − simulated) / simulated.</summary>
    public double ForecastError => (ForecastWorstAge - Rpo.WorstAge) / Rpo.WorstAge;

    /// <summary>The share of VMs whose simulated worst age is within 10 % of their own forecast worst age.</summary>
    public double VmsWithinTenPercent => Forecast.Vms.Zip(Rpo.WorstAges, (f, s) => f.WorstAge is { } fw && s is { } sw && Math.Abs((fw - sw) / sw) <= 0.1).Count(x => x) * 100.0 / Forecast.Vms.Count;

    /// <summary>The forecast's mean compliance over VMs.</summary>
    public double ForecastWithinPercent => Forecast.Vms.Average(v => v.CompliancePercent);

    /// <summary>The jobs the forecast started.</summary>
    public int ForecastJobs => Forecast.Vms.Sum(v => v.Jobs);
}
