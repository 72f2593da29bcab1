namespace Replication.Sdk.Scheduling;

/// <summary>One operator action: who did what to which target, when, and how it ended.</summary>
public sealed record AuditRecord
{
    /// <summary>Gets the record's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets when the action was taken (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets who took it: the authenticated user's name (or name identifier), at most 255 characters.</summary>
    public required string Principal { get; init; }

    /// <summary>Gets the action: <c>trigger</c>, <c>pause</c>, <c>resume</c>, or a write: <c>update-schedule</c>, <c>delete-schedule</c>, <c>update-group</c>, <c>delete-group</c>, <c>add-member</c>, <c>remove-member</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets the target, as <see cref="PauseTarget.ToString"/> words it (<c>schedule 'nightly'</c>).</summary>
    public required string Target { get; init; }

    /// <summary>Gets how it ended.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>Gets the detail: the reason given, the execution started, or why it was refused or failed.</summary>
    public string? Detail { get; init; }

    /// <summary>Gets the execution a trigger started, if any.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>Gets where the action came from: <c>api</c> or <c>dashboard</c>.</summary>
    public required string Channel { get; init; }
}
