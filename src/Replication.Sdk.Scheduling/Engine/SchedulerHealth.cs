using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// What the scheduler's health check and lease gauge read: the loop's last wake-up and planned next one, the lease's last
/// renewal, and the executions this process runs with their deadlines. Written by the engine, never read by it.
/// </summary>
internal sealed class SchedulerHealth(IOptions<SchedulerOptions> options)
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, (string ScheduleId, DateTimeOffset? Deadline)> _running = new(StringComparer.Ordinal);
    private LoopState _state;
    private DateTimeOffset? _lastWake;
    private DateTimeOffset? _plannedWake;
    private string? _loopError;
    private DateTimeOffset? _leaseExpiresAt;
    private DateTimeOffset? _leaseRenewedAt;
    private string? _leaseError;

    public enum LoopState
    {
        NotStarted,
        Starting,
        Busy,
        Parked,
        Stopped,
    }

    public string InstanceId => options.Value.InstanceId;

    public void Starting(DateTimeOffset now)
    {
        lock (_lock)
        {
            _state = LoopState.Starting;
            _lastWake = now;
        }
    }

    public void Woke(DateTimeOffset now)
    {
        lock (_lock)
        {
            _state = LoopState.Busy;
            _lastWake = now;
        }
    }

    /// <summary>A pass (or the start-up) went through: an earlier failure no longer describes the loop.</summary>
    public void PassCompleted()
    {
        lock (_lock)
        {
            _loopError = null;
        }
    }

    public void Failed(Exception error)
    {
        lock (_lock)
        {
            _loopError = error.Message;
        }
    }

    public void Parked(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (_state != LoopState.Starting)
            {
                _state = LoopState.Parked;
            }

            _plannedWake = until;
        }
    }

    public void Stopped()
    {
        lock (_lock)
        {
            _state = LoopState.Stopped;
        }
    }

    public void LeaseRenewed(DateTimeOffset now, DateTimeOffset expiresAt)
    {
        lock (_lock)
        {
            _leaseRenewedAt = now;
            _leaseExpiresAt = expiresAt;
            _leaseError = null;
        }
    }

    public void LeaseFailed(Exception error)
    {
        lock (_lock)
        {
            _leaseError = error.Message;
        }
    }

    public void LeaseReleased()
    {
        lock (_lock)
        {
            _leaseExpiresAt = null;
        }
    }

    public bool LeaseHeld(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _leaseExpiresAt is { } expires && now < expires;
        }
    }

    /// <summary>Tracks a running execution until the returned handle is disposed.</summary>
    public IDisposable Track(ScheduleExecution execution, DateTimeOffset? deadline)
    {
        _running[execution.Id] = (execution.ScheduleId, deadline);
        return new Untrack(_running, execution.Id);
    }

    public Snapshot Read()
    {
        lock (_lock)
        {
            return new Snapshot(
                _state, _lastWake, _plannedWake, _loopError, _leaseRenewedAt, _leaseExpiresAt, _leaseError,
                [.. _running.Select(r => new RunningExecution(r.Key, r.Value.ScheduleId, r.Value.Deadline))]);
        }
    }

    internal sealed record Snapshot(
        LoopState State,
        DateTimeOffset? LastWake,
        DateTimeOffset? PlannedWake,
        string? LoopError,
        DateTimeOffset? LeaseRenewedAt,
        DateTimeOffset? LeaseExpiresAt,
        string? LeaseError,
        IReadOnlyList<RunningExecution> Running);

    internal sealed record RunningExecution(string Id, string ScheduleId, DateTimeOffset? Deadline);

    private sealed class Untrack(ConcurrentDictionary<string, (string, DateTimeOffset?)> running, string id) : IDisposable
    {
        public void Dispose() => running.TryRemove(id, out _);
    }
}
