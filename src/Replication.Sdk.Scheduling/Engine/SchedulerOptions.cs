namespace Replication.Sdk.Scheduling;

/// <summary>Scheduler engine settings, bound from configuration section <c>Replication:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    /// <summary>
    /// Gets or sets this scheduler instance's id, recorded on executions and leases (key <c>Replication:Scheduler:InstanceId</c>).
    /// Each live process needs its own: a process that finds the id's lease renewed by another refuses to start
    /// (<see cref="DuplicateSchedulerInstanceException"/>). A fixed id lets a restarted process recover its own executions
    /// as soon as its old lease expires; with the default, a survivor (or the restarted process) takes them over once
    /// the old lease lapses.
    /// </summary>
    /// <value>The default value is unique per process: the machine name, the process id and a random suffix.</value>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Gets or sets a cap on active jobs across all schedules, or <see langword="null"/> for none (key <c>Replication:Scheduler:MaxConcurrentJobs</c>).</summary>
    public int? MaxConcurrentJobs { get; set; }

    /// <summary>Gets or sets how late an occurrence may start when its schedule sets no <c>StartingDeadline</c> (key <c>Replication:Scheduler:DefaultStartingDeadline</c>).</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan DefaultStartingDeadline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the first delay between polls of a created job's status; it doubles up to <see cref="JobPollMaxInterval"/> (key <c>Replication:Scheduler:JobPollInterval</c>).</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the longest delay between polls of a job's status (key <c>Replication:Scheduler:JobPollMaxInterval</c>).</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan JobPollMaxInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many VMs' conflict checks run at once (key <c>Replication:Scheduler:CheckParallelism</c>).</summary>
    /// <value>The default value is 8.</value>
    public int CheckParallelism { get; set; } = 8;

    /// <summary>Gets or sets the principal recorded on cron-triggered executions and jobs (key <c>Replication:Scheduler:ScheduledBy</c>).</summary>
    /// <value>The default value is <c>scheduler</c>.</value>
    public string ScheduledBy { get; set; } = "scheduler";

    /// <summary>
    /// Gets or sets how long this instance's lease lasts without renewal; once it lapses, another instance on the same store
    /// takes over this instance's running executions (key <c>Replication:Scheduler:LeaseDuration</c>). Keep it well above
    /// the longest pause a live process may have.
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often the lease is renewed and expired leases of other instances are looked for (key <c>Replication:Scheduler:LeaseRenewInterval</c>).</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how many times a failed execution-store call is retried, so a database blip loses no outcome (key <c>Replication:Scheduler:StoreRetryAttempts</c>).</summary>
    /// <value>The default value is 8.</value>
    public int StoreRetryAttempts { get; set; } = 8;

    /// <summary>Gets or sets the first delay between execution-store retries; it doubles up to 30 seconds (key <c>Replication:Scheduler:StoreRetryDelay</c>).</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan StoreRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets how many finished executions the default in-memory execution store keeps; running ones are always kept
    /// and the oldest finished ones leave first (key <c>Replication:Scheduler:InMemoryHistoryLimit</c>). Durable stores have
    /// their own retention.
    /// </summary>
    /// <value>The default value is 10,000 (<see cref="InMemoryExecutionStore.DefaultHistoryLimit"/>).</value>
    public int InMemoryHistoryLimit { get; set; } = InMemoryExecutionStore.DefaultHistoryLimit;

    /// <summary>
    /// Gets or sets how many VM submissions (each sends at most one create to the OMA) this scheduler instance starts per
    /// second, over all schedules; retries count as starts (key <c>Replication:Scheduler:MaxStartsPerSecond</c>). A VM
    /// over the rate waits for its turn, oldest first; its slot is held meanwhile. The limit is per instance: with several
    /// instances on one OMA, give each its share. <see langword="null"/> starts without a rate limit.
    /// </summary>
    /// <value>The default value is <see langword="null"/>. Between 1 and 10,000.</value>
    public int? MaxStartsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets how many skips of one pause are recorded as executions (<see cref="ExecutionStatus.Skipped"/>, reason
    /// <see cref="ExecutionSkipReason.Paused"/>); past it they are only counted on the pause, and the resume reports the
    /// count (key <c>Replication:Scheduler:MaxPausedSkipRecords</c>). A schedule paused for a month at one occurrence a
    /// minute writes 100 records, not 43,200.
    /// </summary>
    /// <value>The default value is 100. Between 0 and 10,000.</value>
    public int MaxPausedSkipRecords { get; set; } = 100;

    /// <summary>
    /// Gets or sets after how many consecutive <see cref="ExecutionStatus.Failed"/> executions a schedule is paused
    /// automatically, or <see langword="null"/> to never pause automatically (key <c>Replication:Scheduler:AutoPauseAfterFailures</c>).
    /// <see cref="ExecutionStatus.CompletedWithErrors"/> and <see cref="ExecutionStatus.Completed"/> break the streak; skipped,
    /// missed, cancelled and interrupted records neither count nor break it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>. Between 1 and 100.</value>
    public int? AutoPauseAfterFailures { get; set; }

    /// <summary>
    /// Gets or sets the safety margin of RPO planning: a VM of a schedule with an RPO target is due when its age plus its
    /// predicted job duration plus this margin reaches the target (key <c>Replication:Scheduler:RpoMargin</c>).
    /// </summary>
    /// <value>The default value is 15 minutes. Between 0 and 1 day.</value>
    public TimeSpan RpoMargin { get; set; } = RpoConstants.DefaultMargin;

    /// <summary>
    /// Gets or sets how often the RPO planner runs; planning instants are multiples of this interval since the Unix epoch,
    /// the same on every instance and in the forecast (key <c>Replication:Scheduler:RpoPlanningInterval</c>).
    /// </summary>
    /// <value>The default value is 30 seconds. Between 1 second and 1 hour.</value>
    public TimeSpan RpoPlanningInterval { get; set; } = RpoConstants.DefaultPlanningInterval;

    /// <summary>
    /// Gets or sets the transfer rate, in bytes per second, assumed for a VM without completed jobs: its predicted duration
    /// is a full copy of its disks at this rate (key <c>Replication:Scheduler:RpoBytesPerSecond</c>).
    /// </summary>
    /// <value>The default value is 52,428,800 (50 MiB/s). At least 1.</value>
    public long RpoBytesPerSecond { get; set; } = RpoConstants.DefaultBytesPerSecond;

    /// <summary>
    /// Gets or sets the duration assumed for a VM without completed jobs whose disk sizes are unknown (key
    /// <c>Replication:Scheduler:RpoDurationWithoutHistory</c>).
    /// </summary>
    /// <value>The default value is 1 hour. Between 1 second and 7 days.</value>
    public TimeSpan RpoDurationWithoutHistory { get; set; } = RpoConstants.DefaultUnknownDuration;
}
