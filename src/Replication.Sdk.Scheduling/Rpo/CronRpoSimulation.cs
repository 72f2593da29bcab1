namespace Replication.Sdk.Scheduling;

/// <summary>
/// A cron schedule on a simulated clock, as the engine runs it (docs/scheduling-semantics.md): each occurrence passes the
/// blackouts and the window (skipped, or deferred to the opening under <see cref="OutsideWindowPolicy.Defer"/>), then the
/// overlap policy; an execution starts its VMs in selection order as the limits allow, each as soon as a slot frees,
/// until its deadline — the schedule's next occurrence, or the window's closing if earlier — after which the VMs left
/// are not started; it lasts until its last job ends. A VM whose job is still active when its turn comes is skipped.
/// Pure and deterministic; job durations come from the caller (predicted for the forecast, drawn for the benchmark).
/// Not modelled: spread offsets, the start rate, retries and failures.
/// </summary>
internal static class CronRpoSimulation
{
    /// <param name="schedule">The schedule (limit, overlap policy, window, blackouts).</param>
    /// <param name="occurrences">Its parsed cron expression.</param>
    /// <param name="groupLimits">Each group's limit.</param>
    /// <param name="vms">The VMs in selection order; a running one is taken to be in an execution still running at <paramref name="from"/> and to end its job at <paramref name="runningUntil"/>.</param>
    /// <param name="from">The simulated start.</param>
    /// <param name="end">The simulated end.</param>
    /// <param name="duration">How long VM i's j-th job (from 0) takes.</param>
    /// <param name="runningUntil">When VM i's running job ends.</param>
    /// <param name="course">Receives the starts and completions.</param>
    /// <param name="globalLimit">The scheduler-wide job limit, if any (this schedule alone under it).</param>
    public static void Run(ReplicationSchedule schedule, ISchedule occurrences, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> vms, DateTimeOffset from, DateTimeOffset end, Func<int, int, TimeSpan> duration, Func<int, DateTimeOffset> runningUntil, IRpoCourse course, int? globalLimit = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(occurrences);
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(course);
        var run = new State(schedule, occurrences, groupLimits, vms, duration, course, globalLimit);
        run.Resume(from, runningUntil);
        var upcoming = new Queue<DateTimeOffset>(occurrences.GetOccurrences(from.AddTicks(-1), end));
        var deferred = new Queue<(DateTimeOffset StartAt, DateTimeOffset Deadline)>();
        while (true)
        {
            var completion = run.NextCompletion;
            var occurrence = upcoming.TryPeek(out var o) ? o : DateTimeOffset.MaxValue;
            var opening = deferred.TryPeek(out var d) ? d.StartAt : DateTimeOffset.MaxValue;
            var next = Min(completion, Min(occurrence, opening));
            if (next >= end)
            {
                return;
            }

            if (completion == next)
            {
                run.CompleteNext();
            }
            else if (opening == next)
            {
                var start = deferred.Dequeue();
                run.Begin(start.StartAt, start.Deadline);
            }
            else
            {
                upcoming.Dequeue();
                var deadline = occurrences.GetNextOccurrence(occurrence) ?? DateTimeOffset.MaxValue;
                var gate = WindowGate.Decide(schedule, TriggerKind.Scheduled, occurrence, deadline);
                if (gate.SkipReason is not null)
                {
                    continue;
                }

                run.Expire(occurrence);
                if (!run.Executing || schedule.OverlapPolicy == OverlapPolicy.AllowAll)
                {
                    Start(gate.StartAt, occurrence, deadline);
                }
                else if (schedule.OverlapPolicy == OverlapPolicy.CancelOther)
                {
                    run.CancelPending();
                    Start(gate.StartAt, occurrence, deadline);
                }
                else if (schedule.OverlapPolicy == OverlapPolicy.BufferOne)
                {
                    run.Buffered = true;
                }
            }
        }

        void Start(DateTimeOffset? startAt, DateTimeOffset occurrence, DateTimeOffset deadline)
        {
            if (startAt is { } later)
            {
                deferred.Enqueue((later, deadline));
            }
            else
            {
                run.Begin(occurrence, deadline);
            }
        }
    }

    /// <summary>The forecast's course: every job takes its VM's predicted duration, a running one ends a prediction after <paramref name="from"/>.</summary>
    public static IReadOnlyList<SimulatedVm> Forecast(ReplicationSchedule schedule, ISchedule occurrences, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> vms, RpoSettings settings, DateTimeOffset from, TimeSpan horizon, int? globalLimit = null)
    {
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        var end = from + horizon;
        var tracks = vms.Select(v => new RpoAgeTrack(v, v.Running ? from + v.Predicted : null, from)).ToArray();
        Run(schedule, occurrences, groupLimits, vms, from, end, (vm, _) => vms[vm].Predicted, vm => from + vms[vm].Predicted, new Tracks(tracks, settings.Target), globalLimit);
        foreach (var track in tracks)
        {
            track.Account(end, settings.Target);
        }

        return [.. tracks.Select(t => t.Result(horizon))];
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class State(ReplicationSchedule schedule, ISchedule occurrences, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> vms, Func<int, int, TimeSpan> duration, IRpoCourse course, int? globalLimit)
    {
        private readonly int _limit = globalLimit is { } g ? Math.Min(g, schedule.MaxConcurrentJobs) : schedule.MaxConcurrentJobs;
        private readonly int[] _jobs = new int[vms.Count];
        private readonly Execution?[] _owner = new Execution?[vms.Count];
        private readonly PriorityQueue<int, DateTimeOffset> _running = new();
        private readonly Dictionary<string, int> _perGroup = new(StringComparer.Ordinal);
        private readonly List<Execution> _executions = [];

        public bool Buffered { get; set; }

        public bool Executing => _executions.Count > 0;

        public DateTimeOffset NextCompletion => _running.TryPeek(out _, out var at) ? at : DateTimeOffset.MaxValue;

        /// <summary>The jobs running at the start hold their slots in one execution that starts nothing more.</summary>
        public void Resume(DateTimeOffset from, Func<int, DateTimeOffset> runningUntil)
        {
            var holding = new Execution([], from);
            for (var i = 0; i < vms.Count; i++)
            {
                if (vms[i].Running)
                {
                    Take(i, holding, runningUntil(i));
                }
            }

            if (holding.Active > 0)
            {
                _executions.Add(holding);
            }
        }

        public void Begin(DateTimeOffset at, DateTimeOffset deadline)
        {
            // The window's closing (or a blackout's beginning) ends the starts earlier than the deadline.
            var close = WindowGate.CloseAfter(schedule, TriggerKind.Scheduled, at);
            _executions.Add(new Execution([.. Enumerable.Range(0, vms.Count)], close is { } c && c.At < deadline ? c.At : deadline));
            Dispatch(at);
        }

        public void CompleteNext()
        {
            var at = NextCompletion;
            var vm = _running.Dequeue();
            _perGroup[vms[vm].GroupId]--;
            _owner[vm]!.Active--;
            _owner[vm] = null;
            course.Completed(vm, at);
            Expire(at);
            Dispatch(at);
            if (_executions.Count == 0 && Buffered)
            {
                // The buffered occurrence runs now, until the next occurrence after now.
                Buffered = false;
                Begin(at, occurrences.GetNextOccurrence(at) ?? DateTimeOffset.MaxValue);
            }
        }

        /// <summary>VMs not started by their execution's deadline are not started; an execution with nothing left ends.</summary>
        public void Expire(DateTimeOffset at)
        {
            foreach (var execution in _executions.Where(e => e.Deadline <= at))
            {
                execution.Pending.Clear();
            }

            _executions.RemoveAll(e => e.Pending.Count == 0 && e.Active == 0);
        }

        public void CancelPending()
        {
            foreach (var execution in _executions)
            {
                execution.Pending.Clear();
            }
        }

        private void Dispatch(DateTimeOffset at)
        {
            foreach (var execution in _executions.Where(e => e.Deadline > at))
            {
                while (_running.Count < _limit)
                {
                    // The runner takes the first pending VM whose group has room.
                    var picked = execution.Pending.FindIndex(i => _perGroup.GetValueOrDefault(vms[i].GroupId) < groupLimits.GetValueOrDefault(vms[i].GroupId, int.MaxValue));
                    if (picked < 0)
                    {
                        break;
                    }

                    var vm = execution.Pending[picked];
                    execution.Pending.RemoveAt(picked);
                    if (_owner[vm] is null)
                    {
                        var until = at + duration(vm, _jobs[vm]++);
                        Take(vm, execution, until);
                        course.Started(vm, at, until);
                    }
                }
            }

            _executions.RemoveAll(e => e.Pending.Count == 0 && e.Active == 0);
        }

        private void Take(int vm, Execution execution, DateTimeOffset until)
        {
            _owner[vm] = execution;
            execution.Active++;
            _perGroup[vms[vm].GroupId] = _perGroup.GetValueOrDefault(vms[vm].GroupId) + 1;
            _running.Enqueue(vm, until);
        }
    }

    private sealed class Tracks(RpoAgeTrack[] tracks, TimeSpan target) : IRpoCourse
    {
        public void Started(int vm, DateTimeOffset at, DateTimeOffset until) => tracks[vm].Start(at, until);

        public void Completed(int vm, DateTimeOffset at) => tracks[vm].Complete(at, target);
    }

    private sealed class Execution(List<int> pending, DateTimeOffset deadline)
    {
        public List<int> Pending { get; } = pending;

        public DateTimeOffset Deadline { get; } = deadline;

        public int Active { get; set; }
    }
}
