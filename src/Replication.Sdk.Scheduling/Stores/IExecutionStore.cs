namespace Replication.Sdk.Scheduling;

/// <summary>Where executions are recorded. Implementations must make <see cref="TryCreateAsync"/> atomic.</summary>
public interface IExecutionStore
{
    /// <summary>
    /// Records a new execution. For an occurrence (<see cref="TriggerKind.Scheduled"/> or <see cref="TriggerKind.CatchUp"/>, and
    /// the skipped or missed records of one) this is the claim: at most one execution may exist per
    /// (<see cref="ScheduleExecution.ScheduleId"/>, <see cref="ScheduleExecution.ScheduledFor"/>), even with several schedulers on one
    /// store — a database does it with a unique key or compare-and-set in the same transaction. Manual executions are always recorded.
    /// <see cref="ScheduleExecution.ScheduledFor"/> is kept at UTC second precision.
    /// Creating an execution whose id is already recorded returns <see langword="true"/> and changes nothing, so a write retried after
    /// a lost acknowledgement keeps the claim it already won.
    /// </summary>
    /// <param name="execution">The execution.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when recorded; <see langword="false"/> when another execution already claimed the occurrence.</returns>
    Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default);

    /// <summary>Replaces an execution's state (progress or final). Idempotent, so a write may be retried.</summary>
    /// <param name="execution">The execution.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default);

    /// <summary>Gets an execution.</summary>
    /// <param name="executionId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The execution, or <see langword="null"/>.</returns>
    Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Gets the executions still marked running (for crash recovery and overlap checks).</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The running executions.</returns>
    Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the latest occurrence of a schedule that has any record (run, skipped or missed), ignoring manual executions.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The latest scheduled-for instant, or <see langword="null"/> when the schedule never had one.</returns>
    Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Lists a schedule's executions, newest first.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="limit">The most to return.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The executions.</returns>
    Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default);
}
