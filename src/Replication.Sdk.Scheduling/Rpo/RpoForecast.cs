namespace Replication.Sdk.Scheduling;

/// <summary>What the RPO planner predicts for a schedule over a horizon (<see cref="IRpoForecaster"/>).</summary>
public sealed record RpoForecast
{
    /// <summary>The longest horizon one forecast covers.</summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(31);

    /// <summary>Gets the schedule id.</summary>
    public required string ScheduleId { get; init; }

    /// <summary>Gets the target R.</summary>
    public required TimeSpan RpoTarget { get; init; }

    /// <summary>Gets where the simulation started (now).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the simulated span.</summary>
    public required TimeSpan Horizon { get; init; }

    /// <summary>Gets a value indicating whether every group's target is attainable.</summary>
    public bool Attainable => Groups.All(g => g.Attainable);

    /// <summary>Gets the VMs the schedule would replicate, in selection order.</summary>
    public required IReadOnlyList<VmRpoForecast> Vms { get; init; }

    /// <summary>Gets the schedule's groups that have VMs to replicate, in run order.</summary>
    public required IReadOnlyList<GroupRpoForecast> Groups { get; init; }
}

/// <summary>One VM's forecast.</summary>
public sealed record VmRpoForecast
{
    /// <summary>Gets the VM context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the group it runs in.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets its predicted job duration (the weighted mean of its recent jobs, or the no-history default).</summary>
    public required TimeSpan PredictedDuration { get; init; }

    /// <summary>Gets a value indicating whether its duration was predicted from its own completed jobs.</summary>
    public required bool FromHistory { get; init; }

    /// <summary>Gets the largest age its newest replica reaches in the horizon, counted once it has one; <see langword="null"/> if it gets none.</summary>
    public required TimeSpan? WorstAge { get; init; }

    /// <summary>Gets the share of the horizon in which its age is within the target, in percent (time without a replica counts as outside).</summary>
    public required double CompliancePercent { get; init; }

    /// <summary>Gets how many jobs the simulation started for it.</summary>
    public required int Jobs { get; init; }

    /// <summary>Gets when its next job is predicted to start, if within the horizon.</summary>
    public DateTimeOffset? NextStartAt { get; init; }

    /// <summary>Gets its newest completed job when the forecast started; <see langword="null"/>: it has no replica.</summary>
    public DateTimeOffset? LastCompletedJobAt { get; init; }

    /// <summary>Gets when its first replica completes, for a VM that has none now.</summary>
    public DateTimeOffset? FirstReplicaAt { get; init; }

    /// <summary>Gets a value indicating whether its target is attainable: it gets a replica and its worst age stays within the target.</summary>
    public required bool Attainable { get; init; }
}

/// <summary>One group's forecast.</summary>
public sealed record GroupRpoForecast
{
    /// <summary>Gets the group id.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets the group name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets a value indicating whether every VM of the group meets the target.</summary>
    public required bool Attainable { get; init; }

    /// <summary>Gets the worst age over the group's VMs.</summary>
    public required TimeSpan? WorstAge { get; init; }

    /// <summary>Gets the mean compliance of the group's VMs, in percent.</summary>
    public required double CompliancePercent { get; init; }
}
