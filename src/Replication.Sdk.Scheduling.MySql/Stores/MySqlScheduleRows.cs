using System.Globalization;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Reads schedule rows: <c>replication_schedules</c> with its <c>rsdk_schedule_settings</c> and <c>rsdk_blackouts</c>, each
/// row with the state the change tracker compares (<see cref="ScheduleRowState"/>). A row with an invalid value is read
/// (so its fix is noticed) but not usable: it is logged and left out of the schedules.
/// </summary>
internal static class MySqlScheduleRows
{
    private const string ScheduleSql =
        """
        SELECT s.id, s.name, s.cron_expression, s.timezone, s.enabled, s.replication_type, s.max_concurrent_jobs, s.retry_attempts,
               s.retry_delay_minutes, s.skip_if_running, s.schedule_type,
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds,
               x.window_text, x.outside_window_policy, x.overlap_policy, x.schedule_id, x.schedule_kind
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

    private const string BlackoutSql = "SELECT schedule_id, from_utc, to_utc, reason FROM rsdk_blackouts";

    /// <summary>
    /// Reads the rows whose id matches <paramref name="idFilter"/> (SQL over <c>s.id</c> for the schedules and over
    /// <c>schedule_id</c> for the blackouts, such as <c>IN (...)</c>), or every row when it is <see langword="null"/>.
    /// </summary>
    public static Task<List<ScheduleRow>> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, string? idFilter, ILogger logger, CancellationToken ct, params (string, object?)[] parameters) =>
        ReadRowsAsync(connection, transaction, idFilter, "", parameters, logger, ct);

    /// <summary>
    /// The schedule <paramref name="scheduleId"/>, exactly (<see cref="MySqlIds"/>), as <c>GetScheduleAsync</c> reads it:
    /// <see langword="null"/> when there is none or its row is not usable. With <paramref name="forUpdate"/> (inside a
    /// write's <paramref name="transaction"/>) a locking read of its rows, which sees the newest committed version and
    /// holds them until the transaction ends.
    /// </summary>
    public static async Task<ReplicationSchedule?> ReadScheduleAsync(MySqlConnection connection, MySqlTransaction? transaction, string scheduleId, bool forUpdate, ILogger logger, CancellationToken ct)
    {
        var rows = await ReadRowsAsync(connection, transaction, "= @id", forUpdate ? " FOR UPDATE" : "", [("@id", scheduleId)], logger, ct).ConfigureAwait(false);
        return rows.FirstOrDefault(r => MySqlIds.Same(r.Id, scheduleId))?.Schedule;
    }

    private static async Task<List<ScheduleRow>> ReadRowsAsync(MySqlConnection connection, MySqlTransaction? transaction, string? idFilter, string locking, (string, object?)[] parameters, ILogger logger, CancellationToken ct)
    {
        var rows = new List<(ReplicationSchedule Schedule, string? Problem, int Hash, bool HasSettings)>();
        var command = MySqlExecutionStore.Command(connection, transaction, idFilter is null ? $"{ScheduleSql} ORDER BY s.id{locking}" : $"{ScheduleSql} WHERE s.id {idFilter}{locking}", parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var (schedule, problem) = ReadSchedule(reader);
                rows.Add((schedule, problem, Hash(reader), !reader.IsDBNull(20)));
            }
        }

        var blackouts = rows.Count == 0 ? [] : await ReadBlackoutsAsync(connection, transaction, idFilter, locking, parameters, ct).ConfigureAwait(false);
        var result = new List<ScheduleRow>(rows.Count);
        foreach (var (schedule, rowProblem, hash, hasSettings) in rows)
        {
            var periods = blackouts.GetValueOrDefault(schedule.Id);
            var state = new ScheduleRowState(HashCode.Combine(hash, periods?.Hash ?? 0), hasSettings, periods?.Rows ?? 0);
            var problem = rowProblem ?? periods?.Problem;
            if (problem is not null)
            {
                MySqlStoreLog.ScheduleUnusable(logger, schedule.Id, problem);
                result.Add(new ScheduleRow(schedule.Id, null, state));
                continue;
            }

            result.Add(new ScheduleRow(schedule.Id, periods is null ? schedule : schedule with { Blackouts = periods.Periods }, state));
        }

        return result;
    }

    /// <summary>Every column read, so any edit of the row or of its settings changes it (kept in memory only, so the process's hash seed does not matter).</summary>
    private static int Hash(MySqlDataReader reader)
    {
        var hash = new HashCode();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            hash.Add(reader.IsDBNull(i) ? null : reader.GetValue(i));
        }

        return hash.ToHashCode();
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
        var kind = String(reader, 21);
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
    private static async Task<Dictionary<string, ScheduleBlackouts>> ReadBlackoutsAsync(MySqlConnection connection, MySqlTransaction? transaction, string? idFilter, string locking, (string, object?)[] parameters, CancellationToken ct)
    {
        var command = idFilter is null
            ? MySqlExecutionStore.Command(connection, transaction, $"{BlackoutSql} ORDER BY schedule_id, from_utc, to_utc{locking}")
            : MySqlExecutionStore.Command(connection, transaction, $"{BlackoutSql} WHERE schedule_id {idFilter} ORDER BY schedule_id, from_utc, to_utc{locking}", parameters);
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

            var reason = String(reader, 3);
            entry.Rows++;
            entry.Hash = HashCode.Combine(entry.Hash, from, to, reason);
            if (to <= from)
            {
                entry.Problem ??= string.Create(CultureInfo.InvariantCulture, $"rsdk_blackouts row from {from:O} to {to:O} does not end after it begins");
                continue;
            }

            entry.Periods.Add(new BlackoutPeriod(from, to, reason));
        }

        return result;
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

    internal static string? String(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed class ScheduleBlackouts
    {
        public List<BlackoutPeriod> Periods { get; } = [];

        public string? Problem { get; set; }

        public int Rows { get; set; }

        public int Hash { get; set; }
    }
}
