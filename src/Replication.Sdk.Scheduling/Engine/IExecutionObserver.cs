namespace Replication.Sdk.Scheduling;

/// <summary>
/// Receives execution events. Register any number with <c>AddExecutionObserver&lt;T&gt;()</c>; every method has an empty
/// default. An observer that throws is logged and ignored: it never changes an execution.
/// </summary>
public interface IExecutionObserver
{
    /// <summary>Called when an execution starts (or is recorded as skipped or missed, then finished at once).</summary>
    /// <param name="execution">The execution.</param>
    /// <param name="cancellationToken">The scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnExecutionStartedAsync(ScheduleExecution execution, CancellationToken cancellationToken) => default;

    /// <summary>Called when a VM's job was created (or adopted) and is being tracked.</summary>
    /// <param name="execution">The execution.</param>
    /// <param name="outcome">The VM's in-progress outcome (kind <see cref="VmOutcomeKind.JobInProgress"/>).</param>
    /// <param name="cancellationToken">The scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnJobStartedAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken) => default;

    /// <summary>Called when a VM's final outcome is decided.</summary>
    /// <param name="execution">The execution.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="cancellationToken">The scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnVmOutcomeAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken) => default;

    /// <summary>Called when an execution has ended, with its final record.</summary>
    /// <param name="execution">The execution.</param>
    /// <param name="cancellationToken">Not cancelled by shutdown: the final record is always delivered.</param>
    /// <returns>A task.</returns>
    ValueTask OnExecutionFinishedAsync(ScheduleExecution execution, CancellationToken cancellationToken) => default;

    /// <summary>Called once when a VM's last completed job becomes older than its schedule's RPO target.</summary>
    /// <param name="breach">The breach.</param>
    /// <param name="cancellationToken">The scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnRpoBreachedAsync(RpoBreach breach, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Called once per breach, by the instance that saw the VM's job complete, when a completed job ends a breach raised by
    /// <see cref="OnRpoBreachedAsync"/>. (A breach ended by a completion the scheduler did not run — the appliance's own — is
    /// cleared without this call.)
    /// </summary>
    /// <param name="breach">The breach that ended.</param>
    /// <param name="recoveredAt">When the job that ended it completed.</param>
    /// <param name="cancellationToken">The scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnRpoRecoveredAsync(RpoBreach breach, DateTimeOffset recoveredAt, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Called once per transition, in the process whose forecast found it, when a VM's RPO target becomes unattainable: a
    /// forecast over the engine's horizon of 24 hours (the engine's own every 10 minutes for an RPO schedule,
    /// <see cref="IRpoForecaster.GetStatusAsync"/>, or a 24-hour <see cref="IRpoForecaster.ForecastAsync"/>) predicts a
    /// worst age over the target. A forecast over any other horizon raises nothing, so a reader cannot raise it at will.
    /// Not again while 24-hour forecasts keep finding it so; again after one found it attainable.
    /// </summary>
    /// <param name="unattainable">The VM and the forecast's worst age.</param>
    /// <param name="cancellationToken">The caller's token, or the scheduler's stopping token.</param>
    /// <returns>A task.</returns>
    ValueTask OnRpoUnattainableAsync(RpoUnattainable unattainable, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Called once (by the instance whose pause was stored) when a schedule is paused automatically after
    /// <see cref="SchedulerOptions.AutoPauseAfterFailures"/> consecutive failed executions.
    /// </summary>
    /// <param name="pause">The pause (<see cref="PauseState.PausedBy"/> is the scheduler's <see cref="SchedulerOptions.ScheduledBy"/>).</param>
    /// <param name="lastFailed">The failed execution that completed the streak.</param>
    /// <param name="cancellationToken">Not cancelled by shutdown.</param>
    /// <returns>A task.</returns>
    ValueTask OnScheduleAutoPausedAsync(PauseState pause, ScheduleExecution lastFailed, CancellationToken cancellationToken) => default;

    /// <summary>Called once when a pause ends, by a resume call or at its resume-at, with what it skipped.</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Not cancelled by shutdown.</param>
    /// <returns>A task.</returns>
    ValueTask OnResumedAsync(ResumeReport report, CancellationToken cancellationToken) => default;
}

/// <summary>A VM whose last completed job is older than its schedule's RPO target.</summary>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="ContextId">The VM context.</param>
/// <param name="VmName">The VM name.</param>
/// <param name="RpoTarget">The target.</param>
/// <param name="LastCompletedJobAt">When its last job completed, if ever.</param>
/// <param name="DetectedAt">When the breach was detected.</param>
public sealed record RpoBreach(string ScheduleId, string ContextId, string VmName, TimeSpan RpoTarget, DateTimeOffset? LastCompletedJobAt, DateTimeOffset DetectedAt);
