using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Raises an RPO breach once per (schedule, VM) until a job of that VM completes again, across instances and restarts:
/// the <see cref="IRpoStateStore"/> decides who raises, this process only adds the completions it saw itself (the
/// fastest knowledge it has, ahead of the schedule store's <see cref="ScheduledVm.LastCompletedJobAt"/>).
/// </summary>
internal sealed class RpoTracker(IRpoStateStore store, ILogger<RpoTracker> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _completed = new(StringComparer.Ordinal);

    // Breaches this process raised and no completion has ended yet: a breach recorded while the VM's job was completing
    // (after the completion read the store's breaches, before it cleared them) still gets its recovery.
    private readonly Dictionary<string, RpoBreach> _raised = new(StringComparer.Ordinal);

    // Every VM the scheduler has looked at, with its newest known completion: the RPO age gauge reads it.
    private readonly Dictionary<string, (string VmName, DateTimeOffset? At)> _known = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether <paramref name="a"/> is before <paramref name="b"/>, where never (null) is before any time.</summary>
    public static bool IsEarlier(DateTimeOffset? a, DateTimeOffset? b) => b is { } later && (a is not { } earlier || earlier < later);

    /// <summary>
    /// The breaches this call raises for the selected VMs: one read of the schedule's recorded breaches, then a write only
    /// for a VM whose state changed. A store failure is logged and never fails the execution; what was raised before it stays raised.
    /// </summary>
    public async Task<IReadOnlyList<RpoBreach>> CheckAsync(ReplicationSchedule schedule, IReadOnlyList<ScheduledVm> vms, DateTimeOffset now, CancellationToken ct)
    {
        var raised = new List<RpoBreach>();
        lock (_lock)
        {
            foreach (var vm in vms)
            {
                _known[vm.ContextId] = (vm.VmName, LastCompletedLocked(vm));
            }
        }

        if (schedule.RpoTarget is not { } target || vms.Count == 0)
        {
            return raised;
        }

        try
        {
            var recorded = (await store.GetBreachesAsync(schedule.Id, ct).ConfigureAwait(false)).ToDictionary(b => b.ContextId, StringComparer.Ordinal);
            foreach (var vm in vms)
            {
                var last = LastCompleted(vm);
                recorded.TryGetValue(vm.ContextId, out var known);
                if (last is { } l && now - l <= target)
                {
                    // Within target again through a completion the store has not heard of (the appliance's, another process's).
                    if (known is not null && IsEarlier(known.LastCompletedJobAt, l))
                    {
                        await store.RecordCompletionAsync(vm.ContextId, l, ct).ConfigureAwait(false);
                    }

                    continue;
                }

                if (known is not null && !IsEarlier(known.LastCompletedJobAt, last))
                {
                    continue; // raised already, for this completion
                }

                if (await store.TryRecordBreachAsync(new RpoBreach(schedule.Id, vm.ContextId, vm.VmName, target, last, now), ct).ConfigureAwait(false) is { } breach)
                {
                    raised.Add(breach);
                    lock (_lock)
                    {
                        _raised[vm.ContextId] = breach;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // RPO is an alarm beside the execution: a store outage must not fail the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.RpoStateFailed(logger, ex, schedule.Id);
        }

        return raised;
    }

    /// <summary>
    /// A job of the VM completed (its outcome is recorded): this process knows it at once, the store clears the VM's
    /// breaches. Returns this schedule's breach of the VM that the completion ended, if one was recorded (the caller raises
    /// the recovery: only the process that saw the job complete does, so once per breach).
    /// </summary>
    public async Task<RpoBreach?> CompletedAsync(string scheduleId, string contextId, DateTimeOffset at, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_completed.TryGetValue(contextId, out var seen) || seen < at)
            {
                _completed[contextId] = at;
                if (_known.TryGetValue(contextId, out var known))
                {
                    _known[contextId] = (known.VmName, at);
                }
            }
        }

        try
        {
            var ended = (await store.GetBreachesAsync(scheduleId, ct).ConfigureAwait(false))
                .FirstOrDefault(b => string.Equals(b.ContextId, contextId, StringComparison.Ordinal) && IsEarlier(b.LastCompletedJobAt, at));
            await store.RecordCompletionAsync(contextId, at, ct).ConfigureAwait(false);
            RpoBreach? local;
            lock (_lock)
            {
                _raised.Remove(contextId, out local);
            }

            return ended ?? (local is not null && string.Equals(local.ScheduleId, scheduleId, StringComparison.Ordinal) && IsEarlier(local.LastCompletedJobAt, at) ? local : null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown: the next check of the VM clears the breach from the recorded completion.
        }
#pragma warning disable CA1031 // As above: the completion is recorded in the outcome; the next check clears the breach.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.RpoStateFailed(logger, ex, scheduleId);
        }

        return null;
    }

    /// <summary>The newest known completed job of each VM seen, for the RPO age gauge; VMs never completed are left out.</summary>
    public IReadOnlyList<(string ContextId, string VmName, DateTimeOffset At)> LastCompleted()
    {
        lock (_lock)
        {
            return [.. _known.Where(k => k.Value.At is not null).Select(k => (k.Key, k.Value.VmName, k.Value.At!.Value))];
        }
    }

    /// <summary>The VM's newest completion: the store's, or one this process saw since, whichever is later.</summary>
    public DateTimeOffset? LastCompleted(ScheduledVm vm)
    {
        lock (_lock)
        {
            return LastCompletedLocked(vm);
        }
    }

    private DateTimeOffset? LastCompletedLocked(ScheduledVm vm) =>
        _completed.TryGetValue(vm.ContextId, out var seen) && IsEarlier(vm.LastCompletedJobAt, seen) ? seen : vm.LastCompletedJobAt;
}
