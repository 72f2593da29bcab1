using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The engine's side of "one planner, two clocks": at each planning instant of an RPO schedule it reads the same inputs
/// as the forecast (<see cref="RpoInputs"/>), raises breaches for every VM of the schedule, and asks
/// <see cref="RpoPlanner"/> which VMs start now. Which VMs are running comes from the store's running records (shared by
/// every instance) and, for executions this process launched whose record does not list a VM yet, from memory.
/// </summary>
internal sealed class RpoPlanningStep(IScheduleStore store, IExecutionStore executions, SlotBoard slots, RpoTracker tracker, RpoBoard board, RpoHistory history, ExecutionEvents events, SchedulerTelemetry telemetry, SchedulerOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (string ScheduleId, IReadOnlySet<string> Vms)> _launched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _forecastAt = new(StringComparer.Ordinal);

    /// <summary>An execution this process started for some of the schedule's VMs.</summary>
    public void Launched(string executionId, string scheduleId, IReadOnlySet<string> vms)
    {
        _launched[executionId] = (scheduleId, vms);
        history.Track(scheduleId, executionId);
    }

    /// <summary>That execution ended.</summary>
    public void Ended(string executionId) => _launched.TryRemove(executionId, out _);

    /// <summary>Plans the schedule at <paramref name="now"/>.</summary>
    public async Task<RpoPlan> PlanAsync(ReplicationSchedule schedule, DateTimeOffset now, CancellationToken ct)
    {
        var settings = RpoSettings.From(options, schedule.RpoTarget ?? throw new InvalidScheduleException(schedule.Id, ["RpoTarget is required for an RPO schedule"]));
        var records = await executions.GetRunningAsync(ct).ConfigureAwait(false);
        var running = Running(schedule.Id, records);
        var completed = await history.CompletedAsync(executions, schedule.Id, records, now, ct).ConfigureAwait(false);
        var inputs = await RpoInputs.ReadAsync(store, executions, schedule, settings, running, tracker, completed, ct).ConfigureAwait(false);
        foreach (var breach in await tracker.CheckAsync(schedule, [.. inputs.Vms.Select(v => v.Vm)], now, ct).ConfigureAwait(false))
        {
            telemetry.RpoBreach(breach.ScheduleId);
            SchedulerLog.RpoBreached(logger, $"rpo-plan {schedule.Id}", breach.VmName, breach.RpoTarget, breach.LastCompletedJobAt);
            await events.RpoBreachedAsync(breach, ct).ConfigureAwait(false);
        }

        int? globalFree = options.MaxConcurrentJobs is { } global ? global - slots.InUse : null;
        var plan = RpoPlanner.Plan(schedule, inputs.GroupLimits, [.. inputs.Vms.Select(v => v.Rpo)], settings, now, globalFree);
        if (!_forecastAt.TryGetValue(schedule.Id, out var forecastAt) || now - forecastAt >= RpoConstants.EngineForecastInterval)
        {
            // From the inputs just read: the states and the unattainable events cost no store read of their own.
            _forecastAt[schedule.Id] = now;
            var forecast = RpoForecaster.Forecast(schedule, inputs, settings, now, RpoStatus.StatusHorizon, options.MaxConcurrentJobs);
            await RpoForecaster.ReportAsync(board, events, telemetry, logger, forecast, RpoForecaster.Statuses(forecast, inputs), ct).ConfigureAwait(false);
        }

        return plan;
    }

    private HashSet<string> Running(string scheduleId, IReadOnlyList<ScheduleExecution> all)
    {
        var records = all
            .Where(e => string.Equals(e.ScheduleId, scheduleId, StringComparison.Ordinal))
            .ToDictionary(e => e.Id, StringComparer.Ordinal);
        var running = records.Values.SelectMany(e => e.VmOutcomes).Where(o => o.Kind is VmOutcomeKind.Pending or VmOutcomeKind.Submitting or VmOutcomeKind.JobInProgress)
            .Select(o => o.ContextId).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, launched) in _launched)
        {
            // Claimed but not yet listing its VMs: they are about to start. A record no longer running has ended.
            if (string.Equals(launched.ScheduleId, scheduleId, StringComparison.Ordinal) && records.TryGetValue(id, out var record))
            {
                running.UnionWith(launched.Vms.Where(vm => !record.VmOutcomes.Any(o => string.Equals(o.ContextId, vm, StringComparison.Ordinal))));
            }
        }

        return running;
    }
}
