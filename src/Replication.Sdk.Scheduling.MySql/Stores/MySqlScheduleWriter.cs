using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IScheduleStoreWriter"/> over the appliance's tables, registered only when <see cref="MySqlStoreOptions.AllowScheduleWrites"/>
/// is set. It writes exactly the columns <see cref="MySqlScheduleStore"/> reads (<c>replication_schedules</c>,
/// <c>vm_machine_groups</c>, <c>vm_group_memberships</c>; the settings the appliance has no column for in
/// <c>rsdk_schedule_settings</c> and <c>rsdk_blackouts</c>), one transaction per write, and stamps <c>updated_at</c> so
/// every instance's change poll sees a schedule edit; this instance polls at once after one, so its own token fires without
/// waiting. A group or membership write fires this instance's token naming no schedule (no statement), as the in-memory
/// store's does; other instances are not told and need not be, as they read groups and memberships when an occurrence runs.
/// A value the tables cannot hold exactly (a retry delay that is not whole minutes) is refused rather than rounded, so
/// what is read back equals what was written. Ids are exact (<see cref="MySqlIds"/>): a write never updates a row whose id
/// only the tables' collation makes equal, nor an appliance row the store does not read as a schedule; both are conflicts.
/// A conditional write (an overload with a precondition) reads the schedule or group first in its transaction with a
/// locking read (<c>SELECT ... FOR UPDATE</c>) mapped as the store's reads map it, and checks the precondition there, so
/// writers on any number of instances sharing the database cannot both pass the check; a transaction the database ends
/// as a deadlock's victim is run again.
/// </summary>
internal sealed class MySqlScheduleWriter(MySqlStoreContext context, MySqlScheduleStore store, IScheduleEvaluator evaluator, TimeProvider time, ILogger<MySqlScheduleWriter> logger) : IScheduleStoreWriter
{
    /// <summary>A MySQL <c>TEXT</c> column's capacity in bytes.</summary>
    private const int MaxTextBytes = 65_535;

    /// <summary>How many times a write's transaction is run when the database ends it as a deadlock's victim.</summary>
    private const int DeadlockAttempts = 3;

    private const string UpdateScheduleSql =
        """
        UPDATE replication_schedules SET name = @name, cron_expression = @cron, schedule_type = 'cron', timezone = @zone, replication_type = @type,
          max_concurrent_jobs = @jobs, retry_attempts = @retries, retry_delay_minutes = @delay, enabled = @enabled, skip_if_running = @skip,
          updated_at = CURRENT_TIMESTAMP(3)
        WHERE id = @id AND id = CAST(@id AS BINARY)
        """;

    private const string InsertScheduleSql =
        """
        INSERT INTO replication_schedules (id, name, cron_expression, schedule_type, timezone, replication_type, max_concurrent_jobs, retry_attempts,
          retry_delay_minutes, enabled, skip_if_running, created_by, updated_at)
        VALUES (@id, @name, @cron, 'cron', @zone, @type, @jobs, @retries, @delay, @enabled, @skip, 'replication-sdk', CURRENT_TIMESTAMP(3))
        """;

    private const string UpsertSettingsSql =
        """
        INSERT INTO rsdk_schedule_settings (schedule_id, misfire_policy, starting_deadline_seconds, rpo_target_seconds, ossea_config_id, target_network,
          spread_seconds, window_text, outside_window_policy, overlap_policy, schedule_kind, updated_at)
        VALUES (@id, @misfire, @deadline, @rpo, @ossea, @network, @spread, @window, @outside, @overlap, @kind, CURRENT_TIMESTAMP(6))
        ON DUPLICATE KEY UPDATE misfire_policy = VALUES(misfire_policy), starting_deadline_seconds = VALUES(starting_deadline_seconds),
          rpo_target_seconds = VALUES(rpo_target_seconds), ossea_config_id = VALUES(ossea_config_id), target_network = VALUES(target_network),
          spread_seconds = VALUES(spread_seconds), window_text = VALUES(window_text), outside_window_policy = VALUES(outside_window_policy),
          overlap_policy = VALUES(overlap_policy), schedule_kind = VALUES(schedule_kind), updated_at = CURRENT_TIMESTAMP(6)
        """;

    public Task UpsertScheduleAsync(ReplicationSchedule schedule, CancellationToken cancellationToken = default) => UpsertScheduleCoreAsync(schedule, null, cancellationToken);

    public Task UpsertScheduleAsync(ReplicationSchedule schedule, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return UpsertScheduleCoreAsync(schedule, precondition, cancellationToken);
    }

    public Task<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => DeleteScheduleCoreAsync(scheduleId, null, cancellationToken);

    public Task<bool> DeleteScheduleAsync(string scheduleId, Func<ReplicationSchedule?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return DeleteScheduleCoreAsync(scheduleId, precondition, cancellationToken);
    }

    public Task UpsertGroupAsync(MachineGroup group, CancellationToken cancellationToken = default) => UpsertGroupCoreAsync(group, null, cancellationToken);

    public Task UpsertGroupAsync(MachineGroup group, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return UpsertGroupCoreAsync(group, precondition, cancellationToken);
    }

    public Task<bool> DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default) => DeleteGroupCoreAsync(groupId, null, cancellationToken);

    public Task<bool> DeleteGroupAsync(string groupId, Func<MachineGroup?, bool> precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        return DeleteGroupCoreAsync(groupId, precondition, cancellationToken);
    }

    private async Task UpsertScheduleCoreAsync(ReplicationSchedule schedule, Func<ReplicationSchedule?, bool>? precondition, CancellationToken cancellationToken)
    {
        ScheduleWriteCheck.Schedule(schedule, evaluator, StoreProblems(schedule));
        var settings = Settings(schedule);
        await InTransactionAsync(schedule.Id, async (connection, transaction) =>
        {
            await RequireScheduleAsync(connection, transaction, precondition, schedule.Id, cancellationToken).ConfigureAwait(false);
            await CheckOwnRowAsync(connection, transaction, schedule.Id, cancellationToken).ConfigureAwait(false);
            (string, object?)[] row =
            [
                ("@id", schedule.Id), ("@name", schedule.Name), ("@cron", schedule.Kind == ScheduleKind.Rpo ? "" : schedule.CronExpression),
                ("@zone", schedule.TimeZone), ("@type", schedule.ReplicationType.ToString().ToLowerInvariant()), ("@jobs", schedule.MaxConcurrentJobs),
                ("@retries", schedule.RetryAttempts), ("@delay", (int)schedule.RetryDelay.TotalMinutes), ("@enabled", schedule.Enabled),
                // The appliance's boolean holds Skip and AllowAll; the SDK's column holds the policies it has no value for.
                ("@skip", schedule.OverlapPolicy != OverlapPolicy.AllowAll),
            ];
            if (await Execute(connection, transaction, UpdateScheduleSql, cancellationToken, row).ConfigureAwait(false) == 0)
            {
                await Execute(connection, transaction, InsertScheduleSql, cancellationToken, row).ConfigureAwait(false);
            }

            if (settings is null)
            {
                await Execute(connection, transaction, "DELETE FROM rsdk_schedule_settings WHERE schedule_id = @id", cancellationToken, ("@id", schedule.Id)).ConfigureAwait(false);
            }
            else
            {
                await Execute(connection, transaction, UpsertSettingsSql, cancellationToken, [("@id", schedule.Id), .. settings]).ConfigureAwait(false);
            }

            await Execute(connection, transaction, "DELETE FROM rsdk_blackouts WHERE schedule_id = @id", cancellationToken, ("@id", schedule.Id)).ConfigureAwait(false);
            foreach (var period in schedule.Blackouts)
            {
                await Execute(connection, transaction,
                    "INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc, reason, updated_at) VALUES (@id, @from, @to, @reason, CURRENT_TIMESTAMP(6))",
                    cancellationToken, ("@id", schedule.Id), ("@from", period.From.UtcDateTime), ("@to", period.To.UtcDateTime), ("@reason", period.Reason)).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        await NotifyAsync().ConfigureAwait(false);
    }

    private async Task<bool> DeleteScheduleCoreAsync(string scheduleId, Func<ReplicationSchedule?, bool>? precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        var deleted = await InTransactionAsync(scheduleId, async (connection, transaction) =>
        {
            await RequireScheduleAsync(connection, transaction, precondition, scheduleId, cancellationToken).ConfigureAwait(false);
            // Locks the row, so no execution of it is recorded between the check and the delete.
            if (await Scalar(connection, transaction, $"SELECT COUNT(*) FROM replication_schedules WHERE {MySqlIds.Exact("id", "@id")} FOR UPDATE", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false) == 0)
            {
                return false;
            }

            // The appliance's history references the schedule (a foreign key with no cascade): it is kept, so the schedule stays.
            var executions = await Scalar(connection, transaction, "SELECT COUNT(*) FROM schedule_executions WHERE schedule_id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false);
            if (executions > 0)
            {
                throw new ScheduleWriteConflictException(scheduleId, string.Create(CultureInfo.InvariantCulture,
                    $"Schedule '{scheduleId}' has {executions} executions in the appliance's schedule_executions, which keep it from being deleted; disable it instead."));
            }

            await Execute(connection, transaction, "UPDATE vm_machine_groups SET schedule_id = NULL, updated_at = CURRENT_TIMESTAMP(3) WHERE schedule_id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false);
            await Execute(connection, transaction, "DELETE FROM rsdk_schedule_settings WHERE schedule_id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false);
            await Execute(connection, transaction, "DELETE FROM rsdk_blackouts WHERE schedule_id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false);
            await Execute(connection, transaction, "DELETE FROM replication_schedules WHERE id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await NotifyAsync().ConfigureAwait(false);
        }

        return deleted;
    }

    private async Task UpsertGroupCoreAsync(MachineGroup group, Func<MachineGroup?, bool>? precondition, CancellationToken cancellationToken)
    {
        ScheduleWriteCheck.Group(group, StoreProblems(group));
        await InTransactionAsync(group.Id, async (connection, transaction) =>
        {
            await RequireGroupAsync(connection, transaction, precondition, group.Id, cancellationToken).ConfigureAwait(false);
            if (group.ScheduleId is { } scheduleId
                && await Scalar(connection, transaction, $"SELECT COUNT(*) FROM replication_schedules WHERE {MySqlIds.Exact("id", "@id")} LOCK IN SHARE MODE", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false) == 0)
            {
                throw new ScheduleNotFoundException(scheduleId);
            }

            await CheckNoCollisionAsync(connection, transaction, "vm_machine_groups", "group", group.Id, cancellationToken).ConfigureAwait(false);
            (string, object?)[] row = [("@id", group.Id), ("@name", group.Name), ("@schedule", group.ScheduleId), ("@vms", group.MaxConcurrentVms), ("@priority", group.Priority)];
            var updated = await Execute(connection, transaction,
                "UPDATE vm_machine_groups SET name = @name, schedule_id = @schedule, max_concurrent_vms = @vms, priority = @priority, updated_at = CURRENT_TIMESTAMP(3) WHERE id = @id AND id = CAST(@id AS BINARY)",
                cancellationToken, row).ConfigureAwait(false);
            if (updated == 0)
            {
                await Execute(connection, transaction,
                    "INSERT INTO vm_machine_groups (id, name, schedule_id, max_concurrent_vms, priority, created_by, updated_at) VALUES (@id, @name, @schedule, @vms, @priority, 'replication-sdk', CURRENT_TIMESTAMP(3))",
                    cancellationToken, row).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        store.NotifyGroupsChanged();
    }

    private async Task<bool> DeleteGroupCoreAsync(string groupId, Func<MachineGroup?, bool>? precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return GroupsChanged(await InTransactionAsync(groupId, async (connection, transaction) =>
        {
            await RequireGroupAsync(connection, transaction, precondition, groupId, cancellationToken).ConfigureAwait(false);
            // The appliance's foreign key cascades to the memberships; deleting them first does not rely on it.
            await Execute(connection, transaction, $"DELETE FROM vm_group_memberships WHERE {MySqlIds.Exact("group_id", "@id")}", cancellationToken, ("@id", groupId)).ConfigureAwait(false);
            return await Execute(connection, transaction, $"DELETE FROM vm_machine_groups WHERE {MySqlIds.Exact("id", "@id")}", cancellationToken, ("@id", groupId)).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false));
    }

    public async Task UpsertMembershipAsync(GroupMembership membership, CancellationToken cancellationToken = default)
    {
        ScheduleWriteCheck.Membership(membership);
        if (membership.AddedAt.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"AddedAt {membership.AddedAt:O} has more than millisecond precision, which vm_group_memberships.added_at cannot hold.", nameof(membership));
        }

        await InTransactionAsync(membership.GroupId, async (connection, transaction) =>
        {
            if (await Scalar(connection, transaction, $"SELECT COUNT(*) FROM vm_machine_groups WHERE {MySqlIds.Exact("id", "@id")} LOCK IN SHARE MODE", cancellationToken, ("@id", membership.GroupId)).ConfigureAwait(false) == 0)
            {
                throw new ScheduleTargetNotFoundException(PauseTarget.Group(membership.GroupId));
            }

            if (await Scalar(connection, transaction, $"SELECT COUNT(*) FROM vm_replication_contexts WHERE {MySqlIds.Exact("context_id", "@id")} LOCK IN SHARE MODE", cancellationToken, ("@id", membership.VmContextId)).ConfigureAwait(false) == 0)
            {
                throw new ScheduleTargetNotFoundException(PauseTarget.Vm(membership.VmContextId));
            }

            var explicitAddedAt = membership.AddedAt != default;
            var now = time.GetUtcNow();
            var addedAt = explicitAddedAt ? membership.AddedAt : new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            await Execute(connection, transaction,
                """
                INSERT INTO vm_group_memberships (id, group_id, vm_context_id, enabled, priority, added_at, added_by)
                VALUES (@id, @group, @vm, @enabled, @priority, @added, 'replication-sdk')
                ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), priority = VALUES(priority), added_at = IF(@explicit, VALUES(added_at), added_at)
                """,
                cancellationToken, ("@id", Guid.NewGuid().ToString("N")), ("@group", membership.GroupId), ("@vm", membership.VmContextId), ("@enabled", membership.Enabled),
                ("@priority", membership.Priority), ("@added", addedAt.UtcDateTime), ("@explicit", explicitAddedAt)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        store.NotifyGroupsChanged();
    }

    public async Task<bool> RemoveMembershipAsync(string groupId, string vmContextId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(vmContextId);
        return GroupsChanged(await InTransactionAsync(groupId, async (connection, transaction) =>
            await Execute(connection, transaction, $"DELETE FROM vm_group_memberships WHERE {MySqlIds.Exact("group_id", "@group")} AND {MySqlIds.Exact("vm_context_id", "@vm")}", cancellationToken,
                ("@group", groupId), ("@vm", vmContextId)).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What the tables cannot hold exactly; refused, so a read gives back what was written. Ids are checked before, by <see cref="ScheduleWriteCheck"/>.</summary>
    internal static IEnumerable<string> StoreProblems(ReplicationSchedule s)
    {
        if (s.RetryDelay.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            yield return Text($"RetryDelay must be whole minutes in the MySQL store (replication_schedules.retry_delay_minutes; was {s.RetryDelay})");
        }

        foreach (var (name, value) in new[] { ("StartingDeadline", s.StartingDeadline), ("Spread", s.Spread), ("RpoTarget", s.RpoTarget) })
        {
            if (value is { } v && v.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                yield return Text($"{name} must be whole seconds in the MySQL store (was {v})");
            }
        }

        // The widths of replication_schedules and rsdk_schedule_settings (in characters; .NET counts UTF-16 units, never fewer).
        foreach (var (name, value, max) in new[]
                 {
                     ("Name", s.Name, 255), ("CronExpression", s.CronExpression, 255), ("TimeZone", s.TimeZone, 64), ("TargetNetwork", s.TargetNetwork ?? "", 255),
                     ("Window", s.Window?.ToString() ?? "", 1024),
                 })
        {
            if (value?.Length > max)
            {
                yield return Text($"{name} must be at most {max} characters in the MySQL store (was {value.Length})");
            }
        }

        for (var i = 0; i < s.Blackouts.Count; i++)
        {
            var b = s.Blackouts[i];
            if (b.From.Ticks % 10 != 0 || b.To.Ticks % 10 != 0)
            {
                yield return Text($"blackout {b.From:O} to {b.To:O} must be whole microseconds in the MySQL store (rsdk_blackouts)");
            }

            // rsdk_blackouts.reason is TEXT: 65,535 bytes of UTF-8.
            if (b.Reason is { } reason && Encoding.UTF8.GetByteCount(reason) > MaxTextBytes)
            {
                yield return Text($"blackout {b.From:O} to {b.To:O}: Reason must be at most {MaxTextBytes} bytes of UTF-8 in the MySQL store (was {Encoding.UTF8.GetByteCount(reason)})");
            }

            if (s.Blackouts.Take(i).Any(o => o.From == b.From && o.To == b.To))
            {
                yield return Text($"blackout {b.From:O} to {b.To:O} is listed twice");
            }
        }
    }

    private static IEnumerable<string> StoreProblems(MachineGroup g)
    {
        if (g.OsseaConfigId is not null || g.TargetNetwork is not null)
        {
            yield return Text($"group '{g.Id}': OsseaConfigId and TargetNetwork have no column in vm_machine_groups, so the MySQL store cannot hold them");
        }

        if (g.Name?.Length > 255)
        {
            yield return Text($"group '{g.Id}': Name must be at most 255 characters in the MySQL store");
        }
    }

    /// <summary>The <c>rsdk_schedule_settings</c> columns, or <see langword="null"/> when every one would be empty (no row is kept).</summary>
    private static (string, object?)[]? Settings(ReplicationSchedule s)
    {
        (string, object?)[] columns =
        [
            ("@misfire", s.MisfirePolicy == MisfirePolicy.RunLatest ? null : s.MisfirePolicy.ToString()),
            ("@deadline", Seconds(s.StartingDeadline)),
            ("@rpo", Seconds(s.RpoTarget)),
            ("@ossea", s.OsseaConfigId),
            ("@network", s.TargetNetwork),
            ("@spread", Seconds(s.Spread)),
            ("@window", s.Window?.ToString()),
            ("@outside", s.OutsideWindowPolicy == OutsideWindowPolicy.Skip ? null : s.OutsideWindowPolicy.ToString()),
            ("@overlap", s.OverlapPolicy is OverlapPolicy.Skip or OverlapPolicy.AllowAll ? null : s.OverlapPolicy.ToString()),
            ("@kind", s.Kind == ScheduleKind.Cron ? null : s.Kind.ToString()),
        ];
        return columns.All(c => c.Item2 is null) ? null : columns;
    }

    /// <summary>
    /// A conditional write's check, first in its transaction: the schedule as <see cref="MySqlScheduleStore.GetScheduleAsync"/>
    /// reads it, by a locking read, so the newest committed version is what the precondition sees and no other writer can
    /// change it before this transaction ends (a second conditional writer waits here, then sees this one's write).
    /// </summary>
    private async Task RequireScheduleAsync(MySqlConnection connection, MySqlTransaction transaction, Func<ReplicationSchedule?, bool>? precondition, string id, CancellationToken ct)
    {
        if (precondition is not null)
        {
            var current = await MySqlScheduleRows.ReadScheduleAsync(connection, transaction, id, forUpdate: true, logger, ct).ConfigureAwait(false);
            ScheduleWriteCheck.Precondition(precondition, current, PauseTarget.Schedule(id));
        }
    }

    /// <summary>As <see cref="RequireScheduleAsync"/>, for a group as <see cref="MySqlScheduleStore.GetGroupAsync"/> reads it.</summary>
    private static async Task RequireGroupAsync(MySqlConnection connection, MySqlTransaction transaction, Func<MachineGroup?, bool>? precondition, string id, CancellationToken ct)
    {
        if (precondition is not null)
        {
            var current = await MySqlScheduleStore.ReadGroupForUpdateAsync(connection, transaction, id, ct).ConfigureAwait(false);
            ScheduleWriteCheck.Precondition(precondition, current, PauseTarget.Group(id));
        }
    }

    /// <summary>
    /// Refuses to write over a row that is not this schedule as the store reads it: another id equal to this one under
    /// the table's collation (<c>FAST</c> and <c>fast</c>), or an appliance row of a type the store does not read (a
    /// <c>chain</c> schedule, which GET does not show). Locks the row, so the check holds until the write commits.
    /// </summary>
    private static async Task CheckOwnRowAsync(MySqlConnection connection, MySqlTransaction transaction, string id, CancellationToken ct)
    {
        var existing = await CheckNoCollisionAsync(connection, transaction, "replication_schedules", "schedule", id, ct, ", schedule_type").ConfigureAwait(false);
        if (existing is { } type && !string.Equals(type, "cron", StringComparison.OrdinalIgnoreCase))
        {
            throw new ScheduleWriteConflictException(id,
                $"The appliance's row '{id}' in replication_schedules is a '{type}' schedule, which the SDK does not read as a schedule; it is not overwritten.");
        }
    }

    /// <summary>
    /// Throws when <paramref name="table"/> has a row whose id equals <paramref name="id"/> under the table's collation but
    /// is a different id (an update would change that row, and the engine compares ids ordinally). Locks the row it finds.
    /// Returns the <paramref name="extraColumn"/> of the row with this exact id, or <see langword="null"/> when there is none.
    /// </summary>
    private static async Task<string?> CheckNoCollisionAsync(MySqlConnection connection, MySqlTransaction transaction, string table, string what, string id, CancellationToken ct, string extraColumn = ", NULL")
    {
        var command = MySqlExecutionStore.Command(connection, transaction, $"SELECT id{extraColumn} FROM {table} WHERE id = @id FOR UPDATE", ("@id", id));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var existing = reader.GetString(0);
        if (!MySqlIds.Same(existing, id))
        {
            throw new ScheduleWriteConflictException(id,
                $"The {what} id '{id}' collides with the existing {what} '{existing}': the appliance's tables compare ids case- and accent-insensitively, so both cannot exist.");
        }

        return reader.IsDBNull(1) ? "" : reader.GetString(1);
    }

    private static int? Seconds(TimeSpan? span) => span is { } v ? (int)v.TotalSeconds : null;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static Task<int> Execute(MySqlConnection connection, MySqlTransaction transaction, string sql, CancellationToken ct, params (string, object?)[] parameters) =>
        MySqlExecutionStore.ExecuteAsync(connection, transaction, sql, ct, parameters);

    private static async Task<long> Scalar(MySqlConnection connection, MySqlTransaction transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs one write in one transaction; a unique name taken by another row is a <see cref="ScheduleWriteConflictException"/>.
    /// A deadlock (two writers that both found no row, each holding the gap the other inserts into) rolls the whole
    /// transaction back, so it is run again from the start, up to <see cref="DeadlockAttempts"/> times in all: a conditional
    /// write then checks its precondition against what the winner wrote.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(string id, Func<MySqlConnection, MySqlTransaction, Task<T>> write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InOneTransactionAsync(id, write, ct).ConfigureAwait(false);
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.LockDeadlock && attempt < DeadlockAttempts)
            {
                MySqlStoreLog.WriteDeadlockRetried(logger, id, attempt);
            }
        }
    }

    private async Task<T> InOneTransactionAsync<T>(string id, Func<MySqlConnection, MySqlTransaction, Task<T>> write, CancellationToken ct)
    {
        var connection = await context.OpenAsync(ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        T result;
        try
        {
            result = await write(connection, transaction).ConfigureAwait(false);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            throw new ScheduleWriteConflictException(id, $"The write of '{id}' conflicts with an existing row: {ex.Message}");
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Fires this instance's token naming no schedule when a group or membership write changed something; returns <paramref name="changed"/>.</summary>
    private bool GroupsChanged(bool changed)
    {
        if (changed)
        {
            store.NotifyGroupsChanged();
        }

        return changed;
    }

    /// <summary>This instance's poll at once, so its change token names the schedule now; a failure only leaves it to the next timed poll.</summary>
    private async Task NotifyAsync()
    {
        try
        {
            await store.PollAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The write is committed; the timed poll finds it if this one fails.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MySqlStoreLog.ChangePollFailed(logger, ex, context.Options.ChangePollInterval);
        }
    }
}
