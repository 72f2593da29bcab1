using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using MySqlConnector;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IScheduleStore"/> over the appliance's own tables, read as they are: <c>replication_schedules</c>,
/// <c>vm_machine_groups</c>, <c>vm_group_memberships</c> and <c>vm_replication_contexts</c> (with its last successful job in
/// <c>replication_jobs</c>), plus the optional SDK-only settings in <c>rsdk_schedule_settings</c> and <c>rsdk_blackouts</c>
/// and the SDK's completed outcomes for <see cref="ScheduledVm.LastCompletedJobAt"/>. Edits by other writers (the OMA GUI)
/// are found by a poll that costs one aggregate statement while nothing changed and re-reads only the rows that did (see
/// <see cref="ScheduleChangeTracker"/>); a full read every <c>ChangeReconcileInterval</c> is the safety net. The change
/// token is a <see cref="ScheduleChangeToken"/> naming the schedules that changed, so the scheduler re-plans only those;
/// this process's writer's group and membership writes fire it naming none, as the in-memory store's do. The poll does not
/// look at the group tables: groups and memberships are read when an occurrence runs, so an edit on any instance (or in the
/// OMA GUI) applies from the next occurrence without anyone being told.
/// </summary>
internal sealed class MySqlScheduleStore : IScheduleStore, IDisposable
{
    /// <summary>
    /// One aggregate per table, one statement, one row back: count, newest <c>updated_at</c>, and the late-commit checksum
    /// of the rows in the window from <c>@s</c> to <c>@sn</c> (the newest edit seen before; likewise <c>@x</c>, <c>@b</c>);
    /// and the database's clock.
    /// </summary>
    private const string MarkerSql =
        """
        SELECT s.n, s.m, s.r, x.n, x.m, x.r, b.n, b.m, b.r, NOW(6) FROM
          (SELECT COUNT(*) AS n, MAX(updated_at) AS m, COALESCE(SUM(IF(updated_at BETWEEN @s AND @sn, CRC32(CONCAT_WS('|', id, updated_at)), 0)), 0) AS r
           FROM replication_schedules) s
          CROSS JOIN (SELECT COUNT(*) AS n, MAX(updated_at) AS m, COALESCE(SUM(IF(updated_at BETWEEN @x AND @xn, CRC32(CONCAT_WS('|', schedule_id, updated_at)), 0)), 0) AS r
           FROM rsdk_schedule_settings) x
          CROSS JOIN (SELECT COUNT(*) AS n, MAX(updated_at) AS m, COALESCE(SUM(IF(updated_at BETWEEN @b AND @bn, CRC32(CONCAT_WS('|', schedule_id, from_utc, to_utc, updated_at)), 0)), 0) AS r
           FROM rsdk_blackouts) b
        """;

    private const string GroupColumns = "SELECT id, name, schedule_id, max_concurrent_vms, priority FROM vm_machine_groups";

    private const string MembershipColumns = "SELECT group_id, vm_context_id, enabled, priority, added_at FROM vm_group_memberships";

    /// <summary>The tables a schedule is read from, with the column that names the schedule, in marker order.</summary>
    private static readonly (string Table, string Key)[] Tables =
        [("replication_schedules", "id"), ("rsdk_schedule_settings", "schedule_id"), ("rsdk_blackouts", "schedule_id")];

    /// <summary>A group by primary key, exactly (<see cref="MySqlIds"/>).</summary>
    private static readonly string GroupByIdSql = $"{GroupColumns} WHERE {MySqlIds.Exact("id", "@id")}";

    private readonly MySqlStoreContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger<MySqlScheduleStore> _logger;
    private readonly Lock _lock = new();
    private readonly ScheduleChangeTracker _tracker = new();

    /// <summary>Serialises the reads that update the tracker, so a poll and a full read never interleave their snapshots.</summary>
    private readonly SemaphoreSlim _reading = new(1, 1);
    private ScheduleChangeToken _changed = new();
    private ITimer? _poll;
    private DateTimeOffset _lastFullRead;
    private bool _disposed;

    public MySqlScheduleStore(MySqlStoreContext context, TimeProvider time, ILogger<MySqlScheduleStore> logger)
    {
        _context = context;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Reads every schedule and, in the same snapshot, the markers later polls compare with. It is a reconcile too: a
    /// schedule that differs from the last read fires the token, so an edit is never lost between a poll and this read.
    /// </summary>
    public async Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<string> changed;
        List<ScheduleRow> rows;
        try
        {
            var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            var markers = await ReadMarkersAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            rows = await MySqlScheduleRows.ReadAsync(connection, transaction, null, _logger, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                changed = _tracker.ReplaceAll(rows.ToDictionary(r => r.Id, r => r.State, StringComparer.Ordinal), markers);
                _lastFullRead = _time.GetUtcNow();
            }
        }
        finally
        {
            _reading.Release();
        }

        Fire(changed);
        return [.. rows.Select(r => r.Schedule).OfType<ReplicationSchedule>()];
    }

    public async Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await MySqlScheduleRows.ReadScheduleAsync(connection, null, scheduleId, forUpdate: false, _logger, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        QueryAsync($"{GroupColumns} WHERE {MySqlIds.Exact("schedule_id", "@schedule")} ORDER BY priority, name", ReadGroup, cancellationToken, ("@schedule", scheduleId));

    /// <summary>By primary key, exactly (<see cref="MySqlIds"/>).</summary>
    public async Task<MachineGroup?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return (await QueryAsync(GroupByIdSql, ReadGroup, cancellationToken, ("@id", groupId)).ConfigureAwait(false)) is [var one, ..] ? one : null;
    }

    /// <summary>
    /// The group <paramref name="groupId"/> as <see cref="GetGroupAsync"/> reads it, by a locking read inside a write's
    /// <paramref name="transaction"/>: it sees the newest committed version and holds the row until the transaction ends.
    /// </summary>
    internal static async Task<MachineGroup?> ReadGroupForUpdateAsync(MySqlConnection connection, MySqlTransaction transaction, string groupId, CancellationToken ct)
    {
        var results = new List<MachineGroup>();
        await ReadRowsAsync(connection, transaction, $"{GroupByIdSql} FOR UPDATE", ReadGroup, results, ct, ("@id", groupId)).ConfigureAwait(false);
        return results is [var one, ..] ? one : null;
    }

    /// <summary>One statement: the table is small (a row per group), and every row is wanted.</summary>
    public Task<IReadOnlyList<MachineGroup>> GetAllGroupsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(GroupColumns, ReadGroup, cancellationToken);

    public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) =>
        ReadInAsync(groupIds, $"{MembershipColumns} WHERE group_id IN", ReadMembership, m => m.GroupId, cancellationToken);

    /// <summary>Along the index of the foreign key to <c>vm_replication_contexts</c> (<c>vm_context_id</c>).</summary>
    public Task<IReadOnlyList<GroupMembership>> GetVmMembershipsAsync(string vmContextId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vmContextId);
        return QueryAsync($"{MembershipColumns} WHERE {MySqlIds.Exact("vm_context_id", "@vm")}", ReadMembership, cancellationToken, ("@vm", vmContextId));
    }

    public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) =>
        ReadInAsync(
            contextIds,
            $"""
            SELECT c.context_id, c.vm_name, c.vmware_vm_id, c.vm_path, c.vcenter_host, c.datacenter, c.scheduler_enabled, c.current_status,
                   c.cpu_count, c.memory_mb, c.os_type, c.power_state, c.ossea_config_id,
                   {MySqlLastCompletion.Columns}
            FROM vm_replication_contexts c WHERE c.context_id IN
            """,
            reader => new ScheduledVm
            {
                ContextId = reader.GetString(0),
                VmName = reader.GetString(1),
                VmwareVmId = String(reader, 2),
                VmPath = String(reader, 3),
                VCenterHost = String(reader, 4) ?? string.Empty,
                Datacenter = String(reader, 5) ?? string.Empty,
                SchedulerEnabled = reader.IsDBNull(6) || reader.GetBoolean(6),
                CurrentStatus = String(reader, 7) ?? "discovered",
                LastKnownSpec = new VmSpecSnapshot
                {
                    VmwareVmId = String(reader, 2),
                    Path = String(reader, 3),
                    CpuCount = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                    MemoryMb = reader.IsDBNull(9) ? null : reader.GetInt32(9),
                    OsType = String(reader, 10),
                    PowerState = String(reader, 11),
                },
                OsseaConfigId = reader.IsDBNull(12) ? null : reader.GetInt32(12),
                LastCompletedJobAt = MySqlLastCompletion.Read(reader, 13),
            },
            vm => vm.ContextId,
            cancellationToken);

    public IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One-shot, re-armed after each poll, so polls never overlap and a slow database only spaces them out.
            _poll ??= _time.CreateTimer(static s => ((MySqlScheduleStore)s!).Poll(), this, _context.Options.ChangePollInterval, Timeout.InfiniteTimeSpan);
            return _changed;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _poll?.Dispose();
            _changed.Dispose();
            _reading.Dispose();
        }
    }

    /// <summary>
    /// Finds what changed since the last read (the timer does it every <c>ChangePollInterval</c>): one aggregate statement
    /// while nothing did; else the rows the markers point at are read again, a table whose count they do not explain (a
    /// deletion) is compared key by key, and the token fires naming the schedules whose rows differ.
    /// </summary>
    internal async Task PollAsync(CancellationToken cancellationToken = default)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<string> changed;
        try
        {
            ScheduleMarkers? known;
            lock (_lock)
            {
                known = _tracker.Markers;
            }

            if (known is null)
            {
                return; // nothing read yet: the first full read is the baseline
            }

            var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            var markers = await ReadMarkersAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var reread = known.Tables.Zip(markers.Tables, (k, n) => ScheduleChangeTracker.ReRead(k, n, known.DatabaseNow)).ToArray();
            if (reread.All(r => r is null))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            // The ids first (one scan of each table at most), then the rows by primary key: a semi-join would scan again per table.
            var recent = string.Join(" UNION ", reread.Select((r, i) => r is { } at ? $"SELECT {Tables[i].Key}, 1 FROM {Tables[i].Table} WHERE updated_at {at.Operator} @r{i}" : null).OfType<string>());
            var recentIds = (await KeysAsync(connection, transaction, recent, cancellationToken,
                [.. reread.Select((r, i) => ($"@r{i}", (object?)(r?.From ?? DateTime.MinValue)))]).ConfigureAwait(false)).Keys;
            var found = new Dictionary<string, ScheduleRowState>(StringComparer.Ordinal);
            await ReadByIdsAsync(connection, transaction, recentIds, found, cancellationToken).ConfigureAwait(false);
            var checkedIds = new HashSet<string>(recentIds, StringComparer.Ordinal);
            (bool Schedules, bool Settings, bool Blackouts) unexplained;
            IReadOnlyDictionary<string, ScheduleRowState> rows = new Dictionary<string, ScheduleRowState>();
            lock (_lock)
            {
                unexplained = _tracker.Unexplained(found, markers);
                if (unexplained is not (false, false, false))
                {
                    // Only a deletion pays for a copy of what is known (the reads below are outside the lock).
                    rows = new Dictionary<string, ScheduleRowState>(_tracker.Rows, StringComparer.Ordinal);
                }
            }

            var suspects = await KeyDiffAsync(connection, transaction, unexplained, rows, found, cancellationToken).ConfigureAwait(false);
            suspects.ExceptWith(checkedIds);
            await ReadByIdsAsync(connection, transaction, suspects, found, cancellationToken).ConfigureAwait(false);
            checkedIds.UnionWith(suspects);

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                changed = _tracker.Apply(checkedIds, found, markers);
            }
        }
        finally
        {
            _reading.Release();
        }

        Fire(changed);
    }

    /// <summary>
    /// This process's writer changed a group or membership: fires the token naming no schedule, as the in-memory store does
    /// (no statement; nothing is re-planned). Other instances are not told and need not be: they read groups and
    /// memberships when an occurrence runs.
    /// </summary>
    internal void NotifyGroupsChanged() => Fire([], groups: true);

    /// <summary>
    /// The keys of the tables whose count the re-read rows do not explain, compared with what was read before: the
    /// schedules whose row, settings row or number of blackouts differ (a deletion, or an insert with an old
    /// <c>updated_at</c>). One key-only read of each such table; none in the common case.
    /// </summary>
    private static async Task<HashSet<string>> KeyDiffAsync(
        MySqlConnection connection, MySqlTransaction transaction, (bool Schedules, bool Settings, bool Blackouts) unexplained,
        IReadOnlyDictionary<string, ScheduleRowState> known, Dictionary<string, ScheduleRowState> found, CancellationToken ct)
    {
        var suspects = new HashSet<string>(StringComparer.Ordinal);
        ScheduleRowState? Now(string id) => found.TryGetValue(id, out var f) ? f : known.TryGetValue(id, out var k) ? k : null;
        if (unexplained.Schedules)
        {
            var ids = (await KeysAsync(connection, transaction, "SELECT id, 1 FROM replication_schedules", ct).ConfigureAwait(false)).Keys.ToHashSet(StringComparer.Ordinal);
            suspects.UnionWith(ids.Where(id => Now(id) is null));
            suspects.UnionWith(known.Keys.Where(id => !ids.Contains(id)));
        }

        if (unexplained.Settings)
        {
            var ids = (await KeysAsync(connection, transaction, "SELECT schedule_id, 1 FROM rsdk_schedule_settings", ct).ConfigureAwait(false)).Keys.ToHashSet(StringComparer.Ordinal);
            suspects.UnionWith(ids.Where(id => Now(id) is { HasSettings: false }));
            suspects.UnionWith(known.Keys.Where(id => Now(id) is { HasSettings: true } && !ids.Contains(id)));
        }

        if (unexplained.Blackouts)
        {
            var counts = await KeysAsync(connection, transaction, "SELECT schedule_id, COUNT(*) FROM rsdk_blackouts GROUP BY schedule_id", ct).ConfigureAwait(false);
            suspects.UnionWith(counts.Where(c => Now(c.Key) is { } state && state.Blackouts != c.Value).Select(c => c.Key));
            suspects.UnionWith(known.Keys.Where(id => Now(id) is { Blackouts: > 0 } && !counts.ContainsKey(id)));
        }

        return suspects;
    }

    /// <summary>Reads the rows of <paramref name="ids"/> by primary key into <paramref name="found"/>, 500 to a statement; ids without a row are left out.</summary>
    private async Task ReadByIdsAsync(MySqlConnection connection, MySqlTransaction transaction, IEnumerable<string> ids, Dictionary<string, ScheduleRowState> found, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@k{i}").ToArray();
            var rows = await MySqlScheduleRows.ReadAsync(connection, transaction, $"IN ({string.Join(", ", names)})", _logger, ct,
                [.. chunk.Select((id, i) => (names[i], (object?)id))]).ConfigureAwait(false);
            foreach (var row in rows)
            {
                found[row.Id] = row.State;
            }
        }
    }

    private static async Task<Dictionary<string, long>> KeysAsync(MySqlConnection connection, MySqlTransaction transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var keys = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            keys[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return keys;
    }

    private async Task<ScheduleMarkers> ReadMarkersAsync(MySqlConnection connection, MySqlTransaction transaction, CancellationToken ct)
    {
        ScheduleMarkers? known;
        lock (_lock)
        {
            known = _tracker.Markers;
        }

        // Each window ends at the newest edit the last read saw: the checksum compares like with like until that moves.
        var basis = known?.Tables.Select(t => t.Newest).ToArray() ?? [null, null, null];
        var command = MySqlExecutionStore.Command(connection, transaction, MarkerSql,
            ("@s", ScheduleChangeTracker.Cutoff(basis[0])), ("@sn", basis[0] ?? DateTime.MinValue),
            ("@x", ScheduleChangeTracker.Cutoff(basis[1])), ("@xn", basis[1] ?? DateTime.MinValue),
            ("@b", ScheduleChangeTracker.Cutoff(basis[2])), ("@bn", basis[2] ?? DateTime.MinValue));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        TableMarker Table(int at) => new(
            Convert.ToInt64(reader.GetValue(at), CultureInfo.InvariantCulture),
            reader.IsDBNull(at + 1) ? null : reader.GetDateTime(at + 1),
            Convert.ToInt64(reader.GetValue(at + 2), CultureInfo.InvariantCulture),
            basis[at / 3]);
        return new ScheduleMarkers(Table(0), Table(3), Table(6), reader.GetDateTime(9));
    }

    /// <summary>Fires the token naming <paramref name="changed"/>; for <paramref name="groups"/> (a group or membership write) even naming none.</summary>
    private void Fire(List<string> changed, bool groups = false)
    {
        if (changed.Count == 0 && !groups)
        {
            return;
        }

        ScheduleChangeToken fired;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            fired = _changed;
            _changed = new ScheduleChangeToken();
        }

        if (changed.Count > 0)
        {
            MySqlStoreLog.SchedulesChanged(_logger, changed.Count);
        }
        else
        {
            MySqlStoreLog.GroupsChanged(_logger);
        }

        fired.Fire(changed);
        fired.Dispose();
    }

    /// <summary>A poll, or every <c>ChangeReconcileInterval</c> a full read (it finds what a poll cannot: an edit that did not move <c>updated_at</c>).</summary>
    private async void Poll()
    {
        try
        {
            bool reconcile;
            lock (_lock)
            {
                reconcile = _tracker.IsKnown && _time.GetUtcNow() - _lastFullRead >= _context.Options.ChangeReconcileInterval;
            }

            if (reconcile)
            {
                await GetSchedulesAsync().ConfigureAwait(false);
            }
            else
            {
                await PollAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed poll only delays noticing an edit; the next tick tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MySqlStoreLog.ChangePollFailed(_logger, ex, _context.Options.ChangePollInterval);
        }

        lock (_lock)
        {
            if (!_disposed)
            {
                _poll?.Change(_context.Options.ChangePollInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The rows whose <paramref name="key"/> is exactly one of <paramref name="ids"/>: the list matches along the collated index, and the other spellings it also finds are dropped.</summary>
    private async Task<IReadOnlyList<T>> ReadInAsync<T>(IReadOnlyCollection<string> ids, string sqlBeforeList, Func<MySqlDataReader, T> map, Func<T, string> key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var results = new List<T>();
        if (ids.Count == 0)
        {
            return results;
        }

        var connection = await _context.OpenAsync(ct).ConfigureAwait(false);

        await using var connectionScope = connection.ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@p{i}").ToArray();
            await ReadRowsAsync(connection, null, $"{sqlBeforeList} ({string.Join(", ", names)})", map, results, ct, [.. chunk.Select((id, i) => (names[i], (object?)id))]).ConfigureAwait(false);
        }

        var asked = ids.ToHashSet(StringComparer.Ordinal);
        results.RemoveAll(r => !asked.Contains(key(r)));
        return results;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<MySqlDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        var connection = await _context.OpenAsync(ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var results = new List<T>();
        await ReadRowsAsync(connection, null, sql, map, results, ct, parameters).ConfigureAwait(false);
        return results;
    }

    private static async Task ReadRowsAsync<T>(MySqlConnection connection, MySqlTransaction? transaction, string sql, Func<MySqlDataReader, T> map, List<T> results, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            results.Add(map(reader));
        }
    }

    private static MachineGroup ReadGroup(MySqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        ScheduleId = reader.IsDBNull(2) ? null : reader.GetString(2),
        MaxConcurrentVms = reader.GetInt32(3),
        Priority = reader.GetInt32(4),
    };

    private static GroupMembership ReadMembership(MySqlDataReader reader) => new()
    {
        GroupId = reader.GetString(0),
        VmContextId = reader.GetString(1),
        Enabled = reader.GetBoolean(2),
        Priority = reader.GetInt32(3),
        AddedAt = reader.IsDBNull(4) ? default : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc)),
    };

    private static string? String(MySqlDataReader reader, int ordinal) => MySqlScheduleRows.String(reader, ordinal);
}
