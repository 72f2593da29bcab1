using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IExecutionStore"/> on the appliance database. Each execution is one row in the appliance's
/// <c>schedule_executions</c> (status, counters, details JSON) plus the SDK's exact record in <c>rsdk_executions</c> and
/// one <c>rsdk_vm_outcomes</c> row per VM. An occurrence is claimed by inserting its (schedule, second) into
/// <c>rsdk_occurrence_claims</c> in the same transaction that creates the rows, so two instances never both run it.
/// Every statement is parameterised.
/// </summary>
internal sealed class MySqlExecutionStore(MySqlStoreContext context) : IExecutionStore
{
    private const string ExecutionColumns =
        "execution_id, schedule_id, scheduled_for, trigger_kind, triggered_by, status, started_at, completed_at, reason, error, instance_id, lease_token, skip_reason, forced, buffered_behind, stop_requested_by";

    private const string OutcomeColumns =
        "execution_id, ordinal, context_id, vm_name, group_id, kind, skip_reason, reason, job_id, attempts, drift, started_at, completed_at";

    /// <summary>The most schedules one filtered last-occurrence read names; a larger set reads the whole tables at once.</summary>
    internal const int LastOccurrenceBatch = 500;

    private static readonly string[] FailureKinds = [.. Enum.GetValues<VmOutcomeKind>().Where(VmOutcome.IsFailureKind).Select(k => k.ToString())];

    /// <summary>The outcomes last written per running execution, so a progress update writes only the VMs that changed.</summary>
    private readonly ConcurrentDictionary<string, VmOutcome[]> _written = new(StringComparer.Ordinal);

    public async Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        try
        {
            if (!await ClaimAsync(connection, transaction, execution, cancellationToken).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);

                // The rare path: name a lost lease (it throws), else the occurrence is at or before a trimmed claim.
                await EnsureLeaseCurrentAsync(connection, null, execution, cancellationToken).ConfigureAwait(false);
                return false;
            }

            await ExecuteAsync(connection, transaction,
                """
                INSERT INTO schedule_executions
                  (id, schedule_id, group_id, scheduled_at, started_at, completed_at, status, vms_eligible, jobs_created, jobs_completed,
                   jobs_failed, jobs_skipped, execution_duration_seconds, error_message, execution_details, triggered_by)
                VALUES (@id, @schedule, @group, @scheduled, @started, @completed, @status, @eligible, @created, @jobsCompleted,
                   @failed, @skipped, @duration, @errorMessage, @details, @triggeredBy)
                """,
                cancellationToken, ApplianceParameters(execution)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO rsdk_executions ({ExecutionColumns}, updated_at) VALUES (@id, @schedule, @at, @trigger, @by, @status, @started, @completed, @reason, @error, @instance, @token, @skip, @forced, @buffered, NULL, UTC_TIMESTAMP(6))",
                cancellationToken, SdkParameters(execution)).ConfigureAwait(false);
            await WriteOutcomesAsync(connection, transaction, execution, previous: null, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);

            // Either another instance claimed the occurrence, or this is a retry of a create whose acknowledgement was lost.
            return await IsRecordedAsync(execution, cancellationToken).ConfigureAwait(false);
        }

        Remember(execution);
        return true;
    }

    /// <summary>
    /// The first statement of a claim, and for a scheduled occurrence the claim itself: one <c>INSERT ... SELECT</c> whose
    /// locking sub-reads check the writer's lease (a concurrent take-over of it waits for this transaction, or already
    /// removed it) and the retention watermark (at or before a claim the sweep trimmed, the occurrence may have run: it is
    /// refused rather than run twice). A manual execution has no occurrence to claim and checks only the lease. False when
    /// a check refused it; a duplicate key (claimed by another instance) throws.
    /// </summary>
    private static async Task<bool> ClaimAsync(MySqlConnection connection, MySqlTransaction transaction, ScheduleExecution execution, CancellationToken ct)
    {
        var lease = execution is { LeaseToken: not null, InstanceId: not null }
            ? "EXISTS (SELECT 1 FROM rsdk_instance_leases WHERE instance_id = @instance AND token = @token LOCK IN SHARE MODE)"
            : "1 = 1";
        if (execution.TriggerKind == TriggerKind.Manual)
        {
            if (execution is not { LeaseToken: not null, InstanceId: not null })
            {
                return true;
            }

            var check = Command(connection, transaction, $"SELECT {lease}", ("@instance", execution.InstanceId), ("@token", execution.LeaseToken));
            await using var checkScope = check.ConfigureAwait(false);
            return Convert.ToInt64(await check.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
        }

        return await ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO rsdk_occurrence_claims (schedule_id, scheduled_for, execution_id)
            SELECT @schedule, @at, @id FROM DUAL
            WHERE {lease}
              AND NOT EXISTS (SELECT 1 FROM rsdk_occurrence_watermarks WHERE schedule_id = @schedule AND trimmed_through >= @at LOCK IN SHARE MODE)
            """,
            ct, ("@schedule", execution.ScheduleId), ("@at", Second(execution.ScheduledFor)), ("@id", execution.Id),
            ("@instance", execution.InstanceId), ("@token", execution.LeaseToken)).ConfigureAwait(false) == 1;
    }

    public async Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        await WriteAsync(execution, expectedLeaseToken: null, takeOver: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return await WriteAsync(replacement, expectedLeaseToken, takeOver: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One transaction: the writer's lease is checked with a locking read (a claim of it waits, or wins first), the record
    /// is locked and its owner compared, then the rows are written.
    /// </summary>
    private async Task<bool> WriteAsync(ScheduleExecution execution, string? expectedLeaseToken, bool takeOver, CancellationToken cancellationToken)
    {
        _written.TryGetValue(execution.Id, out var previous);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await EnsureLeaseCurrentAsync(connection, transaction, execution, cancellationToken).ConfigureAwait(false);

        var owner = Command(connection, transaction, "SELECT instance_id, lease_token FROM rsdk_executions WHERE execution_id = @id FOR UPDATE", ("@id", execution.Id));
        (string? Instance, string? Token)? stored = null;
        await using (owner.ConfigureAwait(false))
        {
            var reader = await owner.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        }

        if (stored is not { } current)
        {
            if (takeOver)
            {
                return false;
            }

            throw new InvalidOperationException($"Execution '{execution.Id}' was never created.");
        }

        if (takeOver)
        {
            if (current.Token is not null && string.Equals(current.Token, execution.LeaseToken, StringComparison.Ordinal))
            {
                return true;
            }

            if (!string.Equals(current.Token, expectedLeaseToken, StringComparison.Ordinal))
            {
                return false;
            }
        }
        else if (current.Token is null
            ? execution.LeaseToken is not null && !string.Equals(current.Instance, execution.InstanceId, StringComparison.Ordinal)
            : !string.Equals(current.Token, execution.LeaseToken, StringComparison.Ordinal))
        {
            throw new LeaseLostException(execution.InstanceId, $"Execution '{execution.Id}' belongs to instance '{current.Instance}' now; the write of instance '{execution.InstanceId}' was refused.");
        }

        await ExecuteAsync(connection, transaction,
            """
            UPDATE rsdk_executions SET status = @status, started_at = @started, completed_at = @completed, reason = @reason, skip_reason = @skip, error = @error,
              instance_id = @instance, lease_token = @token, triggered_by = @by, forced = @forced, buffered_behind = @buffered, updated_at = UTC_TIMESTAMP(6)
            WHERE execution_id = @id
            """,
            cancellationToken, SdkParameters(execution)).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            """
            UPDATE schedule_executions SET group_id = @group, started_at = @started, completed_at = @completed, status = @status,
              vms_eligible = @eligible, jobs_created = @created, jobs_completed = @jobsCompleted, jobs_failed = @failed, jobs_skipped = @skipped,
              execution_duration_seconds = @duration, error_message = @errorMessage, execution_details = COALESCE(@details, execution_details), triggered_by = @triggeredBy
            WHERE id = @id
            """,
            cancellationToken, ApplianceParameters(execution, withDetails: execution.IsFinished)).ConfigureAwait(false);
        await WriteOutcomesAsync(connection, transaction, execution, takeOver ? null : previous, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Remember(execution);
        return true;
    }

    /// <summary>A locking read of the writer's lease row: a concurrent claim of that lease waits for this transaction, or already removed it.</summary>
    private static async Task EnsureLeaseCurrentAsync(MySqlConnection connection, MySqlTransaction? transaction, ScheduleExecution execution, CancellationToken ct)
    {
        if (execution is not { LeaseToken: { } token, InstanceId: { } instance })
        {
            return;
        }

        var lease = Command(connection, transaction,
            "SELECT COUNT(*) FROM rsdk_instance_leases WHERE instance_id = @instance AND token = @token LOCK IN SHARE MODE", ("@instance", instance), ("@token", token));
        await using var leaseScope = lease.ConfigureAwait(false);
        if (Convert.ToInt64(await lease.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            throw new LeaseLostException(instance, $"The lease of instance '{instance}' was taken over; its write of execution '{execution.Id}' was refused.");
        }
    }

    /// <summary>One conditional update of one row: only a running record takes a request, and the first request stays.</summary>
    public async Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "UPDATE rsdk_executions SET stop_requested_by = @by WHERE execution_id = @id AND status = @running AND stop_requested_by IS NULL",
            cancellationToken, ("@by", MySqlText.Cut(requestedBy, 64)), ("@id", executionId), ("@running", nameof(ExecutionStatus.Running))).ConfigureAwait(false);
        var check = Command(connection, null,
            "SELECT COUNT(*) FROM rsdk_executions WHERE execution_id = @id AND status = @running AND stop_requested_by IS NOT NULL",
            ("@id", executionId), ("@running", nameof(ExecutionStatus.Running)));
        await using var checkScope = check.ConfigureAwait(false);
        return Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>A primary-key look-up of one column, cheap enough to make before every VM start.</summary>
    public async Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = Command(connection, null, "SELECT stop_requested_by FROM rsdk_executions WHERE execution_id = @id", ("@id", executionId));
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync($"SELECT {ExecutionColumns} FROM rsdk_executions WHERE execution_id = @id", cancellationToken, ("@id", executionId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {ExecutionColumns} FROM rsdk_executions WHERE status = @status ORDER BY started_at, execution_id", cancellationToken, ("@status", nameof(ExecutionStatus.Running)));

    public async Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        // The watermark keeps the answer when the retention sweep trimmed the newest claim (the newest execution was manual).
        var command = Command(connection, null,
            """
            SELECT MAX(at) FROM (
              SELECT MAX(scheduled_for) AS at FROM rsdk_occurrence_claims WHERE schedule_id = @schedule
              UNION ALL SELECT trimmed_through FROM rsdk_occurrence_watermarks WHERE schedule_id = @schedule) known
            """,
            ("@schedule", scheduleId));
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is DateTime last ? Utc(last) : null;
    }

    /// <summary>
    /// Up to <see cref="LastOccurrenceBatch"/> schedules: one statement per batch, each schedule an index dive into the
    /// claims' primary key and the watermarks'. More (the start-up catch-up of a large appliance): one statement for the
    /// whole tables, a loose index scan of the claims' primary key (one dive per schedule), filtered here, instead of
    /// one statement per 500 schedules.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastOccurrencesAsync(IReadOnlyCollection<string> scheduleIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduleIds);
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (scheduleIds.Count == 0)
        {
            return last;
        }

        var wanted = scheduleIds.ToHashSet(StringComparer.Ordinal);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        if (wanted.Count > LastOccurrenceBatch)
        {
            await ReadLastOccurrencesAsync(connection, string.Empty, string.Empty, [], wanted, last, cancellationToken).ConfigureAwait(false);
            return last;
        }

        var names = string.Join(", ", wanted.Select((_, i) => $"@s{i}"));
        await ReadLastOccurrencesAsync(connection, $" WHERE schedule_id IN ({names})", $" WHERE schedule_id IN ({names})",
            [.. wanted.Select((id, i) => ($"@s{i}", (object?)id))], wanted, last, cancellationToken).ConfigureAwait(false);
        return last;
    }

    private static async Task ReadLastOccurrencesAsync(
        MySqlConnection connection, string claimsFilter, string watermarksFilter, (string, object?)[] parameters, HashSet<string> wanted, Dictionary<string, DateTimeOffset> last, CancellationToken ct)
    {
        var command = Command(connection, null,
            $"""
            SELECT schedule_id, MAX(at) FROM (
              SELECT schedule_id, MAX(scheduled_for) AS at FROM rsdk_occurrence_claims{claimsFilter} GROUP BY schedule_id
              UNION ALL SELECT schedule_id, trimmed_through FROM rsdk_occurrence_watermarks{watermarksFilter}) known
            GROUP BY schedule_id
            """,
            parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (wanted.Contains(id))
            {
                last[id] = Utc(reader.GetDateTime(1));
            }
        }
    }

    public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(
            $"SELECT {ExecutionColumns} FROM rsdk_executions WHERE schedule_id = @schedule ORDER BY scheduled_for DESC, started_at DESC, execution_id DESC LIMIT @limit",
            cancellationToken, ("@schedule", scheduleId), ("@limit", limit));
    }

    /// <summary>
    /// Filters, orders and pages in the database (the start index serves the unfiltered listing: one direction for
    /// both columns, so no sort); a second statement counts
    /// the matches. A VM name matches ignoring case, as <see cref="ExecutionQuery.Matches"/> does.
    /// </summary>
    public async Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var conditions = new List<string>();
        var parameters = new List<(string Name, object? Value)>();
        if (query.ScheduleId is { } schedule)
        {
            conditions.Add("e.schedule_id = @schedule");
            parameters.Add(("@schedule", schedule));
        }

        if (query.Status is { } status)
        {
            conditions.Add("e.status = @status");
            parameters.Add(("@status", status.ToString()));
        }

        if (query.TriggerKind is { } trigger)
        {
            conditions.Add("e.trigger_kind = @trigger");
            parameters.Add(("@trigger", trigger.ToString()));
        }

        if (query.StartedFrom is { } from)
        {
            conditions.Add("e.started_at >= @from");
            parameters.Add(("@from", from.UtcDateTime));
        }

        if (query.StartedBefore is { } before)
        {
            conditions.Add("e.started_at < @before");
            parameters.Add(("@before", before.UtcDateTime));
        }

        if (query.Vm is { Length: > 0 } vm)
        {
            conditions.Add("EXISTS (SELECT 1 FROM rsdk_vm_outcomes v WHERE v.execution_id = e.execution_id AND (v.context_id = @vm OR LOWER(v.vm_name) = LOWER(@vm)))");
            parameters.Add(("@vm", vm));
        }

        if (query.FailedOnly)
        {
            var kinds = FailureKinds.Select((_, i) => $"@fk{i}").ToArray();
            conditions.Add($"(e.status IN (@failed, @withErrors) OR EXISTS (SELECT 1 FROM rsdk_vm_outcomes f WHERE f.execution_id = e.execution_id AND f.kind IN ({string.Join(", ", kinds)})))");
            parameters.Add(("@failed", nameof(ExecutionStatus.Failed)));
            parameters.Add(("@withErrors", nameof(ExecutionStatus.CompletedWithErrors)));
            parameters.AddRange(FailureKinds.Select((k, i) => (kinds[i], (object?)k)));
        }

        var where = conditions.Count == 0 ? string.Empty : $" WHERE {string.Join(" AND ", conditions)}";
        var items = await ReadAsync(
            $"SELECT {ExecutionColumns} FROM rsdk_executions e{where} ORDER BY e.started_at DESC, e.execution_id DESC LIMIT @take OFFSET @skip",
            cancellationToken, [.. parameters, ("@take", query.Take), ("@skip", query.Skip)]).ConfigureAwait(false);

        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var count = Command(connection, null, $"SELECT COUNT(*) FROM rsdk_executions e{where}", [.. parameters]);
        await using var countScope = count.ConfigureAwait(false);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new ExecutionPage(items, total);
    }

    private void Remember(ScheduleExecution execution)
    {
        if (execution.IsFinished)
        {
            _written.TryRemove(execution.Id, out _);
        }
        else
        {
            _written[execution.Id] = [.. execution.VmOutcomes];
        }
    }

    private async Task<bool> IsRecordedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
    {
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var sql = execution.TriggerKind == TriggerKind.Manual
            ? "SELECT COUNT(*) FROM rsdk_executions WHERE execution_id = @id"
            : "SELECT COUNT(*) FROM rsdk_occurrence_claims WHERE schedule_id = @schedule AND scheduled_for = @at AND execution_id = @id";
        var command = Command(connection, null, sql, ("@id", execution.Id), ("@schedule", execution.ScheduleId), ("@at", Second(execution.ScheduledFor)));
        await using var commandScope = command.ConfigureAwait(false);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Upserts the outcome rows that differ from the last write (all of them when this process has not written the execution).</summary>
    private static async Task WriteOutcomesAsync(MySqlConnection connection, MySqlTransaction transaction, ScheduleExecution execution, VmOutcome[]? previous, CancellationToken ct)
    {
        var outcomes = execution.VmOutcomes;
        var changed = Enumerable.Range(0, outcomes.Count)
            .Where(i => previous is null || i >= previous.Length || !Equals(previous[i], outcomes[i]))
            .ToList();
        if (previous is not null && previous.Length > outcomes.Count)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM rsdk_vm_outcomes WHERE execution_id = @id AND ordinal >= @count", ct,
                ("@id", execution.Id), ("@count", outcomes.Count)).ConfigureAwait(false);
        }

        // Batches keep each statement far below the protocol's placeholder limit.
        foreach (var batch in changed.Chunk(500))
        {
            var sql = new StringBuilder($"INSERT INTO rsdk_vm_outcomes ({OutcomeColumns}) VALUES ");
            var parameters = new List<(string, object?)>(batch.Length * 13);
            for (var n = 0; n < batch.Length; n++)
            {
                var i = batch[n];
                var o = outcomes[i];
                sql.Append(n == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture,
                    $"(@e{n}, @o{n}, @c{n}, @v{n}, @g{n}, @k{n}, @s{n}, @r{n}, @j{n}, @a{n}, @d{n}, @b{n}, @f{n})");
                parameters.AddRange(
                [
                    ($"@e{n}", execution.Id), ($"@o{n}", i), ($"@c{n}", o.ContextId), ($"@v{n}", o.VmName), ($"@g{n}", o.GroupId),
                    ($"@k{n}", o.Kind.ToString()), ($"@s{n}", o.SkipReason?.ToString()), ($"@r{n}", o.Reason), ($"@j{n}", o.JobId),
                    ($"@a{n}", o.Attempts), ($"@d{n}", DriftJson.Write(o.Drift)), ($"@b{n}", o.StartedAt?.UtcDateTime), ($"@f{n}", o.CompletedAt?.UtcDateTime),
                ]);
            }

            sql.Append(
                """
                 ON DUPLICATE KEY UPDATE context_id = VALUES(context_id), vm_name = VALUES(vm_name), group_id = VALUES(group_id), kind = VALUES(kind),
                  skip_reason = VALUES(skip_reason), reason = VALUES(reason), job_id = VALUES(job_id), attempts = VALUES(attempts), drift = VALUES(drift),
                  started_at = VALUES(started_at), completed_at = VALUES(completed_at)
                """);
            await ExecuteAsync(connection, transaction, sql.ToString(), ct, [.. parameters]).ConfigureAwait(false);
        }

        // The appliance's own field for "the job the scheduler last started for this VM" (never written upstream).
        foreach (var i in changed.Where(i => outcomes[i].IsCreated && outcomes[i].JobId is not null
            && (previous is null || i >= previous.Length || previous[i].JobId != outcomes[i].JobId)))
        {
            await ExecuteAsync(connection, transaction, "UPDATE vm_replication_contexts SET last_scheduled_job_id = @job WHERE context_id = @context", ct,
                ("@job", outcomes[i].JobId), ("@context", outcomes[i].ContextId)).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ScheduleExecution>> ReadAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var connection = await context.OpenAsync(ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var executions = new List<ScheduleExecution>();
        var command = Command(connection, null, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                executions.Add(new ScheduleExecution
                {
                    Id = reader.GetString(0),
                    ScheduleId = reader.GetString(1),
                    ScheduledFor = Utc(reader.GetDateTime(2)),
                    TriggerKind = Enum.Parse<TriggerKind>(reader.GetString(3)),
                    TriggeredBy = reader.GetString(4),
                    Status = Enum.Parse<ExecutionStatus>(reader.GetString(5)),
                    StartedAt = Utc(reader.GetDateTime(6)),
                    CompletedAt = reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                    Reason = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Error = reader.IsDBNull(9) ? null : reader.GetString(9),
                    InstanceId = reader.IsDBNull(10) ? null : reader.GetString(10),
                    LeaseToken = reader.IsDBNull(11) ? null : reader.GetString(11),
                    SkipReason = reader.IsDBNull(12) ? null : Enum.Parse<ExecutionSkipReason>(reader.GetString(12)),
                    Forced = reader.GetBoolean(13),
                    BufferedBehind = reader.IsDBNull(14) ? null : reader.GetString(14),
                    StopRequestedBy = reader.IsDBNull(15) ? null : reader.GetString(15),
                });
            }
        }

        if (executions.Count == 0)
        {
            return executions;
        }

        var outcomes = new Dictionary<string, List<VmOutcome>>(StringComparer.Ordinal);
        foreach (var chunk in executions.Select(e => e.Id).Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@x{i}").ToArray();
            var outcomeCommand = Command(connection, null,
                $"SELECT {OutcomeColumns} FROM rsdk_vm_outcomes WHERE execution_id IN ({string.Join(", ", names)}) ORDER BY execution_id, ordinal",
                [.. chunk.Select((id, i) => (names[i], (object?)id))]);
            await using var outcomeCommandScope = outcomeCommand.ConfigureAwait(false);
            var reader = await outcomeCommand.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!outcomes.TryGetValue(id, out var list))
                {
                    outcomes[id] = list = [];
                }

                list.Add(new VmOutcome
                {
                    ContextId = reader.GetString(2),
                    VmName = reader.GetString(3),
                    GroupId = reader.GetString(4),
                    Kind = Enum.Parse<VmOutcomeKind>(reader.GetString(5)),
                    SkipReason = reader.IsDBNull(6) ? null : Enum.Parse<SkipReason>(reader.GetString(6)),
                    Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                    JobId = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Attempts = reader.GetInt32(9),
                    Drift = DriftJson.Read(reader.IsDBNull(10) ? null : reader.GetString(10)),
                    StartedAt = reader.IsDBNull(11) ? null : Utc(reader.GetDateTime(11)),
                    CompletedAt = reader.IsDBNull(12) ? null : Utc(reader.GetDateTime(12)),
                });
            }
        }

        return [.. executions.Select(e => outcomes.TryGetValue(e.Id, out var list) ? e with { VmOutcomes = list } : e)];
    }

    private static (string, object?)[] SdkParameters(ScheduleExecution e) =>
    [
        ("@id", e.Id), ("@schedule", e.ScheduleId), ("@at", Second(e.ScheduledFor)), ("@trigger", e.TriggerKind.ToString()), ("@by", MySqlText.Cut(e.TriggeredBy, 255)),
        ("@status", e.Status.ToString()), ("@started", e.StartedAt.UtcDateTime), ("@completed", e.CompletedAt?.UtcDateTime), ("@reason", e.Reason),
        ("@error", e.Error), ("@instance", e.InstanceId), ("@token", e.LeaseToken), ("@skip", e.SkipReason?.ToString()),
        ("@forced", e.Forced), ("@buffered", e.BufferedBehind),
    ];

    /// <summary>
    /// The appliance row's values. The details JSON lists every VM, so progress updates leave it as written at creation
    /// (the counters columns carry the progress) and the final update rewrites it: one O(VMs) document per execution, not per VM.
    /// </summary>
    private static (string, object?)[] ApplianceParameters(ScheduleExecution e, bool withDetails = true) =>
    [
        ("@id", e.Id), ("@schedule", e.ScheduleId), ("@group", ApplianceExecutionRow.GroupId(e)), ("@scheduled", Second(e.ScheduledFor)),
        ("@started", e.StartedAt.UtcDateTime), ("@completed", e.CompletedAt?.UtcDateTime), ("@status", ApplianceExecutionRow.Status(e.Status)),
        ("@eligible", e.VmsEligible), ("@created", e.JobsCreated), ("@jobsCompleted", e.JobsCompleted), ("@failed", e.JobsFailed), ("@skipped", e.JobsSkipped),
        ("@duration", ApplianceExecutionRow.DurationSeconds(e)), ("@errorMessage", ApplianceExecutionRow.ErrorMessage(e)),
        ("@details", withDetails ? ApplianceExecutionRow.Details(e) : null), ("@triggeredBy", MySqlText.Cut(e.TriggeredBy, 255)),
    ];

    internal static DateTime Second(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    internal static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new MySqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    internal static async Task<int> ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
