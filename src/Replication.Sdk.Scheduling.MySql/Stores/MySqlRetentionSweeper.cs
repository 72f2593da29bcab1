using System.Data;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Deletes finished executions older than <see cref="MySqlStoreOptions.ExecutionRetention"/> from the SDK-owned tables,
/// and audit records older than <see cref="MySqlStoreOptions.AuditRetention"/>, in batches small enough that no transaction holds many locks. It mirrors <see cref="InMemoryExecutionStore"/>'s trim:
/// <list type="bullet">
/// <item>running executions are never selected (the scan is over finished statuses only);</item>
/// <item>the newest execution of each schedule is kept, so "when did this schedule last run" still has an answer;</item>
/// <item>each trimmed claim raises its schedule's watermark in <c>rsdk_occurrence_watermarks</c>, in the same transaction,
/// so a claim at or before it is refused and the last occurrence never moves back.</item>
/// </list>
/// The appliance's <c>schedule_executions</c> rows are the OMA's records and are left alone.
/// </summary>
internal sealed class MySqlRetentionSweeper(MySqlStoreContext context, TimeProvider time, ILogger<MySqlRetentionSweeper> logger)
{
    /// <summary>The shortest retention accepted: an interrupted execution's re-attached jobs still update its record for a while.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromDays(1);

    /// <summary>The longest retention accepted; bounded so that "now minus the retention" can never underflow.</summary>
    public static readonly TimeSpan MaximumRetention = TimeSpan.FromDays(3650);

    private const string LockName = "replication_sdk_retention";

    /// <summary>Every status but <see cref="ExecutionStatus.Running"/>: an IN list over the (status, completed_at) index is a few range scans.</summary>
    private static readonly string[] Finished = [.. Enum.GetNames<ExecutionStatus>().Where(s => s != nameof(ExecutionStatus.Running))];

    /// <summary>Gets how many executions one transaction deletes; each may cascade to one outcome row per VM.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Gets how many batches one sweep runs at most; a larger backlog is left to the next sweep, which comes sooner.</summary>
    public int MaxBatches { get; init; } = 100;

    /// <summary>Gets or sets a callback after each sweep the background service runs (null when it failed), so tests need no sleeps.</summary>
    internal Action<RetentionSweep?>? Swept { get; set; }

    /// <summary>Deletes one sweep's worth of expired executions.</summary>
    /// <param name="cancellationToken">A token to cancel between and within batches.</param>
    /// <returns>What was deleted; <see cref="RetentionSweep.Skipped"/> when retention is off or another instance holds the sweep lock.</returns>
    public async Task<RetentionSweep> SweepAsync(CancellationToken cancellationToken = default)
    {
        var retention = context.Options.ExecutionRetention;
        var auditRetention = context.Options.AuditRetention;
        var now = time.GetUtcNow();
        var cutoff = now - retention;
        if (retention == TimeSpan.Zero && auditRetention == TimeSpan.Zero)
        {
            // Off means keep everything, not "everything has expired".
            return new RetentionSweep(cutoff, 0, 0, 0, Complete: true, Skipped: true);
        }

        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // Several instances share the database: one sweeps, the others skip rather than fight over the same rows.
        var take = MySqlExecutionStore.Command(connection, null, "SELECT GET_LOCK(@name, 0)", ("@name", LockName));
        await using (take.ConfigureAwait(false))
        {
            if (Convert.ToInt64(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture) != 1)
            {
                MySqlStoreLog.RetentionSweepSkipped(logger);
                return new RetentionSweep(cutoff, 0, 0, 0, Complete: true, Skipped: true);
            }
        }

        try
        {
            int executions = 0, claims = 0, audit = 0, batches = 0;
            var complete = retention == TimeSpan.Zero;
            while (!complete && batches < MaxBatches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (deleted, trimmedClaims) = await DeleteBatchAsync(connection, cutoff, cancellationToken).ConfigureAwait(false);
                if (deleted > 0)
                {
                    batches++;
                }

                executions += deleted;
                claims += trimmedClaims;

                // A short batch means the scan ran out of expired rows.
                complete = deleted < BatchSize;
            }

            // Its own batch budget: an execution backlog never starves the audit log's trim, nor the other way round.
            var auditComplete = auditRetention == TimeSpan.Zero;
            var auditCutoff = now - auditRetention;
            var auditBatches = 0;
            while (!auditComplete && auditBatches < MaxBatches)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Audit rows stand alone (no claims, no cascade): one statement per batch, oldest first along the index.
                var deleted = await MySqlExecutionStore.ExecuteAsync(connection, null,
                    "DELETE FROM rsdk_audit_records WHERE recorded_at < @cutoff ORDER BY recorded_at, record_id LIMIT @batch",
                    cancellationToken, ("@cutoff", auditCutoff.UtcDateTime), ("@batch", BatchSize)).ConfigureAwait(false);
                if (deleted > 0)
                {
                    auditBatches++;
                }

                audit += deleted;
                auditComplete = deleted < BatchSize;
            }

            var sweep = new RetentionSweep(cutoff, executions, claims, batches, complete && auditComplete, Skipped: false) { AuditRecords = audit, AuditBatches = auditBatches };
            if (executions > 0)
            {
                MySqlStoreLog.RetentionSwept(logger, executions, claims, batches, cutoff, retention);
            }
            else if (retention != TimeSpan.Zero)
            {
                // Hourly "nothing to do" lines would drown the log; they are only for debugging.
                MySqlStoreLog.RetentionNothingExpired(logger, cutoff);
            }

            if (audit > 0)
            {
                MySqlStoreLog.AuditRetentionSwept(logger, audit, auditCutoff, auditRetention);
            }

            return sweep;
        }
        finally
        {
            var release = MySqlExecutionStore.Command(connection, null, "DO RELEASE_LOCK(@name)", ("@name", LockName));
            await using var releaseScope = release.ConfigureAwait(false);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(int Executions, int Claims)> DeleteBatchAsync(MySqlConnection connection, DateTimeOffset cutoff, CancellationToken ct)
    {
        // Read committed: the locking read takes record locks only, no gap locks that would stall new executions' inserts.
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var statuses = Finished.Select((_, i) => $"@s{i}").ToArray();
        var select = MySqlExecutionStore.Command(connection, transaction,
            $"""
            SELECT e.execution_id FROM rsdk_executions e
            WHERE e.status IN ({string.Join(", ", statuses)}) AND e.completed_at < @cutoff
              AND EXISTS (SELECT 1 FROM rsdk_executions n WHERE n.schedule_id = e.schedule_id AND n.scheduled_for > e.scheduled_for)
            LIMIT @batch
            FOR UPDATE
            """,
            [.. Finished.Select((s, i) => (statuses[i], (object?)s)), ("@cutoff", cutoff.UtcDateTime), ("@batch", BatchSize)]);
        var ids = new List<string>(BatchSize);
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count == 0)
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return (0, 0);
        }

        var names = ids.Select((_, i) => $"@x{i}").ToArray();
        var list = string.Join(", ", names);
        var parameters = ids.Select((id, i) => (names[i], (object?)id)).ToArray();

        // The watermark first: from this commit on, a claim at or before a trimmed occurrence is refused (see TryCreateAsync).
        await MySqlExecutionStore.ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO rsdk_occurrence_watermarks (schedule_id, trimmed_through)
            SELECT schedule_id, MAX(scheduled_for) FROM rsdk_occurrence_claims WHERE execution_id IN ({list}) GROUP BY schedule_id
            ON DUPLICATE KEY UPDATE trimmed_through = GREATEST(trimmed_through, VALUES(trimmed_through))
            """,
            ct, parameters).ConfigureAwait(false);
        var claims = await MySqlExecutionStore.ExecuteAsync(connection, transaction, $"DELETE FROM rsdk_occurrence_claims WHERE execution_id IN ({list})", ct, parameters).ConfigureAwait(false);

        // The outcome rows go with their execution (ON DELETE CASCADE).
        var executions = await MySqlExecutionStore.ExecuteAsync(connection, transaction, $"DELETE FROM rsdk_executions WHERE execution_id IN ({list})", ct, parameters).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (executions, claims);
    }
}

/// <summary>What one retention sweep did.</summary>
/// <param name="Cutoff">Finished executions completed before this instant were eligible.</param>
/// <param name="Executions">Executions deleted (their outcome rows went with them).</param>
/// <param name="Claims">Occurrence claims deleted.</param>
/// <param name="Batches">Transactions used.</param>
/// <param name="Complete">Whether the backlog was cleared; false when the batch cap stopped the sweep.</param>
/// <param name="Skipped">Whether this sweep did nothing because retention is off or another instance held the sweep lock.</param>
internal sealed record RetentionSweep(DateTimeOffset Cutoff, int Executions, int Claims, int Batches, bool Complete, bool Skipped)
{
    /// <summary>Gets the audit records deleted (older than <see cref="MySqlStoreOptions.AuditRetention"/>).</summary>
    public int AuditRecords { get; init; }

    /// <summary>Gets the statements the audit trim used (not counted in <see cref="Batches"/>).</summary>
    public int AuditBatches { get; init; }
}
