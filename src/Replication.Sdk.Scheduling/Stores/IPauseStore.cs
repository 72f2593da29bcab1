namespace Replication.Sdk.Scheduling;

/// <summary>
/// The pauses of schedules, groups and VMs, shared by every scheduler instance on one store: a pause made through one
/// instance is obeyed by all (each reads the pauses before each occurrence). At most one pause per target.
/// </summary>
public interface IPauseStore
{
    /// <summary>Gets every pause, expired ones included (the caller decides by its clock).</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The pauses.</returns>
    Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a pause unless its target is already paused: of concurrent callers exactly one adds it.</summary>
    /// <param name="pause">The pause, with an empty tally.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="null"/> when added; otherwise the pause already in force for the target.</returns>
    Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default);

    /// <summary>Removes the pause of a target: of concurrent callers exactly one gets it back.</summary>
    /// <param name="target">The target.</param>
    /// <param name="pauseId">Only this pause (an automatic resume must not end a newer pause of the same target), or <see langword="null"/> for any.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>The removed pause with its tally, or <see langword="null"/> when there was none.</returns>
    Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a skip the pause caused, atomically: the count grows by one and, while it stays within <paramref name="cap"/>,
    /// the execution id is kept. With <paramref name="occurrence"/> (a paused schedule's occurrence, seen by every instance)
    /// the skip counts only when the occurrence is later than the last one counted, so exactly one instance counts it.
    /// </summary>
    /// <param name="pauseId">The pause.</param>
    /// <param name="executionId">The execution that records the skip (to be written when <see cref="PauseSkipTally.Recorded"/>).</param>
    /// <param name="occurrence">The occurrence skipped, or <see langword="null"/> for a group's or VM's skip inside an execution.</param>
    /// <param name="cap">How many execution ids a pause keeps.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>What was done.</returns>
    Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default);
}
