namespace Replication.Sdk.Scheduling.AspNetCore;

// The API's JSON shapes. Enums are written as their names (strings), so a client does not depend on their order.
// Internal: the wire contract is the OpenAPI document, not a C# type a host would reference.

/// <summary>An occurrence, in UTC and in the schedule's own time zone.</summary>
internal sealed record OccurrenceView(DateTimeOffset Utc, DateTimeOffset Local);

/// <summary>A pause in force.</summary>
internal sealed record PauseView(string TargetKind, string TargetId, string Reason, string PausedBy, DateTimeOffset PausedAt, DateTimeOffset? ResumeAt, long SkippedCount)
{
    public static PauseView From(PauseState p) => new(p.Target.Kind.ToString(), p.Target.Id, p.Reason, p.PausedBy, p.PausedAt, p.ResumeAt, p.SkippedCount);
}

/// <summary>The RPO state of a set of VMs: within target, breached, or never completed.</summary>
internal sealed record RpoView(TimeSpan? Target, int Within, int Breached, int NeverCompleted, TimeSpan? OldestAge);

/// <summary>A schedule as the list shows it.</summary>
internal sealed record ScheduleSummaryView(
    string Id, string Name, string CronExpression, string TimeZone, bool Enabled, PauseView? Pause,
    IReadOnlyList<OccurrenceView> NextOccurrences, string? Problem, RpoView Rpo, ExecutionSummaryView? LastExecution, int Running, string Kind = nameof(ScheduleKind.Cron));

/// <summary>A schedule with its settings, groups and recent executions.</summary>
internal sealed record ScheduleDetailView(
    ScheduleSummaryView Summary, string ReplicationType, int MaxConcurrentJobs, int RetryAttempts, TimeSpan RetryDelay, string OverlapPolicy,
    string MisfirePolicy, TimeSpan? StartingDeadline, TimeSpan? Spread, string? Window, int Blackouts, IReadOnlyList<GroupView> Groups,
    IReadOnlyList<ExecutionSummaryView> RecentExecutions);

/// <summary>A machine group as the list of every group shows it: its schedule (<see langword="null"/>: none, as a deleted schedule's groups have), member counts and pause.</summary>
internal sealed record GroupSummaryView(string Id, string Name, string? ScheduleId, int MaxConcurrentVms, int Priority, PauseView? Pause, int MemberCount, int EnabledMemberCount);

/// <summary>A machine group and its members.</summary>
internal sealed record GroupView(string Id, string Name, string? ScheduleId, int MaxConcurrentVms, int Priority, PauseView? Pause, RpoView Rpo, IReadOnlyList<MemberView> Members);

/// <summary>A group membership with the VM's state.</summary>
internal sealed record MemberView(string ContextId, string VmName, bool Enabled, int Priority, DateTimeOffset AddedAt, PauseView? Pause, DateTimeOffset? LastCompletedJobAt, TimeSpan? RpoAge, bool RpoBreached);

/// <summary>An execution as lists show it.</summary>
internal sealed record ExecutionSummaryView(
    string Id, string ScheduleId, DateTimeOffset ScheduledFor, string TriggerKind, string TriggeredBy, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt,
    string Status, string? Reason, string? SkipReason, bool Forced, string? Error, int VmsTotal, int VmsFinished, int JobsCreated, int JobsCompleted, int JobsFailed, int JobsSkipped)
{
    public static ExecutionSummaryView From(ScheduleExecution e) => new(
        e.Id, e.ScheduleId, e.ScheduledFor, e.TriggerKind.ToString(), e.TriggeredBy, e.StartedAt, e.CompletedAt, e.Status.ToString(), e.Reason,
        e.SkipReason?.ToString(), e.Forced, e.Error, e.VmOutcomes.Count, e.VmOutcomes.Count(VmOutcomeView.IsFinished), e.JobsCreated, e.JobsCompleted, e.JobsFailed, e.JobsSkipped);
}

/// <summary>An execution with every VM's outcome.</summary>
internal sealed record ExecutionDetailView(ExecutionSummaryView Summary, string? StopRequestedBy, string? BufferedBehind, IReadOnlyList<VmOutcomeView> VmOutcomes);

/// <summary>One VM's outcome in an execution.</summary>
internal sealed record VmOutcomeView(
    string ContextId, string VmName, string GroupId, string Kind, string? SkipReason, string? Reason, string? JobId, int Attempts, string? Drift,
    DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt)
{
    public static VmOutcomeView From(VmOutcome o) => new(
        o.ContextId, o.VmName, o.GroupId, o.Kind.ToString(), o.SkipReason?.ToString(), o.Reason, o.JobId, o.Attempts,
        o.Drift is { HasChanges: true } d ? d.ToString() : null, o.StartedAt, o.CompletedAt);

    /// <summary>Whether the VM's part of the execution is over (for progress): not waiting, submitting or running.</summary>
    public static bool IsFinished(VmOutcome o) => o.Kind is not (VmOutcomeKind.Pending or VmOutcomeKind.Submitting or VmOutcomeKind.JobInProgress);
}

/// <summary>A VM with its job history and RPO age.</summary>
internal sealed record VmView(
    string ContextId, string VmName, string VCenterHost, string Datacenter, string CurrentStatus, bool SchedulerEnabled, PauseView? Pause,
    DateTimeOffset? LastCompletedJobAt, TimeSpan? RpoAge, IReadOnlyList<VmMembershipView> Memberships, IReadOnlyList<VmHistoryEntry> History);

/// <summary>A group (and its schedule, <see langword="null"/> for a group with none) a VM belongs to.</summary>
internal sealed record VmMembershipView(string? ScheduleId, string? ScheduleName, string GroupId, string GroupName, bool Enabled, TimeSpan? RpoTarget, bool RpoBreached);

/// <summary>A VM's outcome in one execution.</summary>
internal sealed record VmHistoryEntry(string ExecutionId, string ScheduleId, DateTimeOffset StartedAt, string ExecutionStatus, VmOutcomeView Outcome);

/// <summary>A page of a listing.</summary>
internal sealed record PageView<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>What a trigger started.</summary>
internal sealed record TriggerResponse(string ExecutionId, string ScheduleId, bool Forced);

/// <summary>What a resume reports.</summary>
internal sealed record ResumeView(PauseView Pause, string ResumedBy, DateTimeOffset ResumedAt, long SkippedCount, IReadOnlyList<string> SkippedExecutionIds);

/// <summary>The body of a trigger.</summary>
internal sealed record TriggerRequest(string? Reason, bool Force);

/// <summary>The body of a resume: no options yet (an object, so the action's JSON gate and later options fit).</summary>
internal sealed record ResumeRequest;

/// <summary>The body of a pause.</summary>
internal sealed record PauseRequest(string? Reason, string? ResumeAt);
