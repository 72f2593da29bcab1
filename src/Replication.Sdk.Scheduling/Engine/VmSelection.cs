namespace Replication.Sdk.Scheduling;

/// <summary>
/// Which VMs an execution of a schedule takes, in which order, and why the others are left out — from the schedule store
/// alone. The runner and the preview both use it, so a preview says what the engine then does.
/// </summary>
internal static class VmSelection
{
    /// <summary>The states in which the appliance's own scheduler leaves a VM alone (it is failed over, or being cleaned up).</summary>
    public static readonly HashSet<string> FailoverStates = new(StringComparer.OrdinalIgnoreCase) { "failed_over_test", "failed_over_live", "cleanup_required" };

    /// <summary>
    /// Reads the schedule's groups, memberships and VM contexts: every enabled membership once (a VM in several groups runs
    /// in its first), in group order, then membership priority, then when added.
    /// </summary>
    public static async Task<Selection> ReadAsync(IScheduleStore store, ReplicationSchedule schedule, CancellationToken ct)
    {
        var groups = (await store.GetGroupsAsync(schedule.Id, ct).ConfigureAwait(false))
            .OrderBy(g => g.Priority).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var memberships = await store.GetMembershipsAsync([.. groups.Select(g => g.Id)], ct).ConfigureAwait(false);
        var ordered = groups
            .SelectMany(g => memberships.Where(m => m.Enabled && m.GroupId == g.Id).OrderBy(m => m.Priority).ThenBy(m => m.AddedAt).ThenBy(m => m.VmContextId, StringComparer.Ordinal)
                .Select(m => (Membership: m, Group: g)))
            .DistinctBy(x => x.Membership.VmContextId, StringComparer.Ordinal)
            .ToList();
        var disabled = memberships.Where(m => !m.Enabled && !ordered.Any(o => o.Membership.VmContextId == m.VmContextId)).ToList();

        var contexts = (await store.GetVmContextsAsync([.. ordered.Select(x => x.Membership.VmContextId).Concat(disabled.Select(m => m.VmContextId))], ct).ConfigureAwait(false))
            .ToDictionary(v => v.ContextId, StringComparer.Ordinal);
        var invalid = groups.Select(g => (g.Id, Problem: ScheduleRules.Problem(g))).Where(x => x.Problem is not null).ToDictionary(x => x.Id, x => x.Problem!, StringComparer.Ordinal);

        var candidates = ordered.Select(x => new Candidate(
            x.Membership,
            x.Group,
            contexts.GetValueOrDefault(x.Membership.VmContextId),
            !contexts.ContainsKey(x.Membership.VmContextId) ? "the VM context is not in the schedule store"
            : invalid.TryGetValue(x.Group.Id, out var problem) ? $"the VM's group cannot run: {problem}"
            : null)).ToList();
        return new Selection(groups, candidates, [.. disabled.Select(m => (m, contexts.GetValueOrDefault(m.VmContextId)))], [.. invalid.Values]);
    }

    /// <summary>
    /// The checks the store can answer, in the documented order (the OMA's own checks come after them at run time);
    /// <see langword="null"/> when none applies.
    /// </summary>
    public static (SkipReason Reason, string Text)? StoreCheck(ReplicationSchedule schedule, ScheduledVm vm) =>
        !schedule.Enabled ? (SkipReason.ScheduleDisabled, "the schedule is disabled")
        : !vm.SchedulerEnabled ? (SkipReason.VmDisabled, "the VM context has the scheduler disabled")
        : FailoverStates.Contains(vm.CurrentStatus) ? (SkipReason.VmInFailover, $"the VM is in failover state '{vm.CurrentStatus}'")
        : null;

    /// <summary>A context that cannot become a target (no name, vCenter or datacenter) fails alone instead of failing the discovery scope.</summary>
    public static string? TargetProblem(ScheduledVm vm) =>
        string.IsNullOrWhiteSpace(vm.VmName) ? "the VM context has no VM name"
        : string.IsNullOrWhiteSpace(vm.VCenterHost) ? "the VM context has no vCenter host"
        : string.IsNullOrWhiteSpace(vm.Datacenter) ? "the VM context has no datacenter"
        : null;

    /// <param name="Groups">The schedule's groups, in run order.</param>
    /// <param name="Candidates">Every enabled membership once, in run order.</param>
    /// <param name="DisabledMemberships">Memberships switched off (and the VM in no enabled one), with their contexts where known.</param>
    /// <param name="GroupProblems">Why groups cannot run.</param>
    public sealed record Selection(
        IReadOnlyList<MachineGroup> Groups,
        IReadOnlyList<Candidate> Candidates,
        IReadOnlyList<(GroupMembership Membership, ScheduledVm? Vm)> DisabledMemberships,
        IReadOnlyList<string> GroupProblems);

    /// <param name="Membership">The membership.</param>
    /// <param name="Group">Its group.</param>
    /// <param name="Vm">The VM context, or <see langword="null"/> when the store has none.</param>
    /// <param name="Problem">Why the VM cannot be taken at all (missing context, invalid group), else <see langword="null"/>.</param>
    public sealed record Candidate(GroupMembership Membership, MachineGroup Group, ScheduledVm? Vm, string? Problem);
}
