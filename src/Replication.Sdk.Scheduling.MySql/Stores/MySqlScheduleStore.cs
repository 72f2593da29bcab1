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
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds, x.overlap_policy
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

    private const string FingerprintSql =
        """
        SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', s.id, s.cron_expression, s.timezone, s.enabled, s.replication_type, s.max_concurrent_jobs,
               s.retry_attempts, s.retry_delay_minutes, s.skip_if_running, s.schedule_type, s.updated_at,
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds, x.overlap_policy))), 0)
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

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
        var schedules = await ReadSchedulesAsync(connection, transaction, $"{ScheduleSql} ORDER BY s.id", cancellationToken).ConfigureAwait(false);
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
        return await ReadSchedulesAsync(connection, null, $"{ScheduleSql} WHERE s.id = @id", cancellationToken, ("@id", scheduleId)).ConfigureAwait(false) is [var one, ..] ? one : null;
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
        return (reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    private async Task<IReadOnlyList<ReplicationSchedule>> ReadSchedulesAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var schedules = new List<ReplicationSchedule>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var type = String(reader, 10) ?? "cron";
            var replication = String(reader, 5) ?? "auto";
            var misfire = String(reader, 11);
            var overlap = String(reader, 17);
            string? problem = !string.Equals(type, "cron", StringComparison.OrdinalIgnoreCase)
                ? $"schedule_type '{type}' is not supported (only cron)"
                : ParseReplicationType(replication) is null ? $"replication_type '{replication}' is not one of auto, full, incremental"
                : misfire is not null && !Enum.TryParse<MisfirePolicy>(misfire, ignoreCase: true, out _) ? $"rsdk_schedule_settings.misfire_policy '{misfire}' is not RunLatest or Skip"
                : overlap is not null && ParseOverlapPolicy(overlap) is null ? $"rsdk_schedule_settings.overlap_policy '{overlap}' is not one of {string.Join(", ", Enum.GetNames<OverlapPolicy>())}"
                : null;
            if (problem is not null)
            {
                MySqlStoreLog.ScheduleUnusable(_logger, id, problem);
                continue;
            }

            schedules.Add(new ReplicationSchedule
            {
                Id = id,
                Name = reader.GetString(1),
                CronExpression = reader.GetString(2),
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
            });
        }

        return schedules;
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

    /// <summary>Names only (case-insensitive): a number in the column is refused rather than cast to whatever it happens to be.</summary>
    private static OverlapPolicy? ParseOverlapPolicy(string value) =>
        Enum.GetNames<OverlapPolicy>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<OverlapPolicy>(name) : null;

    private static string? String(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
