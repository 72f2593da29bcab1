namespace Replication.Sdk.Scheduling;

/// <summary>When a selected VM's submission may start at the earliest (slots and the start rate may hold it later).</summary>
/// <param name="ContextId">The VM context id.</param>
/// <param name="At">The earliest start.</param>
public sealed record PlannedStart(string ContextId, DateTimeOffset At);
