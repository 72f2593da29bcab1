using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>A schedule the engine fires, with its parsed expression.</summary>
internal sealed record PlannedSchedule(ReplicationSchedule Schedule, ISchedule Parsed);

/// <summary>
/// The schedules the engine fires and when each fires next. Loading validates every row (<see cref="ScheduleRules"/>) and
/// parses it once; a schedule is only ever taken out of the plan because it was disabled, deleted or made invalid, never
/// because firing it failed: a failed claim keeps its occurrence and is tried again (<see cref="RetryAt"/>).
/// </summary>
internal sealed class SchedulePlan(IScheduleStore store, IScheduleEvaluator evaluator, ILogger logger, TimeSpan rpoPlanningInterval = default)
{
    private readonly Lock _lock = new();
    private readonly ScheduleIndex _index = new();
    private readonly Dictionary<string, PlannedSchedule> _planned = new(StringComparer.Ordinal);

    /// <summary>The oldest occurrence of a schedule that is due but not yet recorded, because its claim failed.</summary>
    private readonly Dictionary<string, DateTimeOffset> _unclaimed = new(StringComparer.Ordinal);
    private long _replanned;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public DateTimeOffset? Earliest
    {
        get
        {
            lock (_lock)
            {
                return _index.Earliest;
            }
        }
    }

    public DateTimeOffset? NextFireTime(string scheduleId)
    {
        lock (_lock)
        {
            return _index.NextOf(scheduleId);
        }
    }

    public PlannedSchedule? Get(string scheduleId)
    {
        lock (_lock)
        {
            return _planned.GetValueOrDefault(scheduleId);
        }
    }

    /// <summary>Removes and returns the schedules due at <paramref name="now"/>, each with the occurrence it owes.</summary>
    public List<(string Id, DateTimeOffset DueAt)> TakeDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            return [.. _index.TakeDue(now).Select(d => (d.Id, _unclaimed.Remove(d.Id, out var owed) ? owed : d.At))];
        }
    }

    /// <summary>The occurrence was recorded (run, skipped or missed): the schedule next fires at its first occurrence after <paramref name="now"/>.</summary>
    public void Rearm(string scheduleId, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_planned.TryGetValue(scheduleId, out var planned))
            {
                _index.Set(scheduleId, planned.Parsed.GetNextOccurrence(now));
            }
        }
    }

    /// <summary>
    /// Claiming <paramref name="dueAt"/> failed: the schedule stays planned and owes that occurrence; it is tried again at
    /// <paramref name="retryAt"/> or at its next occurrence, whichever comes first, where the misfire policy decides.
    /// </summary>
    public void RetryAt(string scheduleId, DateTimeOffset dueAt, DateTimeOffset now, DateTimeOffset retryAt)
    {
        lock (_lock)
        {
            if (_planned.TryGetValue(scheduleId, out var planned))
            {
                _unclaimed[scheduleId] = _unclaimed.TryGetValue(scheduleId, out var older) && older < dueAt ? older : dueAt;
                var next = planned.Parsed.GetNextOccurrence(now);
                _index.Set(scheduleId, next is { } n && n < retryAt ? n : retryAt);
            }
        }
    }

    /// <summary>
    /// Gets how many schedule rows were (re)planned so far: every schedule of a full load, one per schedule of a targeted
    /// re-plan. A load-independent count for tests and diagnostics (an edit of one schedule adds one, not the schedule count).
    /// </summary>
    public long Replanned => Interlocked.Read(ref _replanned);

    /// <summary>
    /// Reads every schedule and plans the valid, enabled ones. The newly planned schedules are passed to <paramref name="catchUp"/>
    /// first, all at once (at start-up: occurrences missed while no scheduler ran); they join the plan only once that
    /// succeeded, so a failed start-up retried later catches them up again.
    /// </summary>
    public async Task LoadAsync(DateTimeOffset now, Func<IReadOnlyList<PlannedSchedule>, CancellationToken, Task>? catchUp, CancellationToken ct)
    {
        var schedules = await store.GetSchedulesAsync(ct).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var caughtUp = new List<PlannedSchedule>();
        foreach (var schedule in schedules)
        {
            seen.Add(schedule.Id);
            if (Apply(schedule, now, deferNew: catchUp is not null) is { } fresh)
            {
                caughtUp.Add(fresh);
            }
        }

        if (catchUp is not null)
        {
            await catchUp(caughtUp, ct).ConfigureAwait(false);
        }

        lock (_lock)
        {
            foreach (var planned in caughtUp)
            {
                Join(planned, now);
            }

            foreach (var gone in _planned.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                _planned.Remove(gone);
                _unclaimed.Remove(gone);
                _index.Remove(gone);
            }
        }
    }

    /// <summary>
    /// Re-reads only the named schedules (the store said which changed) and re-plans them: one read each, whatever the
    /// schedule count. A schedule the store no longer returns (deleted, or made unusable) leaves the plan.
    /// </summary>
    public async Task ReplanAsync(IReadOnlyCollection<string> scheduleIds, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var id in scheduleIds)
        {
            if (await store.GetScheduleAsync(id, ct).ConfigureAwait(false) is { } schedule && schedule.Id == id)
            {
                Apply(schedule, now, deferNew: false);
            }
            else
            {
                Interlocked.Increment(ref _replanned);
                Remove(id);
            }
        }
    }

    /// <summary>
    /// Plans one schedule row: disabled or invalid leaves the plan; an unchanged expression and zone keeps its next fire
    /// time. A newly parsed schedule joins the plan at once, or is returned to join it later (<paramref name="deferNew"/>).
    /// </summary>
    private PlannedSchedule? Apply(ReplicationSchedule schedule, DateTimeOffset now, bool deferNew)
    {
        Interlocked.Increment(ref _replanned);
        if (!schedule.Enabled)
        {
            Remove(schedule.Id);
            return null;
        }

        if (Get(schedule.Id) is { } existing && existing.Schedule.Kind == schedule.Kind && existing.Schedule.CronExpression == schedule.CronExpression && existing.Schedule.TimeZone == schedule.TimeZone
            && ScheduleRules.Problems(schedule).Count == 0)
        {
            lock (_lock)
            {
                _planned[schedule.Id] = existing with { Schedule = schedule };
                if (_index.NextOf(schedule.Id) is null)
                {
                    _index.Set(schedule.Id, existing.Parsed.GetNextOccurrence(now));
                }
            }

            return null;
        }

        if (!TryPlan(schedule, out var planned, out var problem))
        {
            SchedulerLog.InvalidSchedule(logger, schedule.Id, problem);
            Remove(schedule.Id);
            return null;
        }

        if (deferNew)
        {
            return planned;
        }

        lock (_lock)
        {
            Join(planned, now);
        }

        return null;
    }

    /// <summary>Puts a newly parsed schedule in the plan at its next occurrence (under the lock).</summary>
    private void Join(PlannedSchedule planned, DateTimeOffset now)
    {
        _planned[planned.Schedule.Id] = planned;
        _unclaimed.Remove(planned.Schedule.Id);
        _index.Set(planned.Schedule.Id, planned.Parsed.GetNextOccurrence(now));
    }

    /// <summary>Validates and parses a schedule by the rules every path shares.</summary>
    public bool TryPlan(ReplicationSchedule schedule, out PlannedSchedule planned, out string problem)
    {
        planned = null!;
        var problems = ScheduleRules.Problems(schedule);
        if (problems.Count > 0)
        {
            problem = string.Join("; ", problems);
            return false;
        }

        if (schedule.Kind == ScheduleKind.Rpo)
        {
            // No cron: the planning instants fire it, and the RPO planner decides which VMs start.
            planned = new PlannedSchedule(schedule, new RpoTicks(rpoPlanningInterval > TimeSpan.Zero ? rpoPlanningInterval : RpoConstants.DefaultPlanningInterval));
            problem = "";
            return true;
        }

        string expression;
        try
        {
            expression = HashedCron.Resolve(schedule.CronExpression, schedule.Id);
        }
        catch (ScheduleFormatException ex)
        {
            problem = ex.Message;
            return false;
        }

        if (!evaluator.TryParse(expression, schedule.TimeZone, out var parsed, out var parseProblem))
        {
            problem = parseProblem ?? "invalid cron expression or time zone";
            return false;
        }

        planned = new PlannedSchedule(schedule, parsed);
        problem = "";
        return true;
    }

    private void Remove(string scheduleId)
    {
        lock (_lock)
        {
            _planned.Remove(scheduleId);
            _unclaimed.Remove(scheduleId);
            _index.Remove(scheduleId);
        }
    }
}
