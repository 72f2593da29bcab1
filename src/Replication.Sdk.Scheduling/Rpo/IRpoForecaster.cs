namespace Replication.Sdk.Scheduling;

/// <summary>
/// Says before it happens whether a schedule's RPO target can be met: runs the engine's RPO planner on a simulated clock
/// over a horizon, with each VM's predicted job duration, the schedule's and groups' limits, the window and blackouts.
/// </summary>
public interface IRpoForecaster
{
    /// <summary>
    /// Forecasts a schedule with an <see cref="ReplicationSchedule.RpoTarget"/> from now over <paramref name="horizon"/>.
    /// Only a forecast over 24 hours (the engine's own horizon) raises <see cref="IExecutionObserver.OnRpoUnattainableAsync"/>;
    /// identical requests in flight share one computation, and a few run at once while the others wait.
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="horizon">How far ahead, more than zero and at most <see cref="RpoForecast.MaxHorizon"/> (24 hours and 7 days are typical).</param>
    /// <param name="cancellationToken">A token to cancel the store reads.</param>
    /// <returns>Per VM the predicted worst age and compliance, per group whether the target is attainable.</returns>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="InvalidScheduleException">The schedule has no RPO target, or a setting the engine refuses.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is not positive or longer than <see cref="RpoForecast.MaxHorizon"/>.</exception>
    Task<RpoForecast> ForecastAsync(string scheduleId, TimeSpan horizon, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets each VM's RPO state now: <see cref="RpoState.Breached"/> when its newest replica is older than the target (or
    /// it has none), <see cref="RpoState.AtRisk"/> when a 24-hour forecast says it will breach, else
    /// <see cref="RpoState.Meeting"/>; with its age, last good job and predicted next start.
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="cancellationToken">A token to cancel the store reads.</param>
    /// <returns>One status per VM the schedule replicates, in selection order.</returns>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="InvalidScheduleException">The schedule has no RPO target, or a setting the engine refuses.</exception>
    Task<IReadOnlyList<RpoStatus>> GetStatusAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets each group's RPO standing now: how many of its VMs are in each <see cref="RpoState"/>, and their mean compliance
    /// over the past 24 hours and 7 days (from <see cref="GetStatusAsync"/>).
    /// </summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="cancellationToken">A token to cancel the store reads.</param>
    /// <returns>One per group with VMs to replicate, in run order.</returns>
    /// <exception cref="ScheduleNotFoundException">No such schedule.</exception>
    /// <exception cref="InvalidScheduleException">The schedule has no RPO target, or a setting the engine refuses.</exception>
    async Task<IReadOnlyList<GroupRpoStatus>> GetGroupStatusAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        GroupRpoStatus.Of(await GetStatusAsync(scheduleId, cancellationToken).ConfigureAwait(false));
}
