using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// The cron schedule the RPO schedule is compared with: the SDK's model of the engine's cron executions
/// (<see cref="CronRpoSimulation"/>, which the forecast of a cron schedule uses too), with the occurrences of the SDK's own
/// evaluator in the schedule's zone (so a DST change moves them as in the engine) and each VM's real durations.
/// </summary>
internal static class CronDrivenRun
{
    public static EvidenceFigures Run(ReplicationSchedule schedule, IReadOnlyDictionary<string, int> groupLimits, IReadOnlyList<RpoVm> initial, IReadOnlyList<EvidenceVm> vms, TimeSpan target, DateTimeOffset from, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(initial);
        var tally = new EvidenceTally(initial, from, target);
        var occurrences = new CronScheduleEvaluator().Parse(schedule.CronExpression, schedule.TimeZone);
        CronRpoSimulation.Run(schedule, occurrences, groupLimits, [.. initial.Select(v => v with { Running = false })], from, from + span, (vm, job) => vms[vm].Duration(job), _ => from, tally);
        return tally.Close(from + span);
    }
}
