using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// The read side shared by the API and the dashboard: schedules with their next occurrences, groups, executions and VMs,
/// assembled from the SDK's stores. It only reads (the pause read ends pauses whose resume-at has come, as the engine does).
/// </summary>
internal sealed class SchedulingReader(
    IScheduleStore schedules,
    IExecutionStore executions,
    IPauseControl pauses,
    IScheduleEvaluator evaluator,
    TimeProvider time,
    IOptions<ReplicationSchedulingApiOptions> options)
{
    private readonly ReplicationSchedulingApiOptions _options = options.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<IReadOnlyList<ScheduleSummaryView>> GetSchedulesAsync(CancellationToken cancellationToken)
    {
        var all = await schedules.GetSchedulesAsync(cancellationToken).ConfigureAwait(false);
        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        var running = await executions.GetRunningAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ScheduleSummaryView>(all.Count);
        foreach (var schedule in all.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
        {
            var groups = await GetGroupsAsync(schedule, inForce, cancellationToken).ConfigureAwait(false);
            var last = await executions.ListAsync(schedule.Id, 1, cancellationToken).ConfigureAwait(false);
            result.Add(Summarise(schedule, inForce, groups, last.Count > 0 ? last[0] : null, running.Count(e => e.ScheduleId == schedule.Id)));
        }

        return result;
    }

    public async Task<ScheduleDetailView?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken)
    {
        if (await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) is not { } schedule)
        {
            return null;
        }

        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        var running = await executions.GetRunningAsync(cancellationToken).ConfigureAwait(false);
        var recent = await executions.ListAsync(schedule.Id, 50, cancellationToken).ConfigureAwait(false);
        var groups = await GetGroupsAsync(schedule, inForce, cancellationToken).ConfigureAwait(false);
        var summary = Summarise(schedule, inForce, groups, recent.Count > 0 ? recent[0] : null, running.Count(e => e.ScheduleId == schedule.Id));
        return new ScheduleDetailView(
            summary, schedule.ReplicationType.ToString(), schedule.MaxConcurrentJobs, schedule.RetryAttempts, schedule.RetryDelay,
            schedule.OverlapPolicy.ToString(), schedule.MisfirePolicy.ToString(), schedule.StartingDeadline, schedule.Spread,
            schedule.Window is { IsAlways: false } w ? w.ToString() : null, schedule.Blackouts.Count, groups,
            [.. recent.Select(ExecutionSummaryView.From)]);
    }

    public async Task<IReadOnlyList<GroupView>?> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken)
    {
        if (await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) is not { } schedule)
        {
            return null;
        }

        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        return await GetGroupsAsync(schedule, inForce, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every group, those with no schedule included (a deleted schedule's groups stay), by name.</summary>
    public async Task<IReadOnlyList<GroupSummaryView>> GetAllGroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await schedules.GetAllGroupsAsync(cancellationToken).ConfigureAwait(false);
        var members = (await schedules.GetMembershipsAsync([.. groups.Select(g => g.Id)], cancellationToken).ConfigureAwait(false)).ToLookup(m => m.GroupId, StringComparer.Ordinal);
        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. groups.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Id, StringComparer.Ordinal).Select(g => new GroupSummaryView(
                g.Id, g.Name, g.ScheduleId, g.MaxConcurrentVms, g.Priority, FindPause(inForce, PauseTarget.Group(g.Id)), members[g.Id].Count(), members[g.Id].Count(m => m.Enabled))),
        ];
    }

    /// <summary>One group with its members, whatever its schedule (or none: then no RPO target applies).</summary>
    public async Task<GroupView?> GetGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        if (await schedules.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return null;
        }

        var schedule = group.ScheduleId is { } scheduleId ? await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) : null;
        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        return (await GroupViewsAsync([group], schedule, inForce, cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<ExecutionDetailView?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        if (await executions.GetAsync(executionId, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return null;
        }

        return Detail(e);
    }

    /// <summary>One page of the store's own query: filtering and paging happen where the executions are.</summary>
    public async Task<PageView<ExecutionSummaryView>> GetExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var page = await executions.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return new PageView<ExecutionSummaryView>([.. page.Items.Select(ExecutionSummaryView.From)], (query.Skip / query.Take) + 1, query.Take, page.Total);
    }

    /// <summary>Gets the newest outcome of each VM in a schedule's recent executions (the dashboard's per-VM table).</summary>
    public async Task<IReadOnlyDictionary<string, VmOutcomeView>> GetLatestOutcomesAsync(string scheduleId, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, VmOutcomeView>(StringComparer.Ordinal);
        foreach (var e in await executions.ListAsync(scheduleId, 50, cancellationToken).ConfigureAwait(false))
        {
            foreach (var o in e.VmOutcomes)
            {
                latest.TryAdd(o.ContextId, VmOutcomeView.From(o));
            }
        }

        return latest;
    }

    /// <summary>Gets the executions since <paramref name="since"/> that failed or had failed VMs, newest first.</summary>
    public async Task<IReadOnlyList<ExecutionDetailView>> GetRecentFailuresAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        var page = await executions.QueryAsync(new ExecutionQuery { StartedFrom = since, FailedOnly = true, Take = limit }, cancellationToken).ConfigureAwait(false);
        return [.. page.Items.Select(Detail)];
    }

    public async Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken) =>
        await executions.GetRunningAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PauseView>> GetPausesAsync(CancellationToken cancellationToken) =>
        [.. (await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false)).Select(PauseView.From)];

    public async Task<VmView?> GetVmAsync(string contextId, CancellationToken cancellationToken)
    {
        var vms = await schedules.GetVmContextsAsync([contextId], cancellationToken).ConfigureAwait(false);
        if (vms.Count == 0)
        {
            return null;
        }

        var vm = vms[0];
        var inForce = await pauses.GetPausesAsync(cancellationToken).ConfigureAwait(false);
        var memberships = await GetMembershipsAsync(contextId, cancellationToken).ConfigureAwait(false);
        var history = new List<VmHistoryEntry>();
        var lastCompleted = vm.LastCompletedJobAt;

        // The store finds the VM's executions across every schedule (a name match of another VM yields no outcome of this one).
        var query = new ExecutionQuery { Vm = contextId, Take = Math.Min(_options.VmHistoryLimit, ExecutionQuery.MaxTake) };
        while (history.Count < _options.VmHistoryLimit)
        {
            var page = await executions.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var e in page.Items)
            {
                foreach (var o in e.VmOutcomes.Where(o => o.ContextId == contextId))
                {
                    history.Add(new VmHistoryEntry(e.Id, e.ScheduleId, e.StartedAt, e.Status.ToString(), VmOutcomeView.From(o)));
                    if (o.Kind == VmOutcomeKind.JobCompleted && o.CompletedAt is { } done && (lastCompleted is null || done > lastCompleted))
                    {
                        lastCompleted = done;
                    }
                }
            }

            if (page.Items.Count < query.Take)
            {
                break;
            }

            query = query with { Skip = query.Skip + query.Take, Take = Math.Min(query.Take, Math.Max(1, _options.VmHistoryLimit - history.Count)) };
        }

        var age = lastCompleted is { } at ? Now - at : (TimeSpan?)null;
        return new VmView(
            vm.ContextId, vm.VmName, vm.VCenterHost, vm.Datacenter, vm.CurrentStatus, vm.SchedulerEnabled,
            FindPause(inForce, PauseTarget.Vm(vm.ContextId)), lastCompleted, age,
            [.. memberships.Select(m => m with { RpoBreached = IsBreached(m.RpoTarget, age) })],
            [.. history.OrderByDescending(h => h.StartedAt).ThenBy(h => h.ExecutionId, StringComparer.Ordinal)]);
    }

    /// <summary>The VM's memberships in every group, those with no schedule included (listed last), with their schedules.</summary>
    private async Task<List<VmMembershipView>> GetMembershipsAsync(string contextId, CancellationToken cancellationToken)
    {
        var memberships = new List<VmMembershipView>();
        var read = new Dictionary<string, ReplicationSchedule?>(StringComparer.Ordinal);
        foreach (var m in await schedules.GetVmMembershipsAsync(contextId, cancellationToken).ConfigureAwait(false))
        {
            if (await schedules.GetGroupAsync(m.GroupId, cancellationToken).ConfigureAwait(false) is not { } group)
            {
                continue; // deleted since the memberships were read
            }

            ReplicationSchedule? schedule = null;
            if (group.ScheduleId is { } scheduleId && !read.TryGetValue(scheduleId, out schedule))
            {
                schedule = read[scheduleId] = await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false);
            }

            memberships.Add(new VmMembershipView(group.ScheduleId, schedule?.Name, group.Id, group.Name, m.Enabled, schedule?.RpoTarget, false));
        }

        return
        [
            .. memberships.OrderBy(m => m.ScheduleId is null).ThenBy(m => m.ScheduleName ?? m.ScheduleId, StringComparer.OrdinalIgnoreCase)
                .ThenBy(m => m.GroupName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.GroupId, StringComparer.Ordinal),
        ];
    }

    private ScheduleSummaryView Summarise(ReplicationSchedule schedule, IReadOnlyList<PauseState> inForce, IReadOnlyList<GroupView> groups, ScheduleExecution? last, int running)
    {
        var (next, problem) = NextOccurrences(schedule);
        var members = groups.SelectMany(g => g.Members).DistinctBy(m => m.ContextId).ToList();
        return new ScheduleSummaryView(
            schedule.Id, schedule.Name, schedule.CronExpression, schedule.TimeZone, schedule.Enabled,
            FindPause(inForce, PauseTarget.Schedule(schedule.Id)), next, problem, Rpo(schedule.RpoTarget, members),
            last is null ? null : ExecutionSummaryView.From(last), running, schedule.Kind.ToString());
    }

    private (IReadOnlyList<OccurrenceView> Next, string? Problem) NextOccurrences(ReplicationSchedule schedule)
    {
        // An RPO schedule has no occurrences: the planner starts its VMs when they fall due (its forecast says when).
        if (!schedule.Enabled || schedule.Kind == ScheduleKind.Rpo)
        {
            return ([], null);
        }

        // The engine's own parse: H tokens resolve with the schedule id as the seed, so the times shown are the times it fires.
        if (!evaluator.TryParse(HashedCron.Resolve(schedule.CronExpression, schedule.Id), schedule.TimeZone, out var parsed, out var error))
        {
            return ([], error);
        }

        var list = new List<OccurrenceView>(_options.NextOccurrences);
        var after = Now;
        while (list.Count < _options.NextOccurrences && parsed.GetNextOccurrence(after) is { } at)
        {
            list.Add(new OccurrenceView(at.ToUniversalTime(), TimeZoneInfo.ConvertTime(at, parsed.TimeZone)));
            after = at;
        }

        return (list, null);
    }

    private async Task<IReadOnlyList<GroupView>> GetGroupsAsync(ReplicationSchedule schedule, IReadOnlyList<PauseState> inForce, CancellationToken cancellationToken) =>
        await GroupViewsAsync(await schedules.GetGroupsAsync(schedule.Id, cancellationToken).ConfigureAwait(false), schedule, inForce, cancellationToken).ConfigureAwait(false);

    /// <summary>Groups with their members' state; <paramref name="schedule"/> is theirs (its RPO target, its recent completions), or <see langword="null"/> for groups with none.</summary>
    private async Task<IReadOnlyList<GroupView>> GroupViewsAsync(IReadOnlyList<MachineGroup> groups, ReplicationSchedule? schedule, IReadOnlyList<PauseState> inForce, CancellationToken cancellationToken)
    {
        var members = await schedules.GetMembershipsAsync([.. groups.Select(g => g.Id)], cancellationToken).ConfigureAwait(false);
        var vms = (await schedules.GetVmContextsAsync([.. members.Select(m => m.VmContextId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(v => v.ContextId, StringComparer.Ordinal);

        // The newest completion of each VM: the context's own field, or a newer completed job in the recent executions.
        var completed = vms.Values.Where(v => v.LastCompletedJobAt is not null).ToDictionary(v => v.ContextId, v => v.LastCompletedJobAt!.Value, StringComparer.Ordinal);
        IReadOnlyList<ScheduleExecution> recent = schedule is null ? [] : await executions.ListAsync(schedule.Id, 50, cancellationToken).ConfigureAwait(false);
        foreach (var e in recent)
        {
            foreach (var o in e.VmOutcomes.Where(o => o.Kind == VmOutcomeKind.JobCompleted && o.CompletedAt is not null))
            {
                if (!completed.TryGetValue(o.ContextId, out var known) || o.CompletedAt > known)
                {
                    completed[o.ContextId] = o.CompletedAt!.Value;
                }
            }
        }

        var now = Now;
        return
        [
            .. groups.OrderBy(g => g.Priority).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(g =>
            {
                var rows = members.Where(m => m.GroupId == g.Id).OrderBy(m => m.Priority).Select(m =>
                {
                    DateTimeOffset? last = completed.TryGetValue(m.VmContextId, out var c) ? c : null;
                    var age = last is { } l ? now - l : (TimeSpan?)null;
                    var name = vms.TryGetValue(m.VmContextId, out var vm) ? vm.VmName : m.VmContextId;
                    return new MemberView(m.VmContextId, name, m.Enabled, m.Priority, m.AddedAt, FindPause(inForce, PauseTarget.Vm(m.VmContextId)), last, age, IsBreached(schedule?.RpoTarget, age));
                }).ToList();
                return new GroupView(g.Id, g.Name, g.ScheduleId, g.MaxConcurrentVms, g.Priority, FindPause(inForce, PauseTarget.Group(g.Id)), Rpo(schedule?.RpoTarget, rows), rows);
            }),
        ];
    }

    private static ExecutionDetailView Detail(ScheduleExecution e) =>
        new(ExecutionSummaryView.From(e), e.StopRequestedBy, e.BufferedBehind, [.. e.VmOutcomes.Select(VmOutcomeView.From)]);

    private static RpoView Rpo(TimeSpan? target, IReadOnlyList<MemberView> members)
    {
        var ages = members.Where(m => m.RpoAge is not null).Select(m => m.RpoAge!.Value).ToList();
        return new RpoView(
            target,
            members.Count(m => m.RpoAge is not null && !m.RpoBreached),
            members.Count(m => m.RpoBreached),
            members.Count(m => m.RpoAge is null),
            ages.Count > 0 ? ages.Max() : null);
    }

    private static bool IsBreached(TimeSpan? target, TimeSpan? age) => target is { } t && age is { } a && a > t;

    private static PauseView? FindPause(IReadOnlyList<PauseState> inForce, PauseTarget target) =>
        inForce.FirstOrDefault(p => p.Target == target) is { } p ? PauseView.From(p) : null;
}
