using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling;

/// <summary>A replication schedule (the appliance's <c>replication_schedules</c> row, plus SDK policies).</summary>
public sealed record ReplicationSchedule
{
    // Value equality for the record: the compiler compares this field with its own Equals.
    private readonly BlackoutList _blackouts = BlackoutList.Empty;

    /// <summary>Gets the id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what decides when the VMs replicate: the cron expression, or the RPO target.</summary>
    /// <value>The default value is <see cref="ScheduleKind.Cron"/>.</value>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Cron;

    /// <summary>
    /// Gets the cron expression (5 or 6 fields, or a macro); empty for a <see cref="ScheduleKind.Rpo"/> schedule. A field may use <c>H</c>, <c>H(a-b)</c>, <c>H/n</c> or
    /// <c>H(a-b)/n</c>: a value fixed by a stable hash of the schedule id, so schedules sharing an expression do not all fire
    /// at once (the appliance's own scheduler does not read <c>H</c>).
    /// </summary>
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

    /// <summary>Gets what an occurrence that fires while an execution of this schedule still runs does (see <see cref="Scheduling.OverlapPolicy"/>).</summary>
    /// <value>The default value is <see cref="OverlapPolicy.Skip"/>.</value>
    public OverlapPolicy OverlapPolicy { get; init; } = OverlapPolicy.Skip;

    /// <summary>Gets what happens to occurrences missed while the scheduler was down.</summary>
    /// <value>The default value is <see cref="MisfirePolicy.RunLatest"/>.</value>
    public MisfirePolicy MisfirePolicy { get; init; } = MisfirePolicy.RunLatest;

    /// <summary>Gets how late an occurrence may still start; later ones are recorded as missed. <see langword="null"/> uses the scheduler default.</summary>
    public TimeSpan? StartingDeadline { get; init; }

    /// <summary>
    /// Gets how far the starts of an execution's VMs are spread: each VM starts at its own offset in [0, <c>Spread</c>) from
    /// the occurrence, taken from a stable hash of the schedule id and the VM context id, so the same VM starts at the
    /// same offset every time, on every instance. <see langword="null"/> or zero starts every VM as soon as a slot allows.
    /// </summary>
    /// <value>The default value is <see langword="null"/>. At most one day.</value>
    public TimeSpan? Spread { get; init; }

    /// <summary>
    /// Gets the hours in which the schedule may start VMs, as wall-clock hours of <see cref="TimeZone"/>. An occurrence outside
    /// it follows <see cref="OutsideWindowPolicy"/>; VMs not started when it closes end
    /// <see cref="VmOutcomeKind.NotStartedWindowClosed"/> (running jobs go on). A manual trigger is not bound by it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: always open.</value>
    public ReplicationWindow? Window { get; init; }

    /// <summary>Gets what an occurrence outside <see cref="Window"/> becomes.</summary>
    /// <value>The default value is <see cref="Scheduling.OutsideWindowPolicy.Skip"/>.</value>
    public OutsideWindowPolicy OutsideWindowPolicy { get; init; } = OutsideWindowPolicy.Skip;

    /// <summary>
    /// Gets the one-off periods in which the schedule starts nothing, manual triggers included; they win over the window.
    /// Compared by value: two schedules with equal blackouts in the same order are equal records.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<BlackoutPeriod> Blackouts
    {
        get => _blackouts;
        init => _blackouts = BlackoutList.From(value);
    }

    /// <summary>
    /// Gets the recovery point objective: a VM whose last completed job is older raises an RPO breach. Required for a
    /// <see cref="ScheduleKind.Rpo"/> schedule, whose VMs the planner starts to stay within it.
    /// </summary>
    public TimeSpan? RpoTarget { get; init; }

    /// <summary>Gets the OSSEA configuration id for this schedule's jobs (a group or VM setting wins).</summary>
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets the target network for this schedule's jobs (a group or VM setting wins).</summary>
    public string? TargetNetwork { get; init; }
}
