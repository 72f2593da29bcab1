namespace Replication.Sdk.Scheduling.MySql;

/// <summary>Settings of the MariaDB/MySQL scheduler stores, bound from configuration section <c>Replication:Scheduler:MySql</c>.</summary>
public sealed class MySqlStoreOptions
{
    /// <summary>
    /// Gets or sets the MySqlConnector connection string of the appliance database (key <c>Replication:Scheduler:MySql:ConnectionString</c>).
    /// It holds a password: supply it from a secret store or environment variable, never from a committed file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the SDK-owned tables are created or upgraded when the stores start
    /// (key <c>Replication:Scheduler:MySql:ApplyMigrationsOnStart</c>). When <see langword="false"/>, a DBA applies
    /// <see cref="MySqlMigrations.GetScript"/> and the stores only check the schema version.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ApplyMigrationsOnStart { get; set; }

    /// <summary>
    /// Gets or sets how often the schedule tables are checked for edits made by other writers (the OMA GUI or API), so an
    /// edited cron re-plans within this interval (key <c>Replication:Scheduler:MySql:ChangePollInterval</c>).
    /// </summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how often the change poll is replaced by a full read of every schedule row, compared row by row with the
    /// last read (key <c>Replication:Scheduler:MySql:ChangeReconcileInterval</c>). The poll finds edits by the tables'
    /// <c>updated_at</c> and row counts at the cost of one aggregate statement; this safety net also finds an edit that
    /// left <c>updated_at</c> unchanged (a hand-written UPDATE that set it back) or committed long after its timestamp.
    /// </summary>
    /// <value>The default value is 10 minutes; otherwise between 1 second and 1 day.</value>
    public TimeSpan ChangeReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the timeout of one SQL command (key <c>Replication:Scheduler:MySql:CommandTimeout</c>).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long finished executions are kept in the SDK-owned tables (key
    /// <c>Replication:Scheduler:MySql:ExecutionRetention</c>). A background sweep deletes older finished executions from
    /// <c>rsdk_executions</c>, their <c>rsdk_vm_outcomes</c> and their <c>rsdk_occurrence_claims</c>, in small batches;
    /// running executions and the newest execution of each schedule are always kept, and a trimmed occurrence can never be
    /// claimed again. The appliance's own <c>schedule_executions</c> table is never purged. <see cref="TimeSpan.Zero"/>
    /// turns the sweep off (the tables then grow without bound).
    /// </summary>
    /// <value>The default value is 90 days; otherwise between 1 day and 3650 days.</value>
    public TimeSpan ExecutionRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Gets or sets how long operator audit records are kept in <c>rsdk_audit_records</c> (key
    /// <c>Replication:Scheduler:MySql:AuditRetention</c>); the retention sweep deletes older ones in small batches.
    /// <see cref="TimeSpan.Zero"/> keeps them for ever.
    /// </summary>
    /// <value>The default value is 400 days (a year's audit with a margin); otherwise between 1 day and 3650 days.</value>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// Gets or sets a value indicating whether schedules, groups and memberships may be written through
    /// <see cref="IScheduleStoreWriter"/> (the management API's <c>PUT</c> and <c>DELETE</c>), into the appliance's
    /// <c>replication_schedules</c>, <c>vm_machine_groups</c> and <c>vm_group_memberships</c> and the SDK's
    /// <c>rsdk_schedule_settings</c> and <c>rsdk_blackouts</c> (key <c>Replication:Scheduler:MySql:AllowScheduleWrites</c>).
    /// Off, the appliance's tables are only read and no writer is registered.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowScheduleWrites { get; set; }
}
