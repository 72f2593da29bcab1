using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// The RPO schedule as the engine runs it, on a simulated clock: at each planning instant the engine's
/// <see cref="RpoPlanner"/> decides which VMs start, with the predictions the engine would have — the weighted mean of each
/// VM's last <see cref="RpoConstants.HistoryLength"/> completed jobs, updated as its jobs complete. Unlike the forecast,
/// a job takes its real (log-normal) duration, not the predicted one. Instants at which nothing can change are skipped
/// as the forecast skips them (<see cref="RpoSimulation.NextChange"/>).
/// </summary>
internal static class RpoDrivenRun
{
    /// <param name="schedule">The RPO schedule (limit, window, blackouts).</param>
    /// <param name="groupLimits">Each group's limit.</param>
    /// <param name="initial">The planner's inputs at the start, as the engine reads them (selection order).</param>
    /// <param name="histories">Each VM's completed durations before the start, oldest first.</param>
    /// <param name="vms">Each VM's real durations, in the order of <paramref name="initial"/>.</param>
    /// <param name="settings">Target, margin, interval.</param>
    /// <param name="from">The start.</param>
    /// <param name="span">How long to run.</param>
    public static EvidenceFigures Run(ReplicationSchedule schedule, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> initial, IReadOnlyList<IReadOnlyList<TimeSpan>> histories, IReadOnlyList<EvidenceVm> vms, RpoSettings settings, DateTimeOffset from, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(settings);
        var end = from + span;
        var n = initial.Count;
        var tally = new EvidenceTally(initial, from, settings.Target);
        var history = histories.Select(h => new List<TimeSpan>(h)).ToArray();
        var predicted = initial.Select(v => v.Predicted).ToArray();
        var runningUntil = new DateTimeOffset?[n];
        var current = new TimeSpan[n];
        var jobs = new int[n];
        var index = initial.Select((v, i) => (v.ContextId, i)).ToDictionary(x => x.ContextId, x => x.i, StringComparer.Ordinal);

        var t = settings.TickAtOrAfter(from);
        while (t < end)
        {
            for (var i = 0; i < n; i++)
            {
                if (runningUntil[i] is { } until && until <= t)
                {
                    tally.Completed(i, until);
                    runningUntil[i] = null;

                    // The engine reads the VM's newest completed jobs; what it learns changes when the VM falls due next.
                    history[i].Add(current[i]);
                    if (history[i].Count > RpoConstants.HistoryLength)
                    {
                        history[i].RemoveAt(0);
                    }

                    predicted[i] = DurationPredictor.Ewma(history[i], settings.Alpha) ?? predicted[i];
                }
            }

            var planned = new RpoVm[n];
            for (var i = 0; i < n; i++)
            {
                planned[i] = initial[i] with { LastCompleted = tally.Last(i), Predicted = predicted[i], Running = runningUntil[i] is not null };
            }

            var plan = RpoPlanner.Plan(schedule, groupLimits, planned, settings, t);
            foreach (var start in plan.Start)
            {
                var i = index[start.Vm.ContextId];
                current[i] = vms[i].Duration(jobs[i]++);
                runningUntil[i] = t + current[i];
                tally.Started(i, t, t + current[i]);
            }

            t = RpoSimulation.NextChange(schedule, settings, planned.Zip(runningUntil), plan, t, end);
        }

        for (var i = 0; i < n; i++)
        {
            if (runningUntil[i] is { } until && until <= end)
            {
                tally.Completed(i, until);
            }
        }

        return tally.Close(end);
    }
}
