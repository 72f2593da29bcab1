namespace Replication.Sdk.Scheduling;

/// <summary>
/// The one RPO planner, pure and deterministic: the engine runs it on the scheduler's clock, the forecast on a simulated
/// one, so they cannot disagree about which VM starts when. A VM is due when its age plus its predicted duration plus the
/// margin reaches the target; due VMs are ordered least headroom first, then by the selection order (group priority,
/// membership priority), and started while the schedule's <see cref="ReplicationSchedule.MaxConcurrentJobs"/>, each
/// group's <see cref="MachineGroup.MaxConcurrentVms"/>, the optional global limit, the window and blackouts allow.
/// </summary>
internal static class RpoPlanner
{
    /// <summary>Plans one instant.</summary>
    /// <param name="schedule">The schedule (its limit, window and blackouts).</param>
    /// <param name="groupLimits">Each group's <see cref="MachineGroup.MaxConcurrentVms"/> by id; a group not listed has no limit of its own.</param>
    /// <param name="vms">The schedule's VMs, running ones included (they hold slots).</param>
    /// <param name="settings">The target, margin and rates.</param>
    /// <param name="now">The planning instant.</param>
    /// <param name="globalFree">Slots free under the scheduler-wide limit, or <see langword="null"/> for none.</param>
    public static RpoPlan Plan(ReplicationSchedule schedule, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> vms, RpoSettings settings, DateTimeOffset now, int? globalFree = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(groupLimits);
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(settings);

        var closure = ClosureAfter(schedule, now);
        var due = vms.Where(v => !v.Running && IsDue(v, settings, now, closure))
            .Select(v => new RpoCandidate(v, Headroom(v, settings, now)))
            .OrderBy(c => c.Headroom).ThenBy(c => c.Vm.Order).ThenBy(c => c.Vm.ContextId, StringComparer.Ordinal)
            .ToList();

        var gate = WindowGate.Decide(schedule, TriggerKind.Scheduled, now, null);
        if (gate.SkipReason is not null || gate.StartAt is not null)
        {
            return new RpoPlan(now, due, [], gate.Reason ?? "the window is closed");
        }

        var free = schedule.MaxConcurrentJobs - vms.Count(v => v.Running);
        if (globalFree is { } global)
        {
            free = Math.Min(free, global);
        }

        var perGroup = vms.Where(v => v.Running).GroupBy(v => v.GroupId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var start = new List<RpoCandidate>();
        foreach (var candidate in due)
        {
            if (free <= 0)
            {
                break;
            }

            // A full group does not block the next group's VMs: they go on in order.
            var group = candidate.Vm.GroupId;
            var inGroup = perGroup.GetValueOrDefault(group);
            if (groupLimits.TryGetValue(group, out var limit) && inGroup >= limit)
            {
                continue;
            }

            perGroup[group] = inGroup + 1;
            free--;
            start.Add(candidate);
        }

        return new RpoPlan(now, due, start, null);
    }

    /// <summary>Whether age + predicted + margin ≥ R (always, without a replica), brought forward before a closure (<see cref="DueFrom"/>).</summary>
    public static bool IsDue(RpoVm vm, RpoSettings settings, DateTimeOffset now, Closure? closure = null) => DueFrom(vm, settings, closure) is not { } from || now >= from;

    /// <summary>
    /// When the VM becomes due: <c>last + R − predicted − margin</c>, except that a VM which would become due while the
    /// window is closed (or a blackout holds) is due at <c>close − margin</c> instead, so its last job before the closure
    /// starts in time — unless it completed within <c>predicted + margin</c> of that instant (a job then would not make it younger).
    /// </summary>
    public static DateTimeOffset? DueFrom(RpoVm vm, RpoSettings settings, Closure? closure)
    {
        var from = vm.DueFrom(settings);
        if (from is { } f && vm.LastCompleted is { } last && closure is { } c)
        {
            var latest = c.Close - settings.Margin;
            if (f > latest && f < c.Reopen && last < latest - vm.Predicted)
            {
                return latest;
            }
        }

        return from;
    }

    /// <summary>The next closed stretch after <paramref name="now"/> (the window's closing or a blackout, until starts are allowed again); <see langword="null"/> if none comes.</summary>
    public static Closure? ClosureAfter(ReplicationSchedule schedule, DateTimeOffset now) =>
        WindowGate.CloseAfter(schedule, TriggerKind.Scheduled, now) is { } close
            ? new Closure(close.At, WindowGate.NextAllowed(schedule, close.At) ?? DateTimeOffset.MaxValue)
            : null;

    /// <summary>R − (age + predicted + margin); <see cref="TimeSpan.MinValue"/> without a replica.</summary>
    public static TimeSpan Headroom(RpoVm vm, RpoSettings settings, DateTimeOffset now) =>
        vm.DueFrom(settings) is { } from ? from - now : TimeSpan.MinValue;
}

/// <summary>A stretch in which nothing may start: from <paramref name="Close"/> until <paramref name="Reopen"/>.</summary>
/// <param name="Close">When starts stop.</param>
/// <param name="Reopen">When they are allowed again.</param>
internal readonly record struct Closure(DateTimeOffset Close, DateTimeOffset Reopen);
