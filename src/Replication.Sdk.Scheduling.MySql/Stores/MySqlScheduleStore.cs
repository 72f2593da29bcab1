using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using MySqlConnector;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IScheduleStore"/> over the appliance's own tables, read as they are: <c>replication_schedules</c>,
/// <c>vm_machine_groups</c>, <c>vm_group_memberships</c> and <c>vm_replication_contexts</c> (with its last successful job in
/// <c>replication_jobs</c>), plus the optional SDK-only settings in <c>rsdk_schedule_settings</c> and the SDK's completed
/// outcomes for <see cref="ScheduledVm.LastCompletedJobAt"/>. Edits by other writers (the OMA GUI) are found by polling a fingerprint of
/// the schedule rows, which fires the change token.
/// </summary>
internal sealed class MySqlScheduleStore : IScheduleStore, IDisposable
{
    private const string ScheduleSql =
        """
        SELECT s.id, s.name, s.cron_expression, s.timezone, s.enabled, s.replication_type, s.max_concurrent_jobs, s.retry_attempts,
               s.retry_delay_minutes, s.skip_if_running, s.schedule_type,
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds,
               x.window_text, x.outside_window_policy, x.overlap_policy, x.schedule_kind
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

    private const string FingerprintSql =
        """
        SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', s.id, s.cron_expression, s.timezone, s.enabled, s.replication_type, s.max_concurrent_jobs,
               s.retry_attempts, s.retry_delay_minutes, s.skip_if_running, s.schedule_type, s.updated_at,
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds,
               x.window_text, x.outside_window_policy, x.overlap_policy, x.schedule_kind))), 0)
               + (SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', b.schedule_id, b.from_utc, b.to_utc, b.reason))), 0) FROM rsdk_blackouts b),
               (SELECT COUNT(*) FROM rsdk_blackouts)
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

    private const string BlackoutSql = "SELECT schedule_id, from_utc, to_utc, reason FROM rsdk_blackouts";

    private readonly MySqlStoreContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger<MySqlScheduleStore> _logger;
    private readonly Lock _lock = new();
    private CancellationTokenSource _changed = new();
    private ITimer? _poll;
    private (long Count, long Sum)? _fingerprint;
    private bool _disposed;

    public MySqlScheduleStore(MySqlStoreContext context, TimeProvider time, ILogger<MySqlScheduleStore> logger)
    {
        _context = context;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads every schedule and, in the same snapshot, the fingerprint later polls compare with: an edit after this read always fires the token.</summary>
    public async Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var fingerprint = await FingerprintAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var schedules = await ReadSchedulesAsync(connection, transaction, $"{ScheduleSql} ORDER BY s.id", null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _fingerprint = fingerprint;
        }

        return schedules;
    }

    public async Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await ReadSchedulesAsync(connection, null, $"{ScheduleSql} WHERE s.id = @id", scheduleId, cancellationToken, ("@id", scheduleId)).ConfigureAwait(false) is [var one, ..] ? one : null;
    }

    public async Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = MySqlExecutionStore.Command(connection, null,
            "SELECT id, name, schedule_id, max_concurrent_vms, priority FROM vm_machine_groups WHERE schedule_id = @schedule ORDER BY priority, name",
            ("@schedule", scheduleId));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var groups = new List<MachineGroup>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(new MachineGroup
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                ScheduleId = reader.IsDBNull(2) ? null : reader.GetString(2),
                MaxConcurrentVms = reader.GetInt32(3),
                Priority = reader.GetInt32(4),
            });
        }

        return groups;
    }

    public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) =>
        ReadInAsync(groupIds, "SELECT group_id, vm_context_id, enabled, priority, added_at FROM vm_group_memberships WHERE group_id IN", reader => new GroupMembership
        {
            GroupId = reader.GetString(0),
            VmContextId = reader.GetString(1),
            Enabled = reader.GetBoolean(2),
            Priority = reader.GetInt32(3),
            AddedAt = reader.IsDBNull(4) ? default : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc)),
        }, cancellationToken);

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
            cancellationToken);

    public IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One-shot, re-armed after each poll, so polls never overlap and a slow database only spaces them out.
            _poll ??= _time.CreateTimer(static s => ((MySqlScheduleStore)s!).Poll(), this, _context.Options.ChangePollInterval, Timeout.InfiniteTimeSpan);
            return new CancellationChangeToken(_changed.Token);
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
        }
    }

    /// <summary>Compares the schedule rows with the last full read (the timer does it every <c>ChangePollInterval</c>).</summary>
    internal async Task PollAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var fingerprint = await FingerprintAsync(connection, null, cancellationToken).ConfigureAwait(false);
        CancellationTokenSource? fired = null;
        lock (_lock)
        {
            if (_fingerprint is { } last && last != fingerprint && !_disposed)
            {
                fired = _changed;
                _changed = new CancellationTokenSource();
                _fingerprint = fingerprint;
            }
        }

        if (fired is not null)
        {
            MySqlStoreLog.SchedulesChanged(_logger);
            await fired.CancelAsync().ConfigureAwait(false);
            fired.Dispose();
        }
    }

    private async void Poll()
    {
        try
        {
            await PollAsync().ConfigureAwait(false);
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

    private static async Task<(long Count, long Sum)> FingerprintAsync(MySqlConnection connection, MySqlTransaction? transaction, CancellationToken ct)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, FingerprintSql);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        // Schedule rows plus blackout rows: adding or removing a blackout changes the count even on a CRC collision.
        return (reader.GetInt64(0) + reader.GetInt64(2), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    // onlyId: the one schedule read (its blackouts alone are read), or null for all.
    private async Task<IReadOnlyList<ReplicationSchedule>> ReadSchedulesAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, string? onlyId, CancellationToken ct, params (string, object?)[] parameters)
    {
        var rows = new List<(ReplicationSchedule Schedule, string? Problem)>();
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(ReadSchedule(reader));
            }
        }

        var blackouts = await ReadBlackoutsAsync(connection, transaction, onlyId, ct).ConfigureAwait(false);
        var schedules = new List<ReplicationSchedule>();
        foreach (var (schedule, rowProblem) in rows)
        {
            var periods = blackouts.GetValueOrDefault(schedule.Id);
            var problem = rowProblem ?? periods?.Problem;
            if (problem is not null)
            {
                MySqlStoreLog.ScheduleUnusable(_logger, schedule.Id, problem);
                continue;
            }

            schedules.Add(periods is null ? schedule : schedule with { Blackouts = periods.Periods });
        }

        return schedules;
    }

    private static (ReplicationSchedule Schedule, string? Problem) ReadSchedule(MySqlDataReader reader)
    {
        var id = reader.GetString(0);
        var type = String(reader, 10) ?? "cron";
        var replication = String(reader, 5) ?? "auto";
        var misfire = String(reader, 11);
        var windowText = String(reader, 17);
        var outside = String(reader, 18);
        var overlap = String(reader, 19);
        var kind = String(reader, 20);
        ReplicationWindow? window = null;
        string? windowError = null;
        var windowInvalid = windowText is not null && !ReplicationWindow.TryParse(windowText, out window, out windowError);
        string? problem = !string.Equals(type, "cron", StringComparison.OrdinalIgnoreCase)
            ? $"schedule_type '{type}' is not supported (only cron)"
            : ParseReplicationType(replication) is null ? $"replication_type '{replication}' is not one of auto, full, incremental"
            : misfire is not null && !Enum.TryParse<MisfirePolicy>(misfire, ignoreCase: true, out _) ? $"rsdk_schedule_settings.misfire_policy '{misfire}' is not RunLatest or Skip"
            : windowInvalid ? $"rsdk_schedule_settings.window_text is invalid: {windowError}"
            : outside is not null && !Enum.TryParse<OutsideWindowPolicy>(outside, ignoreCase: true, out _) ? $"rsdk_schedule_settings.outside_window_policy '{outside}' is not Skip or Defer"
            : overlap is not null && ParseOverlapPolicy(overlap) is null ? $"rsdk_schedule_settings.overlap_policy '{overlap}' is not one of {string.Join(", ", Enum.GetNames<OverlapPolicy>())}"
            : kind is not null && ParseKind(kind) is null ? $"rsdk_schedule_settings.schedule_kind '{kind}' is not Cron or Rpo"
            : null;
        var schedule = new ReplicationSchedule { Id = id, Name = reader.GetString(1), CronExpression = reader.GetString(2) };
        if (problem is not null)
        {
            return (schedule, problem);
        }

        return (schedule with
        {
            TimeZone = String(reader, 3) is { Length: > 0 } zone ? zone : "UTC",
            Enabled = reader.GetBoolean(4),
            ReplicationType = ParseReplicationType(replication)!.Value,
            MaxConcurrentJobs = reader.GetInt32(6),
            RetryAttempts = reader.GetInt32(7),
            RetryDelay = TimeSpan.FromMinutes(reader.GetInt32(8)),
            // The appliance's boolean maps to the two policies it knows; the SDK's own column, when set, wins.
            OverlapPolicy = overlap is not null ? ParseOverlapPolicy(overlap)!.Value : reader.GetBoolean(9) ? OverlapPolicy.Skip : OverlapPolicy.AllowAll,
            MisfirePolicy = misfire is null ? MisfirePolicy.RunLatest : Enum.Parse<MisfirePolicy>(misfire, ignoreCase: true),
            StartingDeadline = reader.IsDBNull(12) ? null : TimeSpan.FromSeconds(reader.GetInt32(12)),
            RpoTarget = reader.IsDBNull(13) ? null : TimeSpan.FromSeconds(reader.GetInt32(13)),
            OsseaConfigId = reader.IsDBNull(14) ? null : reader.GetInt32(14),
            TargetNetwork = String(reader, 15),
            Spread = reader.IsDBNull(16) ? null : TimeSpan.FromSeconds(reader.GetInt32(16)),
            Window = window,
            OutsideWindowPolicy = outside is null ? OutsideWindowPolicy.Skip : Enum.Parse<OutsideWindowPolicy>(outside, ignoreCase: true),

            // An RPO schedule's row keeps whatever cron the appliance's table requires; the SDK does not fire it.
            Kind = kind is null ? ScheduleKind.Cron : ParseKind(kind)!.Value,
            CronExpression = kind is not null && ParseKind(kind) == ScheduleKind.Rpo ? "" : schedule.CronExpression,
        }, null);
    }

    // Names only (a number would be accepted by Enum.TryParse).
    private static ScheduleKind? ParseKind(string text) =>
        Enum.GetNames<ScheduleKind>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<ScheduleKind>(name) : null;

    /// <summary>Each schedule's blackout periods, oldest first; a row that does not end after it begins makes its schedule unusable, like any invalid setting.</summary>
    private static async Task<Dictionary<string, ScheduleBlackouts>> ReadBlackoutsAsync(MySqlConnection connection, MySqlTransaction? transaction, string? onlyId, CancellationToken ct)
    {
        var command = onlyId is null
            ? MySqlExecutionStore.Command(connection, transaction, $"{BlackoutSql} ORDER BY schedule_id, from_utc, to_utc")
            : MySqlExecutionStore.Command(connection, transaction, $"{BlackoutSql} WHERE schedule_id = @id ORDER BY from_utc, to_utc", ("@id", onlyId));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var result = new Dictionary<string, ScheduleBlackouts>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var from = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
            var to = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
            if (!result.TryGetValue(id, out var entry))
            {
                result[id] = entry = new ScheduleBlackouts();
            }

            if (to <= from)
            {
                entry.Problem ??= string.Create(CultureInfo.InvariantCulture, $"rsdk_blackouts row from {from:O} to {to:O} does not end after it begins");
                continue;
            }

            entry.Periods.Add(new BlackoutPeriod(from, to, String(reader, 3)));
        }

        return result;
    }

    private async Task<IReadOnlyList<T>> ReadInAsync<T>(IReadOnlyCollection<string> ids, string sqlBeforeList, Func<MySqlDataReader, T> map, CancellationToken ct)
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
            var command = MySqlExecutionStore.Command(connection, null, $"{sqlBeforeList} ({string.Join(", ", names)})",
                [.. chunk.Select((id, i) => (names[i], (object?)id))]);
            await using var commandScope = command.ConfigureAwait(false);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                results.Add(map(reader));
            }
        }

        return results;
    }

    private static ReplicationType? ParseReplicationType(string value) => value.ToUpperInvariant() switch
    {
        "AUTO" or "" => ReplicationType.Auto,
        "FULL" => ReplicationType.Full,
        "INCREMENTAL" => ReplicationType.Incremental,
        _ => null,
    };

    private static OverlapPolicy? ParseOverlapPolicy(string value) =>
        Enum.GetNames<OverlapPolicy>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<OverlapPolicy>(name) : null;

    private static string? String(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed class ScheduleBlackouts
    {
        public List<BlackoutPeriod> Periods { get; } = [];

        public string? Problem { get; set; }
    }
}
