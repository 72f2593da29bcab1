namespace Replication.Sdk.Scheduling;

/// <summary>What a pause skipped, reported when it ends (by <see cref="IPauseControl.ResumeAsync"/> or at its resume-at).</summary>
/// <param name="Pause">The pause as it ended, with its tally.</param>
/// <param name="ResumedBy">Who resumed it (the scheduler's <see cref="SchedulerOptions.ScheduledBy"/> for an automatic resume).</param>
/// <param name="ResumedAt">When it ended: the resume call, or the pause's resume-at.</param>
/// <param name="Automatic">Whether it ended at its resume-at rather than by a call.</param>
public sealed record ResumeReport(PauseState Pause, string ResumedBy, DateTimeOffset ResumedAt, bool Automatic)
{
    /// <summary>Gets how many skips the pause caused.</summary>
    public long SkippedCount => Pause.SkippedCount;

    /// <summary>Gets the ids of the executions that recorded the skips, up to the cap.</summary>
    public IReadOnlyList<string> SkippedExecutionIds => Pause.SkippedExecutionIds;
}
