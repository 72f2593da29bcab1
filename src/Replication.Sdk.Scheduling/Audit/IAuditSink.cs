namespace Replication.Sdk.Scheduling;

/// <summary>
/// Where operator actions (the management API's and the dashboard's trigger, pause and resume, and the refusals of them)
/// are recorded. The store provides the default: <see cref="InMemoryAuditSink"/> with the in-memory stores, a table of the
/// database with <c>UseMySqlStores</c>. To send the records elsewhere (a SIEM forwarder), register another implementation
/// after the stores are chosen.
/// </summary>
public interface IAuditSink
{
    /// <summary>
    /// Records an action, after it ran (or was refused). The management API offers a record three times; if the sink keeps
    /// throwing, the action's answer stands (it cannot be undone) and the whole record is logged instead (event 4005, Error).
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the record is written.</returns>
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Gets the newest records, newest first (for the API's audit listing and the dashboard).</summary>
    /// <param name="limit">The most to return.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The records.</returns>
    Task<IReadOnlyList<AuditRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default);
}
