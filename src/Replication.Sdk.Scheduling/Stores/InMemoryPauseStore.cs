namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IPauseStore"/>, the default. Schedulers in one process share pauses by registering
/// one instance; its state ends with the process.
/// </summary>
public sealed class InMemoryPauseStore : IPauseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PauseTarget, PauseState> _pauses = [];

    /// <inheritdoc/>
    public Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PauseState>>([.. _pauses.Values.OrderBy(p => p.PausedAt).ThenBy(p => p.Id, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc/>
    public Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pause);
        lock (_lock)
        {
            if (_pauses.TryGetValue(pause.Target, out var existing))
            {
                return Task.FromResult<PauseState?>(existing);
            }

            _pauses[pause.Target] = pause;
            return Task.FromResult<PauseState?>(null);
        }
    }

    /// <inheritdoc/>
    public Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_lock)
        {
            if (!_pauses.TryGetValue(target, out var pause) || (pauseId is not null && !string.Equals(pause.Id, pauseId, StringComparison.Ordinal)))
            {
                return Task.FromResult<PauseState?>(null);
            }

            _pauses.Remove(target);
            return Task.FromResult<PauseState?>(pause);
        }
    }

    /// <inheritdoc/>
    public Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pauseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(executionId);
        // Kept to the second, as occurrence claims are.
        occurrence = occurrence is { } o ? OccurrenceUnit.Truncate(o) : null;
        lock (_lock)
        {
            if (_pauses.Values.FirstOrDefault(p => string.Equals(p.Id, pauseId, StringComparison.Ordinal)) is not { } pause)
            {
                return Task.FromResult(PauseSkipTally.NotPaused);
            }

            if (occurrence is { } at && pause.LastSkippedOccurrence >= at)
            {
                return Task.FromResult(PauseSkipTally.AlreadyCounted);
            }

            var count = pause.SkippedCount + 1;
            var keep = count <= cap;
            _pauses[pause.Target] = pause with
            {
                SkippedCount = count,
                SkippedExecutionIds = keep ? [.. pause.SkippedExecutionIds, executionId] : pause.SkippedExecutionIds,
                LastSkippedOccurrence = occurrence ?? pause.LastSkippedOccurrence,
            };
            return Task.FromResult(keep ? PauseSkipTally.Recorded : PauseSkipTally.Counted);
        }
    }
}
