namespace Replication.Sdk.Scheduling;

/// <summary>
/// A pause in force, shared by every scheduler instance on one <see cref="IPauseStore"/>, with the tally of what it
/// skipped: every skip is counted, the first <see cref="SchedulerOptions.MaxPausedSkipRecords"/> also by execution id.
/// </summary>
public sealed record PauseState
{
    /// <summary>Gets the pause's unique id: a target paused again after a resume is a new pause with a new tally.</summary>
    public required string Id { get; init; }

    /// <summary>Gets what is paused.</summary>
    public required PauseTarget Target { get; init; }

    /// <summary>Gets why it is paused (recorded on every skip it causes).</summary>
    public required string Reason { get; init; }

    /// <summary>Gets who paused it.</summary>
    public required string PausedBy { get; init; }

    /// <summary>Gets when it was paused, on the scheduler's clock.</summary>
    public required DateTimeOffset PausedAt { get; init; }

    /// <summary>Gets when it resumes by itself, or <see langword="null"/> to stay paused until resumed: no occurrence at or after this instant is skipped.</summary>
    public DateTimeOffset? ResumeAt { get; init; }

    /// <summary>
    /// Gets how many skips the pause caused: occurrences of a paused schedule, or executions in which a paused group's or
    /// VM's VMs were skipped.
    /// </summary>
    public long SkippedCount { get; init; }

    /// <summary>Gets the ids of the executions that recorded the skips, oldest first, up to the cap; past it only <see cref="SkippedCount"/> grows.</summary>
    public IReadOnlyList<string> SkippedExecutionIds { get; init; } = [];

    /// <summary>Gets the last occurrence of a paused schedule that was counted, so an occurrence seen by several scheduler instances counts once.</summary>
    public DateTimeOffset? LastSkippedOccurrence { get; init; }

    /// <summary>Gets a value indicating whether the pause is in force at <paramref name="at"/> (its resume-at has not come).</summary>
    /// <param name="at">The instant.</param>
    /// <returns><see langword="true"/> when in force.</returns>
    public bool IsInForceAt(DateTimeOffset at) => ResumeAt is not { } resumeAt || at < resumeAt;

    /// <summary>Describes the pause in words, as skips record it.</summary>
    /// <returns>For example <c>paused by alice at 2025-06-01T10:00:00.0000000+00:00 until resumed: storage migration</c>.</returns>
    public string Describe() =>
        $"{Target} paused by {PausedBy} at {PausedAt:O} {(ResumeAt is { } r ? $"until {r:O}" : "until resumed")}: {Reason}";
}
