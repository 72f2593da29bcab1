using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>The <see cref="IRpoForecaster"/>: the stores' inputs through <see cref="RpoSimulation"/>, which runs the engine's <see cref="RpoPlanner"/>.</summary>
internal sealed class RpoForecaster(IScheduleStore store, IExecutionStore executions, RpoTracker tracker, SchedulerTelemetry telemetry, TimeProvider time, IOptions<SchedulerOptions> options, ILogger<RpoForecaster> logger) : IRpoForecaster
{
    public async Task<RpoForecast> ForecastAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        if (horizon <= TimeSpan.Zero || horizon > RpoForecast.MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"A forecast covers more than 0 and at most {RpoForecast.MaxHorizon.TotalDays} days.");
        }

        var (_, forecast) = await ReadAndForecastAsync(scheduleId, horizon, cancellationToken).ConfigureAwait(false);
        return forecast;
    }

    /// <summary>Each VM's state now, from a forecast over <see cref="RpoStatus.StatusHorizon"/> and the completions known.</summary>
    public async Task<IReadOnlyList<RpoStatus>> GetStatusAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var (inputs, forecast) = await ReadAndForecastAsync(scheduleId, RpoStatus.StatusHorizon, cancellationToken).ConfigureAwait(false);
        return [.. forecast.Vms.Zip(inputs.Vms, (vm, planned) => RpoStatus.Of(vm, forecast.RpoTarget, forecast.From, planned.Completions))];
    }

    private async Task<(RpoInputs.Inputs Inputs, RpoForecast Forecast)> ReadAndForecastAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        var schedule = await store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw new ScheduleNotFoundException(scheduleId);
        var problems = ScheduleRules.Problems(schedule).Where(p => !p.StartsWith("CronExpression", StringComparison.Ordinal)).ToList();
        if (schedule.RpoTarget is null)
        {
            problems.Add("the schedule has no RpoTarget to forecast");
        }

        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(scheduleId, problems);
        }

        var settings = RpoSettings.From(options.Value, schedule.RpoTarget!.Value);
        var running = (await executions.GetRunningAsync(cancellationToken).ConfigureAwait(false))
            .Where(e => string.Equals(e.ScheduleId, scheduleId, StringComparison.Ordinal))
            .SelectMany(e => e.VmOutcomes).Where(o => o.Kind == VmOutcomeKind.JobInProgress).Select(o => o.ContextId)
            .ToHashSet(StringComparer.Ordinal);
        var inputs = await RpoInputs.ReadAsync(store, executions, schedule, settings, running, tracker, cancellationToken).ConfigureAwait(false);
        var forecast = Forecast(schedule, inputs, settings, time.GetUtcNow(), horizon, options.Value.MaxConcurrentJobs);
        var unattainable = forecast.Vms.Where(v => !v.Attainable).ToList();
        foreach (var vm in unattainable)
        {
            SchedulerLog.RpoUnattainable(logger, scheduleId, vm.VmName, vm.WorstAge, settings.Target);
        }

        if (unattainable.Count > 0)
        {
            telemetry.RpoUnattainable(scheduleId, unattainable.Count);
        }

        return (inputs, forecast);
    }

    /// <summary>The forecast from inputs already read: the simulation and its summary per VM and group.</summary>
    public static RpoForecast Forecast(ReplicationSchedule schedule, RpoInputs.Inputs inputs, RpoSettings settings, DateTimeOffset from, TimeSpan horizon, int? globalLimit)
    {
        var simulated = RpoSimulation.Run(schedule, inputs.GroupLimits, [.. inputs.Vms.Select(v => v.Rpo)], settings, from, horizon, globalLimit);
        var vms = inputs.Vms.Zip(simulated, (planned, sim) => new VmRpoForecast
        {
            ContextId = planned.Vm.ContextId,
            VmName = planned.Vm.VmName,
            GroupId = planned.Group.Id,
            PredictedDuration = planned.Rpo.Predicted,
            FromHistory = planned.FromHistory,
            WorstAge = sim.WorstAge,
            CompliancePercent = sim.CompliancePercent,
            Jobs = sim.Jobs,
            FirstReplicaAt = sim.FirstReplica,
            NextStartAt = sim.FirstStart,
            LastCompletedJobAt = planned.Rpo.LastCompleted,
            Attainable = sim.WorstAge is { } worst && worst <= settings.Target,
        }).ToList();
        var groups = inputs.Groups
            .Select(g => (Group: g, Vms: vms.Where(v => string.Equals(v.GroupId, g.Id, StringComparison.Ordinal)).ToList()))
            .Where(g => g.Vms.Count > 0)
            .Select(g => new GroupRpoForecast
            {
                GroupId = g.Group.Id,
                Name = g.Group.Name,
                Attainable = g.Vms.All(v => v.Attainable),
                WorstAge = g.Vms.Any(v => v.WorstAge is null) ? null : g.Vms.Max(v => v.WorstAge),
                CompliancePercent = g.Vms.Average(v => v.CompliancePercent),
            }).ToList();
        return new RpoForecast { ScheduleId = schedule.Id, RpoTarget = settings.Target, From = from, Horizon = horizon, Vms = vms, Groups = groups };
    }
}
