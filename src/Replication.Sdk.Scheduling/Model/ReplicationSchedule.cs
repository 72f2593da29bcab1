using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>A replication schedule (the appliance's <c>replication_schedules</c> row, plus SDK policies).</summary>
public sealed record ReplicationSchedule
{
    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the cron expression (5 or 6 fields, or a macro).</summary>
    public required string CronExpression { get; init; }

    /// <summary>Gets the IANA time zone the expression is evaluated in.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Gets a value indicating whether the schedule fires.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the replication type of the jobs it creates.</summary>
    /// <value>The default value is <see cref="Jobs.ReplicationType.Auto"/>.</value>
    public ReplicationType ReplicationType { get; init; } = ReplicationType.Auto;

    /// <summary>Gets how many of this schedule's jobs may be active at once (its own jobs only).</summary>
    /// <value>The default value is 1.</value>
    public int MaxConcurrentJobs { get; init; } = 1;

    /// <summary>Gets how many times a transiently failed VM submission is retried.</summary>
    /// <value>The default value is 3.</value>
    public int RetryAttempts { get; init; } = 3;

    /// <summary>Gets the delay between retries.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets a value indicating whether an occurrence that fires while this schedule's previous execution runs is skipped (recorded) rather than run.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SkipIfRunning { get; init; } = true;

    /// <summary>Gets what happens to occurrences missed while the scheduler was down.</summary>
    /// <value>The default value is <see cref="MisfirePolicy.RunLatest"/>.</value>
    public MisfirePolicy MisfirePolicy { get; init; } = MisfirePolicy.RunLatest;

    /// <summary>Gets how late an occurrence may still start; later ones are recorded as missed. <see langword="null"/> uses the scheduler default.</summary>
    public TimeSpan? StartingDeadline { get; init; }

    /// <summary>Gets the recovery point objective: a VM whose last completed job is older raises an RPO breach.</summary>
    public TimeSpan? RpoTarget { get; init; }

    /// <summary>Gets the OSSEA configuration id for this schedule's jobs (a group or VM setting wins).</summary>
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the target network for this schedule's jobs (a group or VM setting wins).</summary>
    public string? TargetNetwork { get; init; }
}
