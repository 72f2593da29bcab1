namespace Replication.Sdk.Scheduling;

/// <summary>What decides when a schedule's VMs replicate.</summary>
public enum ScheduleKind
{
    /// <summary>Its <see cref="ReplicationSchedule.CronExpression"/>: every VM at each occurrence (the appliance's kind).</summary>
    Cron = 0,

    /// <summary>
    /// Its <see cref="ReplicationSchedule.RpoTarget"/>, without a cron expression: the engine's RPO planner starts each VM
    /// when its age plus its predicted job duration plus a margin reaches the target (see <c>docs/rpo.md</c>).
    /// </summary>
    Rpo = 1,
}
