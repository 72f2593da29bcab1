using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// The cron schedule the RPO schedule is compared with, on a simulated clock: each occurrence (from the SDK's own cron
/// evaluator in the schedule's zone, so a DST change moves them as in the engine) starts an execution of every VM in
/// selection order under the same limits; a slot that frees starts the next VM at once, and an execution lasts until its
/// last job ends. An occurrence that finds an execution still running is skipped (<see cref="OverlapPolicy.Skip"/>),
/// waits for it (<see cref="OverlapPolicy.BufferOne"/>, one at most), or runs alongside (<see cref="OverlapPolicy.AllowAll"/>:
/// the older execution's VMs go first, and a VM whose job is active when its turn comes is skipped).
/// </summary>
internal static class CronDrivenRun
{
    public static EvidenceFigures Run(ReplicationSchedule schedule, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> initial, IReadOnlyList<EvidenceVm> vms, TimeSpan target, DateTimeOffset from, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(initial);
        var end = from + span;
        var n = initial.Count;
        var tally = new EvidenceTally([.. initial.Select(v => v.LastCompleted)], from, target);
        var occurrences = new Queue<DateTimeOffset>(new CronScheduleEvaluator().Parse(schedule.CronExpression, schedule.TimeZone).GetOccurrences(from.AddTicks(-1), end));
        var jobs = new int[n];
        var owner = new Execution?[n];
        var running = new PriorityQueue<int, DateTimeOffset>();
        var perGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        var executions = new List<Execution>();
        var buffered = false;

        void Dispatch(DateTimeOffset at)
        {
            foreach (var execution in executions)
            {
                while (running.Count < schedule.MaxConcurrentJobs)
                {
                    // The runner takes the first pending VM whose group has room.
                    var picked = execution.Pending.FindIndex(i => perGroup.GetValueOrDefault(vms[i].GroupId) < groupLimits.GetValueOrDefault(vms[i].GroupId, int.MaxValue));
                    if (picked < 0)
                    {
                        break;
                    }

                    var vm = execution.Pending[picked];
                    execution.Pending.RemoveAt(picked);
                    if (owner[vm] is not null)
                    {
                        continue; // its job of an earlier execution is still active: skipped
                    }

                    owner[vm] = execution;
                    execution.Active++;
                    perGroup[vms[vm].GroupId] = perGroup.GetValueOrDefault(vms[vm].GroupId) + 1;
                    running.Enqueue(vm, at + vms[vm].Duration(jobs[vm]++));
                    tally.Started(at);
                }
            }

            executions.RemoveAll(e => e.Pending.Count == 0 && e.Active == 0);
        }

        void Begin(DateTimeOffset at)
        {
            executions.Add(new Execution([.. Enumerable.Range(0, n)]));
            Dispatch(at);
        }

        while (true)
        {
            var completion = running.TryPeek(out _, out var doneAt) ? doneAt : DateTimeOffset.MaxValue;
            var occurrence = occurrences.TryPeek(out var o) ? o : DateTimeOffset.MaxValue;
            if (completion >= end && occurrence >= end)
            {
                break;
            }

            if (completion <= occurrence)
            {
                var vm = running.Dequeue();
                perGroup[vms[vm].GroupId]--;
                owner[vm]!.Active--;
                owner[vm] = null;
                tally.Completed(vm, completion);
                Dispatch(completion);
                if (executions.Count == 0 && buffered)
                {
                    buffered = false;
                    Begin(completion);
                }

                continue;
            }

            occurrences.Dequeue();
            if (executions.Count == 0 || schedule.OverlapPolicy == OverlapPolicy.AllowAll)
            {
                Begin(occurrence);
            }
            else if (schedule.OverlapPolicy == OverlapPolicy.BufferOne)
            {
                buffered = true;
            }
        }

        return tally.Close(end);
    }

    private sealed class Execution(List<int> pending)
    {
        public List<int> Pending { get; } = pending;

        public int Active { get; set; }
    }
}
