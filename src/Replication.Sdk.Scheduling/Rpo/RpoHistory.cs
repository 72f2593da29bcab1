namespace Replication.Sdk.Scheduling;

/// <summary>
/// Each schedule's recent completed jobs per VM (the duration history), kept between planning instants so that an
/// instant reads only what changed: the executions that were running at the last look and have ended since (one
/// <see cref="IExecutionStore.GetAsync"/> each), and the completed outcomes of the ones still running (in the running
/// records the planner reads anyway). A full read of the newest <see cref="RpoInputs.HistoryExecutions"/> executions
/// happens on first use and every <see cref="FullReadInterval"/>, for executions created and ended between two looks
/// (another instance's short jobs). Per VM its jobs of the 7 days before its newest completion are kept (at least the
/// newest <see cref="RpoConstants.HistoryLength"/>), also when they are older than the executions a full read returns.
/// </summary>
internal sealed class RpoHistory
{
    /// <summary>How often the whole recent history of a schedule is read again.</summary>
    public static readonly TimeSpan FullReadInterval = TimeSpan.FromMinutes(10);

    /// <summary>How far back completions are kept for the 7-day compliance.</summary>
    private static readonly TimeSpan ComplianceSpan = TimeSpan.FromDays(7);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Schedule> _schedules = new(StringComparer.Ordinal);

    /// <summary>The completed outcomes known for the schedule's VMs (per VM its newest jobs), after reading what changed.</summary>
    /// <param name="executions">The execution store.</param>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="running">The store's running executions (of every schedule), just read.</param>
    /// <param name="now">Now.</param>
    /// <param name="ct">A token to cancel the reads.</param>
    public async Task<IReadOnlyList<VmOutcome>> CompletedAsync(IExecutionStore executions, string scheduleId, IReadOnlyList<ScheduleExecution> running, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(executions);
        ArgumentNullException.ThrowIfNull(running);
        var mine = running.Where(e => string.Equals(e.ScheduleId, scheduleId, StringComparison.Ordinal)).ToList();
        Schedule? known;
        lock (_lock)
        {
            _schedules.TryGetValue(scheduleId, out known);
        }

        var read = new List<ScheduleExecution>(mine);
        var full = known is null || now - known.FullReadAt >= FullReadInterval || now < known.FullReadAt;
        if (full)
        {
            read.AddRange(await executions.ListAsync(scheduleId, RpoInputs.HistoryExecutions, ct).ConfigureAwait(false));
        }
        else
        {
            foreach (var id in known!.Running.Where(id => !mine.Any(e => string.Equals(e.Id, id, StringComparison.Ordinal))))
            {
                // Ended since the last look (here or on another instance): its final record has its last completions.
                if (await executions.GetAsync(id, ct).ConfigureAwait(false) is { } ended)
                {
                    read.Add(ended);
                }
            }
        }

        lock (_lock)
        {
            var schedule = _schedules.TryGetValue(scheduleId, out var current) ? current : _schedules[scheduleId] = new Schedule();
            schedule.Merge(read);
            schedule.Running = [.. mine.Select(e => e.Id)];
            if (full)
            {
                schedule.FullReadAt = now;
            }

            return schedule.Completed();
        }
    }

    /// <summary>
    /// An execution this process just started for the schedule: it is looked up by id at the next instant if it is no
    /// longer running, so a job that starts and ends between two instants reaches the history at once, not at the next
    /// full read.
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="executionId">The execution.</param>
    public void Track(string scheduleId, string executionId)
    {
        lock (_lock)
        {
            if (_schedules.TryGetValue(scheduleId, out var schedule) && !schedule.Running.Contains(executionId, StringComparer.Ordinal))
            {
                schedule.Running = [.. schedule.Running, executionId];
            }
        }
    }

    private sealed class Schedule
    {
        private readonly Dictionary<string, List<(string ExecutionId, VmOutcome Outcome)>> _byVm = new(StringComparer.Ordinal);

        public DateTimeOffset FullReadAt { get; set; } = DateTimeOffset.MinValue;

        public IReadOnlyList<string> Running { get; set; } = [];

        public void Merge(IEnumerable<ScheduleExecution> executions)
        {
            foreach (var execution in executions)
            {
                foreach (var outcome in execution.VmOutcomes.Where(o => o.Kind == VmOutcomeKind.JobCompleted && o.StartedAt is not null && o.CompletedAt is not null))
                {
                    var jobs = _byVm.TryGetValue(outcome.ContextId, out var list) ? list : _byVm[outcome.ContextId] = [];
                    var at = jobs.FindIndex(j => string.Equals(j.ExecutionId, execution.Id, StringComparison.Ordinal));
                    if (at >= 0)
                    {
                        jobs[at] = (execution.Id, outcome);
                    }
                    else
                    {
                        jobs.Add((execution.Id, outcome));
                    }
                }
            }

            foreach (var jobs in _byVm.Values.Where(j => j.Count > RpoConstants.HistoryLength))
            {
                // The newest jobs predict the duration; the past 7 days of completions give the compliance.
                jobs.Sort((a, b) => a.Outcome.CompletedAt!.Value.CompareTo(b.Outcome.CompletedAt!.Value));
                var keepFrom = jobs[^1].Outcome.CompletedAt!.Value - ComplianceSpan;
                var old = Math.Min(jobs.FindIndex(j => j.Outcome.CompletedAt >= keepFrom), jobs.Count - RpoConstants.HistoryLength);
                jobs.RemoveRange(0, Math.Max(0, old));
            }
        }

        public IReadOnlyList<VmOutcome> Completed() => [.. _byVm.Values.SelectMany(j => j.Select(x => x.Outcome))];
    }
}
