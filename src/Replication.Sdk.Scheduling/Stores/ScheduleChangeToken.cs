using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// A change token that names the schedules that changed when it fires, so the scheduler re-reads and re-plans only those
/// (one <see cref="IScheduleStore.GetScheduleAsync"/> each) instead of every schedule. A store returns it from
/// <see cref="IScheduleStore.GetChangeToken"/>; any other <see cref="IChangeToken"/> means that any schedule may have changed.
/// </summary>
/// <remarks>
/// A store hands out one token, then, on a change, hands out a new one and fires the old one with <see cref="Fire"/>. Only
/// schedule rows (and what is read with them, such as settings and blackouts) belong in the list: groups, memberships and
/// VM contexts are read when an occurrence runs and need no re-plan, so a change of only those fires with an empty list.
/// </remarks>
public sealed class ScheduleChangeToken : IChangeToken, IDisposable
{
    private readonly CancellationTokenSource _fired = new();
    private readonly CancellationChangeToken _inner;
    private IReadOnlyCollection<string>? _changed;

    /// <summary>Initializes a new instance of the <see cref="ScheduleChangeToken"/> class that has not fired.</summary>
    public ScheduleChangeToken() => _inner = new CancellationChangeToken(_fired.Token);

    /// <summary>Gets the ids of the schedules that changed (deleted ones included), or <see langword="null"/> when any schedule may have changed.</summary>
    /// <value>Set when the token fires; <see langword="null"/> before.</value>
    public IReadOnlyCollection<string>? ChangedScheduleIds => Volatile.Read(ref _changed);

    /// <inheritdoc/>
    public bool HasChanged => _fired.IsCancellationRequested;

    /// <inheritdoc/>
    public bool ActiveChangeCallbacks => true;

    /// <inheritdoc/>
    public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => _inner.RegisterChangeCallback(callback, state);

    /// <summary>Fires the token, once; the ids are set before any callback runs. Later calls do nothing.</summary>
    /// <param name="changedScheduleIds">The schedules that changed, or <see langword="null"/> when any may have.</param>
    public void Fire(IReadOnlyCollection<string>? changedScheduleIds)
    {
        if (_fired.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _changed, changedScheduleIds is null ? null : [.. changedScheduleIds]);
        _fired.Cancel();
    }

    /// <inheritdoc/>
    public void Dispose() => _fired.Dispose();
}
