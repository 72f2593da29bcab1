using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>Delivers events to every observer; an observer's failure is logged and never reaches the execution.</summary>
internal sealed class ExecutionEvents(IEnumerable<IExecutionObserver> observers, ILogger<ExecutionEvents> logger)
{
    private readonly IExecutionObserver[] _observers = [.. observers];

    public Task StartedAsync(ScheduleExecution e, CancellationToken ct) => EachAsync(o => o.OnExecutionStartedAsync(e, ct));

    public Task JobStartedAsync(ScheduleExecution e, VmOutcome outcome, CancellationToken ct) => EachAsync(o => o.OnJobStartedAsync(e, outcome, ct));

    public Task VmOutcomeAsync(ScheduleExecution e, VmOutcome outcome, CancellationToken ct) => EachAsync(o => o.OnVmOutcomeAsync(e, outcome, ct));

    public Task FinishedAsync(ScheduleExecution e) => EachAsync(o => o.OnExecutionFinishedAsync(e, CancellationToken.None));

    public Task RpoBreachedAsync(RpoBreach breach, CancellationToken ct) => EachAsync(o => o.OnRpoBreachedAsync(breach, ct));

    private async Task EachAsync(Func<IExecutionObserver, ValueTask> call)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await call(observer).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An observer is host code: whatever it throws must not break an execution.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SchedulerLog.ObserverFailed(logger, ex, observer.GetType().Name);
            }
        }
    }
}

/// <summary>Raises an RPO breach once per (schedule, VM) until a job of that VM completes again.</summary>
internal sealed class RpoTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string ScheduleId, string ContextId)> _breached = [];
    private readonly Dictionary<string, DateTimeOffset> _completed = new(StringComparer.Ordinal);

    // Every VM the scheduler has looked at, with its newest known completion: the RPO age gauge reads it.
    private readonly Dictionary<string, (string VmName, DateTimeOffset? At)> _known = new(StringComparer.Ordinal);

    public RpoBreach? Check(ReplicationSchedule schedule, ScheduledVm vm, DateTimeOffset now)
    {
        lock (_lock)
        {
            Remember(vm);
        }

        if (schedule.RpoTarget is not { } target)
        {
            return null;
        }

        lock (_lock)
        {
            var last = _completed.TryGetValue(vm.ContextId, out var seen) && (vm.LastCompletedJobAt is null || seen > vm.LastCompletedJobAt)
                ? seen
                : vm.LastCompletedJobAt;
            if (last is { } l && now - l <= target)
            {
                _breached.Remove((schedule.Id, vm.ContextId));
                return null;
            }

            return _breached.Add((schedule.Id, vm.ContextId)) ? new RpoBreach(schedule.Id, vm.ContextId, vm.VmName, target, last, now) : null;
        }
    }

    public void Completed(string contextId, DateTimeOffset at)
    {
        lock (_lock)
        {
            _completed[contextId] = at;
            _breached.RemoveWhere(b => b.ContextId == contextId);
            if (_known.TryGetValue(contextId, out var known))
            {
                _known[contextId] = (known.VmName, at);
            }
        }
    }

    /// <summary>The newest known completed job of each VM seen, for the RPO age gauge; VMs never completed are left out.</summary>
    public IReadOnlyList<(string ContextId, string VmName, DateTimeOffset At)> LastCompleted()
    {
        lock (_lock)
        {
            return [.. _known.Where(k => k.Value.At is not null).Select(k => (k.Key, k.Value.VmName, k.Value.At!.Value))];
        }
    }

    private void Remember(ScheduledVm vm)
    {
        DateTimeOffset? at = vm.LastCompletedJobAt;
        if (_completed.TryGetValue(vm.ContextId, out var seen) && (at is null || seen > at))
        {
            at = seen;
        }

        _known[vm.ContextId] = (vm.VmName, at);
    }
}
