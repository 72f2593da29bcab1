using System.Text;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// The versioned migrations of the SDK-owned tables (all prefixed <c>rsdk_</c>; the appliance's own tables are never altered).
/// Every statement is idempotent, so a script may be applied twice, and concurrent appliers serialise on a named lock.
/// </summary>
public static class MySqlMigrations
{
    private const string LockName = "replication_sdk_migrations";

    private static readonly Migration[] All =
    [
        new(1, "occurrence claims, execution records, per-VM outcomes, instance leases, schedule settings",
        [
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_schema_version (
              version INT NOT NULL PRIMARY KEY,
              description VARCHAR(255) NOT NULL,
              applied_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_executions (
              execution_id VARCHAR(64) NOT NULL PRIMARY KEY,
              schedule_id VARCHAR(64) NOT NULL,
              scheduled_for DATETIME(0) NOT NULL,
              trigger_kind VARCHAR(16) NOT NULL,
              triggered_by VARCHAR(255) NOT NULL,
              status VARCHAR(32) NOT NULL,
              started_at DATETIME(6) NOT NULL,
              completed_at DATETIME(6) NULL,
              reason TEXT NULL,
              error TEXT NULL,
              instance_id VARCHAR(255) NULL,
              updated_at DATETIME(6) NOT NULL,
              KEY ix_rsdk_executions_status (status),
              KEY ix_rsdk_executions_schedule (schedule_id, scheduled_for)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_occurrence_claims (
              schedule_id VARCHAR(64) NOT NULL,
              scheduled_for DATETIME(0) NOT NULL,
              execution_id VARCHAR(64) NOT NULL,
              PRIMARY KEY (schedule_id, scheduled_for),
              UNIQUE KEY ux_rsdk_occurrence_claims_execution (execution_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_vm_outcomes (
              execution_id VARCHAR(64) NOT NULL,
              ordinal INT NOT NULL,
              context_id VARCHAR(191) NOT NULL,
              vm_name VARCHAR(255) NOT NULL,
              group_id VARCHAR(64) NOT NULL,
              kind VARCHAR(32) NOT NULL,
              skip_reason VARCHAR(32) NULL,
              reason TEXT NULL,
              job_id VARCHAR(191) NULL,
              attempts INT NOT NULL,
              drift JSON NULL,
              started_at DATETIME(6) NULL,
              completed_at DATETIME(6) NULL,
              PRIMARY KEY (execution_id, ordinal),
              UNIQUE KEY ux_rsdk_vm_outcomes_vm (execution_id, context_id),
              CONSTRAINT fk_rsdk_vm_outcomes_execution FOREIGN KEY (execution_id) REFERENCES rsdk_executions (execution_id) ON DELETE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_instance_leases (
              instance_id VARCHAR(255) NOT NULL PRIMARY KEY,
              expires_at DATETIME(6) NOT NULL,
              renewed_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_schedule_settings (
              schedule_id VARCHAR(64) NOT NULL PRIMARY KEY,
              misfire_policy VARCHAR(16) NULL,
              starting_deadline_seconds INT NULL,
              rpo_target_seconds INT NULL,
              ossea_config_id INT NULL,
              target_network VARCHAR(255) NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
        ]),
        new(2, "execution retention: the index the sweep deletes by, per-schedule claim watermarks",
        [
            // The sweep's range scan: finished statuses whose completion is older than the cutoff; never a scan of the whole table.
            new(
                "CREATE INDEX ix_rsdk_executions_finished ON rsdk_executions (status, completed_at)",
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND index_name = 'ix_rsdk_executions_finished'"),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_occurrence_watermarks (
              schedule_id VARCHAR(64) NOT NULL PRIMARY KEY,
              trimmed_through DATETIME(0) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
        ]),
        new(3, "fenced leases: a token per lease acquisition, and the token each execution record is written under",
        [
            new(
                "ALTER TABLE rsdk_instance_leases ADD COLUMN token VARCHAR(64) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_instance_leases' AND column_name = 'token'"),
            new(
                "ALTER TABLE rsdk_executions ADD COLUMN lease_token VARCHAR(64) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND column_name = 'lease_token'"),
        ]),
        new(4, "RPO: the index the last completed job of each VM is read by, and the shared breach state",
        [
            // MAX(completed_at) of a VM's completed outcomes is one index dive per VM, never a scan of the outcomes.
            new(
                "CREATE INDEX ix_rsdk_vm_outcomes_completed ON rsdk_vm_outcomes (context_id, kind, completed_at)",
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'rsdk_vm_outcomes' AND index_name = 'ix_rsdk_vm_outcomes_completed'"),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_rpo_breaches (
              schedule_id VARCHAR(64) NOT NULL,
              context_id VARCHAR(191) NOT NULL,
              vm_name VARCHAR(255) NOT NULL,
              rpo_target_seconds INT NOT NULL,
              last_completed_at DATETIME(6) NULL,
              detected_at DATETIME(6) NOT NULL,
              PRIMARY KEY (schedule_id, context_id),
              KEY ix_rsdk_rpo_breaches_context (context_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
        ]),
        new(5, "operator controls: why an occurrence was skipped, from a closed list",
        [
            new(
                "ALTER TABLE rsdk_executions ADD COLUMN skip_reason VARCHAR(32) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND column_name = 'skip_reason'"),
        ]),
        new(6, "operator controls: the overlap policy, forced triggers, buffered executions and stop requests",
        [
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN overlap_policy VARCHAR(16) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'overlap_policy'"),
            new(
                "ALTER TABLE rsdk_executions ADD COLUMN forced TINYINT(1) NOT NULL DEFAULT 0",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND column_name = 'forced'"),
            new(
                "ALTER TABLE rsdk_executions ADD COLUMN buffered_behind VARCHAR(64) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND column_name = 'buffered_behind'"),
            new(
                "ALTER TABLE rsdk_executions ADD COLUMN stop_requested_by VARCHAR(64) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND column_name = 'stop_requested_by'"),
        ]),
        new(7, "operator controls: pauses of schedules, groups and VMs, and the executions each pause skipped",
        [
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_pauses (
              pause_id VARCHAR(64) NOT NULL PRIMARY KEY,
              target_kind VARCHAR(16) NOT NULL,
              target_id VARCHAR(191) NOT NULL,
              reason TEXT NOT NULL,
              paused_by VARCHAR(255) NOT NULL,
              paused_at DATETIME(6) NOT NULL,
              resume_at DATETIME(6) NULL,
              skipped_count BIGINT NOT NULL DEFAULT 0,
              last_skipped_for DATETIME(0) NULL,
              UNIQUE KEY ux_rsdk_pauses_target (target_kind, target_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_pause_skips (
              pause_id VARCHAR(64) NOT NULL,
              ordinal INT NOT NULL,
              execution_id VARCHAR(64) NOT NULL,
              PRIMARY KEY (pause_id, ordinal),
              CONSTRAINT fk_rsdk_pause_skips_pause FOREIGN KEY (pause_id) REFERENCES rsdk_pauses (pause_id) ON DELETE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
        ]),
        new(8, "operator controls: replication windows and blackout periods",
        [
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN window_text VARCHAR(1024) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'window_text'"),
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN outside_window_policy VARCHAR(16) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'outside_window_policy'"),
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_blackouts (
              schedule_id VARCHAR(64) NOT NULL,
              from_utc DATETIME(6) NOT NULL,
              to_utc DATETIME(6) NOT NULL,
              reason TEXT NULL,
              PRIMARY KEY (schedule_id, from_utc, to_utc)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
        ]),
        new(9, "operator controls: the spread of a schedule's VM starts",
        [
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN spread_seconds INT NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'spread_seconds'"),
        ]),
        new(11, "change detection: an indexed updated_at on the schedule settings and blackouts, so a poll reads only what changed",
        [
            // The server sets it on every insert and update (a DBA's or host's SQL included), like the appliance's own updated_at.
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'updated_at'"),
            new(
                "CREATE INDEX ix_rsdk_schedule_settings_updated ON rsdk_schedule_settings (updated_at)",
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND index_name = 'ix_rsdk_schedule_settings_updated'"),
            new(
                "ALTER TABLE rsdk_blackouts ADD COLUMN updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_blackouts' AND column_name = 'updated_at'"),
            new(
                "CREATE INDEX ix_rsdk_blackouts_updated ON rsdk_blackouts (updated_at)",
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'rsdk_blackouts' AND index_name = 'ix_rsdk_blackouts_updated'"),
        ]),
        new(12, "RPO schedules: a schedule whose VMs the RPO planner starts instead of its cron expression",
        [
            new(
                "ALTER TABLE rsdk_schedule_settings ADD COLUMN schedule_kind VARCHAR(16) NULL",
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rsdk_schedule_settings' AND column_name = 'schedule_kind'"),
        ]),
        new(13, "management: the operator audit log, and an index for listing executions of every schedule by start",
        [
            new("""
            CREATE TABLE IF NOT EXISTS rsdk_audit_records (
              record_id VARCHAR(64) NOT NULL PRIMARY KEY,
              recorded_at DATETIME(6) NOT NULL,
              principal VARCHAR(255) NOT NULL,
              action VARCHAR(32) NOT NULL,
              target VARCHAR(512) NOT NULL,
              outcome VARCHAR(16) NOT NULL,
              detail TEXT NULL,
              execution_id VARCHAR(64) NULL,
              channel VARCHAR(32) NOT NULL,
              KEY ix_rsdk_audit_records_recorded (recorded_at, record_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """),
            new(
                "CREATE INDEX ix_rsdk_executions_started ON rsdk_executions (started_at, execution_id)",
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'rsdk_executions' AND index_name = 'ix_rsdk_executions_started'"),
        ]),
    ];

    /// <summary>Gets the schema version this package needs.</summary>
    public static int CurrentVersion => All[^1].Version;

    /// <summary>Gets the whole migration script, for a DBA to review and apply (safe to apply more than once).</summary>
    /// <returns>The SQL script.</returns>
    public static string GetScript()
    {
        var script = new StringBuilder();
        script.AppendLine("-- Replication.Sdk.Scheduling.MySql: SDK-owned tables. Idempotent; apply as a whole.");
        foreach (var migration in All)
        {
            script.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"-- version {migration.Version}: {migration.Description}");
            foreach (var statement in migration.Statements)
            {
                if (statement.AppliedCheck is null)
                {
                    script.Append(statement.Sql).AppendLine(";");
                }
                else
                {
                    // MySQL has no CREATE INDEX IF NOT EXISTS (MariaDB has): a prepared statement keeps the script idempotent on both.
                    script.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                        $"SET @rsdk_ddl = IF(({statement.AppliedCheck}) = 0, '{statement.Sql.Replace("'", "''", StringComparison.Ordinal)}', 'DO 0');");
                    script.AppendLine("PREPARE rsdk_statement FROM @rsdk_ddl;");
                    script.AppendLine("EXECUTE rsdk_statement;");
                    script.AppendLine("DEALLOCATE PREPARE rsdk_statement;");
                }
            }

            script.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                $"INSERT IGNORE INTO rsdk_schema_version (version, description, applied_at) VALUES ({migration.Version}, '{migration.Description.Replace("'", "''", StringComparison.Ordinal)}', UTC_TIMESTAMP(6));");
        }

        return script.ToString();
    }

    /// <summary>Applies the migrations not yet applied.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>The schema version after applying.</returns>
    public static async Task<int> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new MySqlConnection(connectionString);
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> ApplyAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var take = new MySqlCommand("SELECT GET_LOCK(@name, 60)", connection);
        await using (take.ConfigureAwait(false))
        {
            take.Parameters.AddWithValue("@name", LockName);
            if (Convert.ToInt32(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                throw new TimeoutException("Another process held the migration lock for 60 seconds.");
            }
        }

        try
        {
            // By set, not by "above the highest": versions are numbered by feature and may land out of order (a database
            // at 9 may still lack 7), and every statement is idempotent, so a missing version is simply applied.
            var applied = await GetAppliedVersionsAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                foreach (var statement in migration.Statements)
                {
                    if (statement.AppliedCheck is not null)
                    {
                        var check = new MySqlCommand(statement.AppliedCheck, connection);
                        await using var checkScope = check.ConfigureAwait(false);
                        if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                        {
                            continue;
                        }
                    }

                    var command = new MySqlCommand(statement.Sql, connection);
                    await using var commandScope = command.ConfigureAwait(false);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var record = new MySqlCommand(
                    "INSERT IGNORE INTO rsdk_schema_version (version, description, applied_at) VALUES (@version, @description, UTC_TIMESTAMP(6))", connection);

                await using var recordScope = record.ConfigureAwait(false);
                record.Parameters.AddWithValue("@version", migration.Version);
                record.Parameters.AddWithValue("@description", migration.Description);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration.Version);
            }

            return EffectiveVersion(applied);
        }
        finally
        {
            var release = new MySqlCommand("DO RELEASE_LOCK(@name)", connection);
            await using var releaseScope = release.ConfigureAwait(false);
            release.Parameters.AddWithValue("@name", LockName);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the applied schema version: the highest version up to which every migration this package knows is applied
    /// (a database at 9 that lacks 7 is at 6), or the highest applied when all are; 0 when the SDK-owned tables do not exist.
    /// </summary>
    internal static async Task<int> GetVersionAsync(MySqlConnection connection, CancellationToken cancellationToken) =>
        EffectiveVersion(await GetAppliedVersionsAsync(connection, cancellationToken).ConfigureAwait(false));

    private static int EffectiveVersion(HashSet<int> applied)
    {
        var missing = All.FirstOrDefault(m => !applied.Contains(m.Version));
        return missing is null
            ? Math.Max(CurrentVersion, applied.Count == 0 ? 0 : applied.Max())
            : All.Where(m => m.Version < missing.Version).Select(m => m.Version).DefaultIfEmpty(0).Max();
    }

    private static async Task<HashSet<int>> GetAppliedVersionsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'rsdk_schema_version'", connection);
        await using var existsScope = exists.ConfigureAwait(false);
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return [];
        }

        var read = new MySqlCommand("SELECT version FROM rsdk_schema_version", connection);
        await using var readScope = read.ConfigureAwait(false);
        var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private sealed record Migration(int Version, string Description, Statement[] Statements);

    /// <summary>One DDL statement; <paramref name="AppliedCheck"/> counts what it creates, for statements MySQL cannot write idempotently.</summary>
    private sealed record Statement(string Sql, string? AppliedCheck = null);
}
