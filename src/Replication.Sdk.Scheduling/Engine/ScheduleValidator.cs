namespace Replication.Sdk.Scheduling;

/// <summary>
/// The rules the scheduler applies before a schedule runs, for hosts that want to check a row before saving it (a GUI, a
/// configuration loader). The cron path and <see cref="IReplicationScheduler.TriggerAsync(string, string, string, bool, CancellationToken)"/> refuse exactly what this reports.
/// </summary>
public static class ScheduleValidator
{
    /// <summary>Lists what keeps a schedule and its groups from running; empty when they can run.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="groups">Its groups, if they should be checked too.</param>
    /// <returns>One entry per setting at fault, naming it and its value. The cron expression and time zone are the evaluator's to check (<see cref="IScheduleEvaluator.TryParse"/>).</returns>
    public static IReadOnlyList<string> Validate(ReplicationSchedule schedule, IEnumerable<MachineGroup>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var problems = ScheduleRules.Problems(schedule);
        problems.AddRange((groups ?? []).Select(ScheduleRules.Problem).OfType<string>());
        return problems;
    }

    /// <summary>
    /// Lists what keeps a schedule and its groups from running, the expression and time zone included: its <c>H</c> tokens
    /// are resolved as the scheduler resolves them, then <paramref name="evaluator"/> parses it. Empty when they can run.
    /// </summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="groups">Its groups, if they should be checked too.</param>
    /// <param name="evaluator">The evaluator the scheduler uses (the default one is <see cref="CronScheduleEvaluator"/>).</param>
    /// <returns>One entry per setting at fault, naming it and its value.</returns>
    public static IReadOnlyList<string> Validate(ReplicationSchedule schedule, IEnumerable<MachineGroup>? groups, IScheduleEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(evaluator);
        var problems = (List<string>)Validate(schedule, groups);
        if (string.IsNullOrWhiteSpace(schedule.CronExpression))
        {
            return problems;
        }

        try
        {
            if (!evaluator.TryParse(HashedCron.Resolve(schedule.CronExpression, schedule.Id), schedule.TimeZone, out _, out var problem))
            {
                problems.Insert(0, problem ?? "invalid cron expression or time zone");
            }
        }
        catch (ScheduleFormatException ex)
        {
            problems.Insert(0, ex.Message);
        }

        return problems;
    }
}
