namespace Replication.Sdk.Scheduling;

/// <summary>
/// Pauses and resumes schedules, groups and VMs (registered by <c>AddReplicationScheduling</c>). Pauses live in the
/// <see cref="IPauseStore"/>, so every scheduler instance on the store obeys them from its next occurrence on.
/// </summary>
/// <remarks>
/// A paused schedule's occurrences are recorded as <see cref="ExecutionStatus.Skipped"/> with
/// <see cref="ExecutionSkipReason.Paused"/>, up to <see cref="SchedulerOptions.MaxPausedSkipRecords"/> records per pause,
/// then only counted; a manual trigger of it is refused (<see cref="SchedulePausedException"/>). A paused group's or VM's
/// VMs are skipped with <see cref="SkipReason.Paused"/> while the others run.
/// </remarks>
public interface IPauseControl
{
    /// <summary>Pauses a target.</summary>
    /// <param name="target">The schedule, group or VM.</param>
    /// <param name="reason">Why (recorded on every skip the pause causes).</param>
    /// <param name="pausedBy">Who pauses it.</param>
    /// <param name="resumeAt">When it resumes by itself (must be in the future), or <see langword="null"/> to stay paused until resumed.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The pause.</returns>
    /// <exception cref="InvalidPauseRequestException">An unknown target kind, a blank id, reason or principal, or a resume-at not in the future.</exception>
    /// <exception cref="ScheduleNotFoundException">The target is a schedule that does not exist.</exception>
    /// <exception cref="AlreadyPausedException">The target is already paused.</exception>
    Task<PauseState> PauseAsync(PauseTarget target, string reason, string pausedBy, DateTimeOffset? resumeAt = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes a target and reports what its pause skipped.</summary>
    /// <param name="target">The schedule, group or VM.</param>
    /// <param name="resumedBy">Who resumes it.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The report, or <see langword="null"/> when the target was not paused (already resumed, by a call or at its resume-at).</returns>
    /// <exception cref="InvalidPauseRequestException">An unknown target kind, or a blank id or principal.</exception>
    Task<ResumeReport?> ResumeAsync(PauseTarget target, string resumedBy, CancellationToken cancellationToken = default);

    /// <summary>Gets the pauses in force now (pauses whose resume-at has come are ended and reported first).</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The pauses, oldest first.</returns>
    Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default);
}
