namespace Replication.Sdk.Scheduling;

/// <summary>
/// What this process's forecasts last said, per schedule: which VMs are unattainable (so each transition is raised once,
/// not at every forecast) and, from the 24-hour forecasts, each VM's <see cref="RpoStatus"/> for the RPO gauges.
/// </summary>
internal sealed class RpoBoard
{
    /// <summary>How long a schedule's statuses feed the gauges after its last 24-hour forecast (three engine forecasts).</summary>
    public static readonly TimeSpan StatusLifetime = RpoConstants.EngineForecastInterval * 3;

    private readonly Lock _lock = new();
    private readonly HashSet<(string ScheduleId, string ContextId, TimeSpan Horizon)> _unattainable = [];
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<RpoStatus> Statuses)> _statuses = new(StringComparer.Ordinal);

    /// <summary>Records a forecast; returns its VMs that became unattainable with it (not those already so at the same horizon).</summary>
    public IReadOnlyList<RpoUnattainable> Record(RpoForecast forecast, IReadOnlyList<RpoStatus>? statuses)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var raised = new List<RpoUnattainable>();
        lock (_lock)
        {
            // A VM no longer forecast (left the schedule) is forgotten: if it comes back unattainable, that is news.
            _unattainable.RemoveWhere(k => string.Equals(k.ScheduleId, forecast.ScheduleId, StringComparison.Ordinal) && k.Horizon == forecast.Horizon
                && !forecast.Vms.Any(v => string.Equals(v.ContextId, k.ContextId, StringComparison.Ordinal)));
            foreach (var vm in forecast.Vms)
            {
                var key = (forecast.ScheduleId, vm.ContextId, forecast.Horizon);
                if (vm.Attainable)
                {
                    _unattainable.Remove(key);
                }
                else if (_unattainable.Add(key))
                {
                    raised.Add(new RpoUnattainable(forecast.ScheduleId, vm.ContextId, vm.VmName, vm.GroupId, forecast.RpoTarget, vm.WorstAge, forecast.Horizon, forecast.From));
                }
            }

            if (statuses is not null)
            {
                _statuses[forecast.ScheduleId] = (forecast.From, statuses);
            }
        }

        return raised;
    }

    /// <summary>Each schedule's statuses from a 24-hour forecast within <see cref="StatusLifetime"/> of <paramref name="now"/>.</summary>
    public IReadOnlyList<(string ScheduleId, IReadOnlyList<RpoStatus> Statuses)> Statuses(DateTimeOffset now)
    {
        lock (_lock)
        {
            return [.. _statuses.Where(s => now - s.Value.At <= StatusLifetime).Select(s => (s.Key, s.Value.Statuses))];
        }
    }
}
