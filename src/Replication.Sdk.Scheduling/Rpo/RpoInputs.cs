namespace Replication.Sdk.Scheduling;

/// <summary>
/// The planner's inputs for a schedule, read from the stores the same way for the engine and the forecast: the VMs
/// <see cref="VmSelection"/> takes (and the store checks pass), their newest completed job, their predicted durations from
/// the execution store's completed outcomes, and the groups' limits.
/// </summary>
internal static class RpoInputs
{
    /// <summary>How many of the schedule's newest executions the duration history is read from.</summary>
    public const int HistoryExecutions = 500;

    /// <summary>
    /// Reads the inputs; <paramref name="running"/> are the VM context ids with an active job now; <paramref name="tracker"/>
    /// adds the completions this process saw (a long history can reach past the executions read, and an in-memory schedule
    /// store does not update <see cref="ScheduledVm.LastCompletedJobAt"/>). The durations come from the newest
    /// <see cref="HistoryExecutions"/> executions.
    /// </summary>
    public static Task<Inputs> ReadAsync(IScheduleStore store, IExecutionStore executions, ReplicationSchedule schedule, RpoSettings settings, IReadOnlySet<string> running, RpoTracker? tracker, CancellationToken ct) =>
        ReadAsync(store, executions, schedule, settings, running, tracker, null, ct);

    /// <summary>Reads the inputs as above, with the durations from <paramref name="history"/> (the completed outcomes <see cref="RpoHistory"/> knows) when given.</summary>
    public static async Task<Inputs> ReadAsync(IScheduleStore store, IExecutionStore executions, ReplicationSchedule schedule, RpoSettings settings, IReadOnlySet<string> running, RpoTracker? tracker, IReadOnlyList<VmOutcome>? history, CancellationToken ct)
    {
        var read = await VmSelection.ReadAsync(store, schedule, ct).ConfigureAwait(false);
        history ??= [.. (await executions.ListAsync(schedule.Id, HistoryExecutions, ct).ConfigureAwait(false)).SelectMany(e => e.VmOutcomes)];
        var completed = history
            .Where(o => o.Kind == VmOutcomeKind.JobCompleted && o.StartedAt is not null && o.CompletedAt is not null)
            .GroupBy(o => o.ContextId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(o => o.CompletedAt).ToList(), StringComparer.Ordinal);

        var vms = new List<Planned>();
        var order = 0;
        foreach (var candidate in read.Candidates)
        {
            order++;
            if (candidate.Vm is not { } vm || candidate.Problem is not null || VmSelection.StoreCheck(schedule, vm) is not null || VmSelection.TargetProblem(vm) is not null)
            {
                continue;
            }

            var jobs = completed.GetValueOrDefault(vm.ContextId) ?? [];
            var durations = jobs.TakeLast(RpoConstants.HistoryLength).Select(o => o.CompletedAt!.Value - o.StartedAt!.Value).ToList();
            var stored = tracker?.LastCompleted(vm) ?? vm.LastCompletedJobAt;
            var last = jobs.Count > 0 && RpoTracker.IsEarlier(stored, jobs[^1].CompletedAt) ? jobs[^1].CompletedAt : stored;
            var predicted = DurationPredictor.Predict(vm, durations, settings);
            var completions = jobs.Select(o => o.CompletedAt!.Value).Concat(stored is { } known ? [known] : []).Distinct().Order().ToList();
            vms.Add(new Planned(new RpoVm(vm.ContextId, candidate.Group.Id, order, last, predicted, running.Contains(vm.ContextId)), vm, candidate.Group, durations.Count > 0, completions));
        }

        var limits = read.Groups.ToDictionary(g => g.Id, g => g.MaxConcurrentVms, StringComparer.Ordinal);
        return new Inputs(read.Groups, vms, limits);
    }

    /// <param name="Groups">The schedule's groups in run order.</param>
    /// <param name="Vms">The VMs to plan, in selection order.</param>
    /// <param name="GroupLimits">Each group's <see cref="MachineGroup.MaxConcurrentVms"/>.</param>
    public sealed record Inputs(IReadOnlyList<MachineGroup> Groups, IReadOnlyList<Planned> Vms, IReadOnlyDictionary<string, int> GroupLimits);

    /// <param name="Rpo">The planner's view.</param>
    /// <param name="Vm">The context.</param>
    /// <param name="Group">Its group.</param>
    /// <param name="FromHistory">Whether its duration comes from its own completed jobs.</param>
    /// <param name="Completions">Every completion known (the history read and the store's last), oldest first.</param>
    public sealed record Planned(RpoVm Rpo, ScheduledVm Vm, MachineGroup Group, bool FromHistory, IReadOnlyList<DateTimeOffset> Completions);
}
