namespace Replication.Sdk.Scheduling;

/// <summary>The running scheduler, as hosts drive it.</summary>
public interface IReplicationScheduler
{
    /// <summary>Runs a schedule now: exactly one execution (trigger kind <see cref="TriggerKind.Manual"/>), whose id is returned at once.</summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="reason">Why it is triggered (recorded).</param>
    /// <param name="triggeredBy">Who triggered it (recorded, and sent as the jobs' <c>scheduled_by</c>).</param>
    /// <param name="cancellationToken">A token to cancel starting it.</param>
    /// <returns>The execution id. The schedule's <see cref="ReplicationSchedule.OverlapPolicy"/> applies as to an occurrence: with <see cref="OverlapPolicy.Skip"/> and a running execution, the id of the skipped record.</returns>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="ScheduleDisabledException">The schedule is disabled.</exception>
    /// <exception cref="SchedulePausedException">The schedule is paused (<see cref="IPauseControl"/>): resume it first. Paused groups and VMs do not refuse a trigger; they are skipped in it.</exception>
    /// <exception cref="ScheduleFormatException">The schedule's cron expression or time zone is invalid.</exception>
    /// <exception cref="InvalidScheduleException">The schedule or one of its groups has a setting the cron path refuses too (a limit below 1, a negative delay, an unknown policy).</exception>
    Task<string> TriggerAsync(string scheduleId, string reason, string triggeredBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a schedule now, like <see cref="TriggerAsync(string, string, string, CancellationToken)"/>; with
    /// <paramref name="force"/> the schedule's <see cref="ReplicationSchedule.OverlapPolicy"/> is not applied (the execution
    /// starts alongside any that runs) and <see cref="ScheduleExecution.Forced"/> records it.
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="reason">Why it is triggered (recorded).</param>
    /// <param name="triggeredBy">Who triggered it (recorded, and sent as the jobs' <c>scheduled_by</c>).</param>
    /// <param name="force">Whether to start it whatever the overlap policy says.</param>
    /// <param name="cancellationToken">A token to cancel starting it.</param>
    /// <returns>The execution id.</returns>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="ScheduleDisabledException">The schedule is disabled.</exception>
    /// <exception cref="ScheduleFormatException">The schedule's cron expression or time zone is invalid.</exception>
    /// <exception cref="InvalidScheduleException">The schedule or one of its groups has a setting the cron path refuses too.</exception>
    Task<string> TriggerAsync(string scheduleId, string reason, string triggeredBy, bool force, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a schedule's past occurrences in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>) (up to now) that have no record
    /// yet: one <see cref="TriggerKind.Backfill"/> execution each, oldest first, at most <paramref name="maxRuns"/>. Each is
    /// claimed like an occurrence, so a second backfill of the same range runs nothing twice; they run one after another,
    /// each meeting the schedule's <see cref="ReplicationSchedule.OverlapPolicy"/> when its turn comes.
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="fromInclusive">The first instant of the range (inclusive).</param>
    /// <param name="toExclusive">The end of the range (exclusive); later than now counts as now.</param>
    /// <param name="maxRuns">The most executions to create, 1 to <see cref="BackfillResult.MaxRuns"/>.</param>
    /// <param name="cancellationToken">A token to cancel claiming them.</param>
    /// <returns>The executions created, the occurrences already recorded, and where a capped backfill would go on.</returns>
    /// <exception cref="ArgumentException"><paramref name="fromInclusive"/> is not before <paramref name="toExclusive"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRuns"/> is outside 1 to <see cref="BackfillResult.MaxRuns"/>, or an instant of the range lies within a day of the calendar's ends.</exception>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="ScheduleDisabledException">The schedule is disabled.</exception>
    /// <exception cref="ScheduleFormatException">The schedule's cron expression or time zone is invalid.</exception>
    /// <exception cref="InvalidScheduleException">The schedule or one of its groups has a setting the cron path refuses too.</exception>
    Task<BackfillResult> BackfillAsync(string scheduleId, DateTimeOffset fromInclusive, DateTimeOffset toExclusive, int maxRuns = 10, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for an execution to finish and returns its final record. An execution another scheduler instance runs is
    /// followed through the execution store until it ends.
    /// </summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>The final record.</returns>
    /// <exception cref="ExecutionNotFoundException">No execution with this id runs here or is recorded in the store.</exception>
    Task<ScheduleExecution> WaitForExecutionAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Tells the scheduler that schedules changed, for stores without a change token: it re-plans at once.</summary>
    void NotifyChanged();

    /// <summary>
    /// Previews what every schedule would do in [<paramref name="from"/>, <paramref name="until"/>): occurrences (UTC and local,
    /// with DST notes), deadlines, spread starts, and which VMs an execution would take and why not the others. Reads the
    /// stores only; no appliance is called, so the OMA's run-time checks (an active job) are not in it.
    /// </summary>
    /// <param name="from">The inclusive start.</param>
    /// <param name="until">The exclusive end; at most 366 days after <paramref name="from"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>One preview per schedule, by id; at most 1,000 occurrences each.</returns>
    /// <exception cref="ArgumentException">The range is empty or reversed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is longer than 366 days, or an instant of it lies within a day of the calendar's ends.</exception>
    Task<IReadOnlyList<SchedulePreview>> PreviewAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Previews one schedule, as <see cref="PreviewAsync(DateTimeOffset, DateTimeOffset, CancellationToken)"/> does.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="from">The inclusive start.</param>
    /// <param name="until">The exclusive end; at most 366 days after <paramref name="from"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The preview.</returns>
    /// <exception cref="ScheduleNotFoundException">No schedule has that id.</exception>
    Task<SchedulePreview> PreviewAsync(string scheduleId, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);
}
