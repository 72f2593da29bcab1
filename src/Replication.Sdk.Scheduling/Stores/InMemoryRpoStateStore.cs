namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IRpoStateStore"/>, the default. Schedulers in one process share it by registering
/// one instance (as they share an <see cref="InMemoryExecutionStore"/>); its state ends with the process.
/// </summary>
public sealed class InMemoryRpoStateStore : IRpoStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string ScheduleId, string ContextId), RpoBreach> _breaches = [];
    private readonly Dictionary<string, DateTimeOffset> _completed = new(StringComparer.Ordinal);

    /// <summary>Gets a snapshot of every recorded breach.</summary>
    public IReadOnlyList<RpoBreach> Breaches
    {
        get
        {
            lock (_lock)
            {
                return [.. _breaches.Values];
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RpoBreach>> GetBreachesAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RpoBreach>>([.. _breaches.Values.Where(b => string.Equals(b.ScheduleId, scheduleId, StringComparison.Ordinal))]);
        }
    }

    /// <inheritdoc/>
    public Task<RpoBreach?> TryRecordBreachAsync(RpoBreach breach, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breach);
        lock (_lock)
        {
            var last = Later(breach.LastCompletedJobAt, _completed.TryGetValue(breach.ContextId, out var known) ? known : null);
            if (last is { } l && breach.DetectedAt - l <= breach.RpoTarget)
            {
                return Task.FromResult<RpoBreach?>(null);
            }

            var key = (breach.ScheduleId, breach.ContextId);
            if (_breaches.TryGetValue(key, out var recorded) && !RpoTracker.IsEarlier(recorded.LastCompletedJobAt, last))
            {
                return Task.FromResult<RpoBreach?>(null);
            }

            var recordedNow = breach with { LastCompletedJobAt = last };
            _breaches[key] = recordedNow;
            return Task.FromResult<RpoBreach?>(recordedNow);
        }
    }

    /// <inheritdoc/>
    public Task RecordCompletionAsync(string contextId, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contextId);
        lock (_lock)
        {
            _completed[contextId] = Later(completedAt, _completed.TryGetValue(contextId, out var known) ? known : null)!.Value;
            foreach (var key in _breaches.Where(b => string.Equals(b.Key.ContextId, contextId, StringComparison.Ordinal) && RpoTracker.IsEarlier(b.Value.LastCompletedJobAt, completedAt)).Select(b => b.Key).ToList())
            {
                _breaches.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => RpoTracker.IsEarlier(a, b) ? b : a;
}
