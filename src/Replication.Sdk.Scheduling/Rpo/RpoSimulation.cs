namespace Replication.Sdk.Scheduling;

/// <summary>
/// Runs <see cref="RpoPlanner"/> on a simulated clock: the planning instants the engine would use (multiples of the
/// planning interval), jobs that take exactly their predicted duration, the schedule's limits, window and blackouts. Pure
/// and deterministic. Instead of visiting every planning instant it jumps to the next one at which something can change
/// (a job ends, a VM becomes due, the window opens), which gives the same plans: between them the planner's inputs and
/// answer are the same.
/// </summary>
internal static class RpoSimulation
{
    /// <summary>Simulates [<paramref name="from"/>, <paramref name="from"/> + <paramref name="horizon"/>).</summary>
    /// <param name="schedule">The schedule (limit, window, blackouts).</param>
    /// <param name="groupLimits">Each group's <see cref="MachineGroup.MaxConcurrentVms"/>.</param>
    /// <param name="vms">The VMs at <paramref name="from"/>; a running one is taken to end its job a predicted duration after <paramref name="from"/> (the pessimistic case).</param>
    /// <param name="settings">Target, margin, planning interval.</param>
    /// <param name="from">The simulated start.</param>
    /// <param name="horizon">How long to simulate.</param>
    /// <param name="globalLimit">The scheduler-wide job limit, if any (this schedule is taken to be alone under it).</param>
    /// <param name="everyTick">Visit every planning instant instead of jumping (the tests' reference for the jumps).</param>
    public static IReadOnlyList<SimulatedVm> Run(ReplicationSchedule schedule, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> vms, RpoSettings settings, DateTimeOffset from, TimeSpan horizon, int? globalLimit = null, bool everyTick = false)
    {
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        var end = from + horizon;
        var state = vms.Select(v => new RpoAgeTrack(v, v.Running ? from + v.Predicted : null, from)).ToArray();
        var byId = state.ToDictionary(s => s.Vm.ContextId, StringComparer.Ordinal);
        var t = settings.TickAtOrAfter(from);
        while (t < end)
        {
            foreach (var track in state)
            {
                if (track.RunningUntil is { } until && until <= t)
                {
                    track.Complete(until, settings.Target);
                }
            }

            var current = state.Select(s => s.Vm with { LastCompleted = s.Last, Running = s.RunningUntil is not null }).ToList();
            var running = current.Count(v => v.Running);
            var plan = RpoPlanner.Plan(schedule, groupLimits, current, settings, t, globalLimit is { } g ? g - running : null);
            foreach (var start in plan.Start)
            {
                var track = byId[start.Vm.ContextId];
                track.Start(t, t + track.Vm.Predicted);
            }

            t = everyTick ? t + settings.PlanningInterval : NextChange(schedule, settings, current.Select((v, i) => (v, state[i].RunningUntil)), plan, t, end);
        }

        foreach (var track in state)
        {
            if (track.RunningUntil is { } until && until <= end)
            {
                track.Complete(until, settings.Target);
            }

            track.Account(end, settings.Target);
        }

        return [.. state.Select(s => s.Result(horizon))];
    }

    /// <summary>
    /// The next planning instant at which the planner's answer can differ from <paramref name="plan"/>'s: a job ends, a VM
    /// falls due, the window opens. Between them its inputs and answer are the same; any simulation of the planner may jump.
    /// </summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="settings">Target, margin, interval.</param>
    /// <param name="vms">Each VM with its newest completion, and when its running job ends (<see langword="null"/>: not running).</param>
    /// <param name="plan">The plan at <paramref name="t"/>.</param>
    /// <param name="t">The planning instant just planned.</param>
    /// <param name="end">The end of the simulation.</param>
    public static DateTimeOffset NextChange(ReplicationSchedule schedule, RpoSettings settings, IEnumerable<(RpoVm Vm, DateTimeOffset? RunningUntil)> vms, RpoPlan plan, DateTimeOffset t, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(plan);
        var next = end;
        var closure = plan.Closed is null ? RpoPlanner.ClosureAfter(schedule, t) : null;
        foreach (var (vm, runningUntil) in vms)
        {
            var at = runningUntil ?? RpoPlanner.DueFrom(vm, settings, closure);
            if (at is { } a && a > t && a < next)
            {
                next = a;
            }
        }

        if (plan.Closed is not null && plan.Due.Count > 0)
        {
            var opens = WindowGate.NextAllowed(schedule, t + settings.PlanningInterval) ?? end;
            next = opens < next ? opens : next;
        }

        var tick = settings.TickAtOrAfter(next);
        return tick > t ? tick : t + settings.PlanningInterval;
    }
}

/// <summary>One VM's simulated course.</summary>
/// <param name="Vm">The VM as simulated.</param>
/// <param name="WorstAge">The largest age reached while it had a replica; <see langword="null"/> if it had none.</param>
/// <param name="Outside">How long its age exceeded R, or it had no replica.</param>
/// <param name="Horizon">The simulated span.</param>
/// <param name="Jobs">How many jobs started.</param>
/// <param name="FirstReplica">When its first replica completed, for a VM that had none at the start.</param>
/// <param name="FirstStart">When its first job started in the simulation, if one did.</param>
internal sealed record SimulatedVm(RpoVm Vm, TimeSpan? WorstAge, TimeSpan Outside, TimeSpan Horizon, int Jobs, DateTimeOffset? FirstReplica, DateTimeOffset? FirstStart = null)
{
    /// <summary>The share of the horizon within R, in percent.</summary>
    public double CompliancePercent => 100.0 * (Horizon - Outside).Ticks / Horizon.Ticks;
}
