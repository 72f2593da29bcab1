using System.Text.RegularExpressions;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>
/// The promises, checked from what the simulator saw (its journal and jobs) and what the store recorded (read back from it at the end) — never from the
/// scheduler's own view of itself.
/// </summary>
internal static partial class ChaosInvariants
{
    public static ChaosReport Check(
        ChaosSettings settings,
        ApplianceSimulator sim,
        IReadOnlyList<ScheduleExecution> all,
        IReadOnlyDictionary<string, (TimeSpan Period, IReadOnlyList<string> ContextIds)> plan,
        DateTimeOffset start,
        DateTimeOffset end,
        ChaosDice dice,
        TimeSpan elapsed)
    {
        var violations = new List<string>();
        var byId = all.ToDictionary(e => e.Id, StringComparer.Ordinal);

        // 1. Each occurrence claimed at most once.
        foreach (var twice in all.Where(e => e.TriggerKind != TriggerKind.Manual).GroupBy(e => (e.ScheduleId, e.ScheduledFor)).Where(g => g.Count() > 1))
        {
            violations.Add($"occurrence {twice.Key.ScheduleId} {twice.Key.ScheduledFor:O} claimed {twice.Count()} times");
        }

        // 2. No execution left running; every selected VM of every execution has exactly one final outcome.
        var lost = 0;
        foreach (var e in all)
        {
            if (!e.IsFinished)
            {
                violations.Add($"execution {e.Id} ({e.InstanceId}) left {e.Status}");
                continue;
            }

            // No outcomes is honest only where no VM was selected yet: not run, failed before selection, or stopped (cleanly
            // or by a crash) before selection. Anything selected must have its outcome.
            if (e.Status is ExecutionStatus.Skipped or ExecutionStatus.Missed
                || (e.VmOutcomes.Count == 0 && (e.Error is not null || e.Status is ExecutionStatus.Cancelled or ExecutionStatus.Interrupted)))
            {
                continue;
            }

            var expected = plan[e.ScheduleId].ContextIds;
            var missing = expected.Except(e.VmOutcomes.Select(o => o.ContextId), StringComparer.Ordinal).Count();
            var extra = e.VmOutcomes.Count - e.VmOutcomes.Select(o => o.ContextId).Distinct(StringComparer.Ordinal).Count();
            var open = e.VmOutcomes.Count(o => o.Kind is VmOutcomeKind.Pending or VmOutcomeKind.Submitting);
            if (missing + extra + open > 0)
            {
                lost += missing + extra + open;
                violations.Add($"execution {e.Id} ({e.Status}): {missing} VMs without an outcome, {extra} with two, {open} left open");
            }
        }

        // 3. Every job the OMA created is named by its creating execution's outcome for that VM; 4. no VM has two jobs from one execution.
        var orphans = 0;
        var duplicates = 0;
        foreach (var group in sim.Jobs.GroupBy(j => (Execution: ExecutionOf(j.RequestBody), j.VmName)))
        {
            if (group.Count() > 1)
            {
                duplicates += group.Count() - 1;
                violations.Add($"VM {group.Key.VmName} got {group.Count()} jobs from execution {group.Key.Execution}: {string.Join(", ", group.Select(j => j.Id))}");
            }

            foreach (var job in group)
            {
                var named = group.Key.Execution is { } id && byId.TryGetValue(id, out var e)
                    && e.VmOutcomes.Any(o => string.Equals(o.VmName, job.VmName, StringComparison.OrdinalIgnoreCase) && o.JobId == job.Id);
                if (!named)
                {
                    orphans++;
                    var outcome = group.Key.Execution is { } eid && byId.TryGetValue(eid, out var ex)
                        ? ex.VmOutcomes.FirstOrDefault(o => string.Equals(o.VmName, job.VmName, StringComparison.OrdinalIgnoreCase)) : null;
                    violations.Add($"orphan job {job.Id} ({job.VmName}, {job.Status}) of execution {group.Key.Execution}: its outcome is {outcome?.Kind.ToString() ?? "missing"} {outcome?.JobId} {outcome?.Reason}");
                }
            }
        }

        // 5. No schedule stopped firing: occurrences keep being recorded to the end.
        foreach (var (scheduleId, (period, _)) in plan)
        {
            var times = all.Where(e => e.ScheduleId == scheduleId && e.TriggerKind != TriggerKind.Manual).Select(e => e.ScheduledFor).Order().ToList();
            var points = times.Prepend(start).Append(end).ToList();
            var gap = points.Zip(points.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();

            // Every occurrence due before the stop is recorded (run, skipped or missed), except the last instant, which the stop races.
            // Both schedules fire on whole multiples of their period in UTC, New York's DST change included.
            for (var at = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % period.Ticks), TimeSpan.Zero) + period; at <= end - TimeSpan.FromMinutes(1); at += period)
            {
                if (times.BinarySearch(at) < 0)
                {
                    violations.Add($"schedule {scheduleId}: occurrence {at:O} was never recorded");
                }
            }

            if (gap > period * 4)
            {
                violations.Add($"schedule {scheduleId} went {gap} without a recorded occurrence (period {period})");
            }
        }

        // 6. A session loss never fails a call: no outcome carries the OMA's token refusal.
        foreach (var o in all.SelectMany(e => e.VmOutcomes).Where(o => o.Reason?.Contains("Invalid or expired token", StringComparison.OrdinalIgnoreCase) == true))
        {
            violations.Add($"VM {o.VmName}: {o.Kind} because of a refused session: {o.Reason}");
        }

        // 7. No more than one login per session loss and instance: each instance logs in once, then once after each loss
        // (the simulator forgets every session at once), however many of its requests were waiting.
        var sessionLosses = sim.Faults.Applied.Where(f => f.Rule.Kind == FaultKind.ExpireSessions).Sum(f => f.Applied);
        var sessionsOpened = sim.Journal.For("POST", "/api/v1/auth/login").Count(e => e.Status is >= 200 and < 300);
        if (sessionsOpened > settings.Instances * (1 + sessionLosses))
        {
            violations.Add($"{sessionsOpened} successful logins for {sessionLosses} session losses across {settings.Instances} instances: more than one login per loss and instance");
        }

        var faults = sim.Faults.Applied.GroupBy(f => ChaosFaults.Name(f.Rule)).ToDictionary(g => g.Key, g => g.Sum(f => f.Applied), StringComparer.Ordinal);
        faults["store failure before the call"] = dice.StoreFailuresBefore;
        faults["store acknowledgement lost"] = dice.StoreFailuresAfter;
        var ran = all.Where(e => e.Status is not (ExecutionStatus.Skipped or ExecutionStatus.Missed)).ToList();
        return new ChaosReport
        {
            Settings = settings,
            FaultsByKind = faults,
            Executions = all.Count,
            Occurrences = all.Count(e => e.TriggerKind != TriggerKind.Manual),
            Submissions = sim.Journal.For("POST", "/api/v1/replications").Count,
            Jobs = sim.Jobs.Count,
            Orphans = orphans,
            Duplicates = duplicates,
            LostOutcomes = lost,
            Takeovers = all.Count(e => e.Status == ExecutionStatus.Interrupted),
            Logins = sim.Journal.For("POST", "/api/v1/auth/login").Count,
            SessionLosses = sessionLosses,
            VmsReplicated = ran.Sum(e => e.JobsCompleted),
            VmSlots = ran.Sum(e => e.VmOutcomes.Count),
            Outcomes = [.. ran.SelectMany(e => e.VmOutcomes).GroupBy(o => o.Reason is { } r ? $"{o.Kind} ({r[..Math.Min(r.Length, 60)]})" : $"{o.Kind}", StringComparer.Ordinal)
                .Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2)],
            Elapsed = elapsed,
            Violations = violations,
        };
    }

    /// <summary>Gets the execution a create request was sent for (the <c>schedule_execution_id</c> it carries).</summary>
    internal static string? ExecutionOf(string requestBody) => ExecutionIdPattern().Match(requestBody) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("\"schedule_execution_id\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex ExecutionIdPattern();
}
