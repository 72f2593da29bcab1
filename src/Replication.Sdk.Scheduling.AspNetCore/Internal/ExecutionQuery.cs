namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>A listing's filters and page (1-based), already validated.</summary>
internal sealed record ExecutionQuery(
    string? ScheduleId, ExecutionStatus? Status, TriggerKind? Trigger, DateTimeOffset? From, DateTimeOffset? Until, string? Vm, bool? FailedOnly, int Page, int PageSize);
