using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>The <see cref="IRpoForecaster"/>: the stores' inputs through <see cref="RpoSimulation"/>, which runs the engine's <see cref="RpoPlanner"/>.</summary>
/// <remarks>
/// Requests go through one <see cref="ForecastGate{TKey, TResult}"/>: identical ones in flight (same schedule, same
/// horizon) share a computation, and at most <see cref="RpoConstants.MaxConcurrentForecasts"/> run at once.
/// </remarks>
internal sealed class RpoForecaster(IScheduleStore store, IExecutionStore executions, RpoTracker tracker, RpoBoard board, RpoHistory history, ExecutionEvents events, SchedulerTelemetry telemetry, IScheduleEvaluator evaluator, TimeProvider time, IOptions<SchedulerOptions> options, ILogger<RpoForecaster> logger) : IRpoForecaster, IDisposable
{
    private readonly ForecastGate<(string ScheduleId, TimeSpan Horizon), (RpoForecast Forecast, IReadOnlyList<RpoStatus>? Statuses)> _gate = new(RpoConstants.MaxConcurrentForecasts);

    /// <summary>Gets the gate every forecast goes through (tests hold it to see requests share and queue).</summary>
    internal ForecastGate<(string ScheduleId, TimeSpan Horizon), (RpoForecast Forecast, IReadOnlyList<RpoStatus>? Statuses)> Gate => _gate;

    public void Dispose() => _gate.Dispose();

    public async Task<RpoForecast> ForecastAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        if (horizon <= TimeSpan.Zero || horizon > RpoForecast.MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"A forecast covers more than 0 and at most {RpoForecast.MaxHorizon.TotalDays} days.");
        }

        var (forecast, _) = await GatedAsync(scheduleId, horizon, cancellationToken).ConfigureAwait(false);
        return forecast;
    }

    /// <summary>Each VM's state now, from a forecast over <see cref="RpoStatus.StatusHorizon"/> and the completions known.</summary>
    public async Task<IReadOnlyList<RpoStatus>> GetStatusAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var (_, statuses) = await GatedAsync(scheduleId, RpoStatus.StatusHorizon, cancellationToken).ConfigureAwait(false);
        return statuses!;
    }

    private Task<(RpoForecast Forecast, IReadOnlyList<RpoStatus>? Statuses)> GatedAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        return _gate.RunAsync((scheduleId, horizon), ct => ReadAndForecastAsync(scheduleId, horizon, ct), cancellationToken);
    }

    private async Task<(RpoForecast Forecast, IReadOnlyList<RpoStatus>? Statuses)> ReadAndForecastAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken)
    {
        var schedule = await store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw new ScheduleNotFoundException(scheduleId);
        var problems = ScheduleRules.Problems(schedule).Where(p => schedule.Kind == ScheduleKind.Cron || !p.StartsWith("CronExpression", StringComparison.Ordinal)).ToList();
        if (schedule.RpoTarget is null)
        {
            problems.Add("the schedule has no RpoTarget to forecast");
        }

        // A cron schedule is forecast by its own occurrences, as the engine would fire them.
        ISchedule? occurrences = null;
        if (schedule.Kind == ScheduleKind.Cron && !string.IsNullOrWhiteSpace(schedule.CronExpression))
        {
            try
            {
                if (!evaluator.TryParse(HashedCron.Resolve(schedule.CronExpression, schedule.Id), schedule.TimeZone, out occurrences, out var problem))
                {
                    problems.Add(problem ?? "invalid cron expression or time zone");
                }
            }
            catch (ScheduleFormatException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(scheduleId, problems);
        }

        var settings = RpoSettings.From(options.Value, schedule.RpoTarget!.Value);
        var records = await executions.GetRunningAsync(cancellationToken).ConfigureAwait(false);
        var running = records
            .Where(e => string.Equals(e.ScheduleId, scheduleId, StringComparison.Ordinal))
            .SelectMany(e => e.VmOutcomes).Where(o => o.Kind == VmOutcomeKind.JobInProgress).Select(o => o.ContextId)
            .ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();

        // The same duration history as the engine's planning (one per process), so the two predict alike.
        var completed = await history.CompletedAsync(executions, scheduleId, records, now, cancellationToken).ConfigureAwait(false);
        var inputs = await RpoInputs.ReadAsync(store, executions, schedule, settings, running, tracker, completed, cancellationToken).ConfigureAwait(false);
        var forecast = Forecast(schedule, inputs, settings, now, horizon, options.Value.MaxConcurrentJobs, occurrences);
        if (horizon != RpoStatus.StatusHorizon)
        {
            // Only the engine's own horizon raises: a reader choosing the horizon must not make the scheduler warn, count
            // and notify observers at will (once per horizon asked), nor grow the board by a mark per horizon.
            return (forecast, null);
        }

        var statuses = Statuses(forecast, inputs);
        await ReportAsync(board, events, telemetry, logger, forecast, statuses, cancellationToken).ConfigureAwait(false);
        return (forecast, statuses);
    }

    /// <summary>Each VM's state from a 24-hour forecast and the completions known.</summary>
    public static IReadOnlyList<RpoStatus> Statuses(RpoForecast forecast, RpoInputs.Inputs inputs) =>
        [.. forecast.Vms.Zip(inputs.Vms, (vm, planned) => RpoStatus.Of(vm, forecast.RpoTarget, forecast.From, planned.Completions))];

    /// <summary>
    /// Records a forecast over <see cref="RpoStatus.StatusHorizon"/> on the board, and for each VM that became
    /// unattainable with it: a warning (event 2090), the counter and <see cref="IExecutionObserver.OnRpoUnattainableAsync"/>
    /// — once per transition, not at every forecast.
    /// </summary>
    public static async Task ReportAsync(RpoBoard board, ExecutionEvents events, SchedulerTelemetry telemetry, ILogger logger, RpoForecast forecast, IReadOnlyList<RpoStatus>? statuses, CancellationToken ct)
    {
        var raised = board.Record(forecast, statuses);
        if (raised.Count == 0)
        {
            return;
        }

        telemetry.RpoUnattainable(forecast.ScheduleId, raised.Count);
        foreach (var unattainable in raised)
        {
            SchedulerLog.RpoUnattainable(logger, unattainable.ScheduleId, unattainable.VmName, unattainable.ForecastWorstAge, unattainable.RpoTarget, unattainable.Horizon);
            await events.RpoUnattainableAsync(unattainable, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The forecast from inputs already read: the simulation and its summary per VM and group. With
    /// <paramref name="occurrences"/> (a cron schedule's) the VMs start at those occurrences, else when the RPO planner starts them.
    /// </summary>
    public static RpoForecast Forecast(ReplicationSchedule schedule, RpoInputs.Inputs inputs, RpoSettings settings, DateTimeOffset from, TimeSpan horizon, int? globalLimit, ISchedule? occurrences = null)
    {
        IReadOnlyList<RpoVm> planned = [.. inputs.Vms.Select(v => v.Rpo)];
        var simulated = occurrences is not null
            ? CronRpoSimulation.Forecast(schedule, occurrences, inputs.GroupLimits, planned, settings, from, horizon, globalLimit)
            : RpoSimulation.Run(schedule, inputs.GroupLimits, planned, settings, from, horizon, globalLimit);
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
