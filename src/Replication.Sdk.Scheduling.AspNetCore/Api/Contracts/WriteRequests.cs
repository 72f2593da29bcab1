namespace Replication.Sdk.Scheduling.AspNetCore;

// The bodies of the writes. A PUT replaces the whole resource: a setting left out takes its default, as in a new
// ReplicationSchedule or MachineGroup. Enums are their names (case-insensitive), as the views write them.

/// <summary>The body of <c>PUT /schedules/{scheduleId}</c>: the schedule's settings.</summary>
internal sealed record ScheduleRequest(
    string? Name,
    string? Kind,
    string? CronExpression,
    string? TimeZone,
    bool? Enabled,
    string? ReplicationType,
    int? MaxConcurrentJobs,
    int? RetryAttempts,
    TimeSpan? RetryDelay,
    string? OverlapPolicy,
    string? MisfirePolicy,
    TimeSpan? StartingDeadline,
    TimeSpan? Spread,
    string? Window,
    string? OutsideWindowPolicy,
    IReadOnlyList<BlackoutRequest>? Blackouts,
    TimeSpan? RpoTarget,
    int? OsseaConfigId,
    string? TargetNetwork)
{
    /// <summary>Gets the body of an empty request: every setting at its default (and no name, which is refused).</summary>
    public static ScheduleRequest Empty { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}

/// <summary>A blackout period of a <see cref="ScheduleRequest"/>: [from, to), both required, each with its offset.</summary>
internal sealed record BlackoutRequest(DateTimeOffset? From, DateTimeOffset? To, string? Reason);

/// <summary>The body of <c>PUT /groups/{groupId}</c>.</summary>
internal sealed record GroupRequest(string? Name, string? ScheduleId, int? MaxConcurrentVms, int? Priority, int? OsseaConfigId, string? TargetNetwork);

/// <summary>The body of <c>PUT /groups/{groupId}/members/{contextId}</c> (optional).</summary>
internal sealed record MemberRequest(bool? Enabled, int? Priority);
