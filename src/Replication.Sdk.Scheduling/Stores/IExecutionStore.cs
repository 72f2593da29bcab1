namespace Replication.Sdk.Scheduling;

/// <summary>
/// Where executions are recorded. Implementations must make <see cref="TryCreateAsync"/> and <see cref="TryTakeOverAsync"/>
/// atomic, and fence every write: a record carrying a <see cref="ScheduleExecution.LeaseToken"/> is written only by that
/// lease (a store that shares a database with the <see cref="IInstanceLeaseStore"/> also checks, in the same
/// transaction, that the lease is still current), so an instance that lost its lease writes nothing more.
/// </summary>
public interface IExecutionStore
{
    /// <summary>
    /// Records a new execution. For an occurrence (<see cref="TriggerKind.Scheduled"/>, <see cref="TriggerKind.CatchUp"/> or <see cref="TriggerKind.Backfill"/>, and
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
    /// <exception cref="LeaseLostException">The store knows the execution's lease (<see cref="ScheduleExecution.InstanceId"/>, <see cref="ScheduleExecution.LeaseToken"/>) is no longer current.</exception>
    Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an execution's state (progress or final), only for its owner: the stored record's
    /// <see cref="ScheduleExecution.LeaseToken"/> must be the one given (a record without one accepts its own
    /// <see cref="ScheduleExecution.InstanceId"/>). Idempotent, so a write may be retried.
    /// </summary>
    /// <param name="execution">The execution.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    /// <exception cref="LeaseLostException">Another lease owns the record now, or the writer's lease is no longer current; nothing was written.</exception>
    Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over a record left by a lease that is gone (compare-and-set): replaces it with <paramref name="replacement"/>
    /// (which carries the new owner's <see cref="ScheduleExecution.InstanceId"/> and <see cref="ScheduleExecution.LeaseToken"/>)
    /// only while its stored token is still <paramref name="expectedLeaseToken"/>. Idempotent: when the record already
    /// carries the replacement's token, it returns <see langword="true"/> and changes nothing.
    /// </summary>
    /// <param name="replacement">The record as the new owner writes it.</param>
    /// <param name="expectedLeaseToken">The token the record was read with (<see langword="null"/> for a record written before leases were fenced).</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when the record is now the replacement's; <see langword="false"/> when another owner changed it first.</returns>
    /// <exception cref="LeaseLostException">The new owner's lease is no longer current; nothing was written.</exception>
    Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks a running execution to stop starting VMs (<see cref="OverlapPolicy.CancelOther"/>): any scheduler instance may ask,
    /// without owning the record, and the owner's runner reads it (<see cref="GetStopRequestAsync"/>) before each VM it starts.
    /// The first request is kept; the owner's <see cref="UpdateAsync"/> never clears it, and reads return it as
    /// <see cref="ScheduleExecution.StopRequestedBy"/>. Idempotent.
    /// </summary>
    /// <param name="executionId">The execution to stop.</param>
    /// <param name="requestedBy">The id of the execution that asks (recorded, and named in the stopped VMs' reasons).</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when the execution is running and carries a stop request now; <see langword="false"/> when it is not recorded or has ended.</returns>
    Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default);

    /// <summary>Reads an execution's stop request alone: a cheap look-up the owner makes before each VM it starts.</summary>
    /// <param name="executionId">The execution.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The id of the execution that asked it to stop, or <see langword="null"/>.</returns>
    Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Gets the latest occurrence of each of several schedules, as <see cref="GetLastOccurrenceAsync"/> does for one: the
    /// scheduler's start-up asks it for every schedule at once. The default implementation asks one schedule at a time;
    /// a database store overrides it with a few set-based reads.
    /// </summary>
    /// <param name="scheduleIds">The schedule ids.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The latest scheduled-for instant of each schedule that had one; schedules that never had one are left out.</returns>
    async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastOccurrencesAsync(IReadOnlyCollection<string> scheduleIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduleIds);
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var id in scheduleIds)
        {
            if (await GetLastOccurrenceAsync(id, cancellationToken).ConfigureAwait(false) is { } at)
            {
                last[id] = at;
            }
        }

        return last;
    }

    /// <summary>Lists a schedule's executions, newest first.</summary>
    /// <param name="scheduleId">The schedule id.</param>
    /// <param name="limit">The most to return.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The executions.</returns>
    Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the executions of every schedule (or one) that match a query's filters, newest start first with the greater id
    /// (ordinal) first on ties, one page at a time, and counts every match: the management API's and the dashboard's listings read through it.
    /// A database store filters and pages in the database, so a page costs what it returns, not the history it skips.
    /// </summary>
    /// <param name="query">The filters and the page (<see cref="ExecutionQuery.Validate"/> is checked first).</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The page, with its VM outcomes, and the number of matches.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page bounds or the start range are invalid.</exception>
    Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default);
}
