using System.Collections.Immutable;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The live record of one execution: outcomes in selection order, persisted one snapshot at a time. The outcomes are an
/// immutable list, so a snapshot (taken at every VM's start and end, for the store and for the observers) shares it instead
/// of copying every outcome so far: O(log n) per change rather than O(n) per snapshot, which at 10,000 VMs was O(n²).
/// </summary>
internal sealed class ExecutionState(ScheduleExecution record, IExecutionStore store) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private ImmutableList<VmOutcome> _outcomes = [];
    private readonly SemaphoreSlim _persist = new(1, 1);
    private ScheduleExecution _record = record;
    private string? _unreachable;

    public string Id => _record.Id;

    public ScheduleExecution Record => _record;

    public string? Error => _record.Error;

    public void Set(VmOutcome outcome)
    {
        lock (_lock)
        {
            if (_positions.TryGetValue(outcome.ContextId, out var at))
            {
                _outcomes = _outcomes.SetItem(at, outcome);
            }
            else
            {
                _positions[outcome.ContextId] = _outcomes.Count;
                _outcomes = _outcomes.Add(outcome);
            }
        }
    }

    /// <summary>Remembers the first appliance that could not be reached, so a failed execution names it.</summary>
    public void NoteUnreachable(ReplicationTransportException error)
    {
        lock (_lock)
        {
            _unreachable ??= $"the {error.Appliance.ToString().ToUpperInvariant()} could not be reached: {error.Message}";
        }
    }

    /// <summary>Another execution replaced this one: the record says by which, and why VMs did not start.</summary>
    public void StopRequested(string requestedBy, string reason)
    {
        lock (_lock)
        {
            _record = _record with { StopRequestedBy = requestedBy, Reason = _record.Reason is null ? reason : $"{_record.Reason}; {reason}" };
        }
    }

    public void Fail(string error)
    {
        lock (_lock)
        {
            _record = _record with { Error = error };
        }
    }

    public IReadOnlyList<VmOutcome> Open()
    {
        lock (_lock)
        {
            // A JobInProgress is final when the execution ends: the job exists and is left to the appliance.
            return [.. _outcomes.Where(o => o.Kind is VmOutcomeKind.Pending or VmOutcomeKind.Submitting)];
        }
    }

    public ScheduleExecution Snapshot()
    {
        lock (_lock)
        {
            return _record with { VmOutcomes = _outcomes };
        }
    }

    public ScheduleExecution Finish(ExecutionStatus? forced, DateTimeOffset now)
    {
        lock (_lock)
        {
            var outcomes = _outcomes;
            var status = forced
                ?? (_record.Error is not null && outcomes.All(o => !o.IsCreated) ? ExecutionStatus.Failed : ScheduleExecution.DeriveStatus(outcomes));
            var error = _record.Error ?? (status is ExecutionStatus.Failed or ExecutionStatus.CompletedWithErrors ? _unreachable ?? Summary(outcomes, status) : null);
            _record = _record with { Status = status, CompletedAt = now, VmOutcomes = outcomes, Error = error };
            return _record;
        }
    }

    public void Dispose() => _persist.Dispose();

    /// <summary>A failed execution says why in one line: how many VMs failed and the first one's reason.</summary>
    private static string? Summary(ImmutableList<VmOutcome> outcomes, ExecutionStatus status)
    {
        var failed = outcomes.Where(o => o.IsFailure || o.SkipReason == SkipReason.CheckFailed || o.Kind is VmOutcomeKind.NotStarted or VmOutcomeKind.NotStartedWindowClosed).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var first = failed[0];
        var name = string.IsNullOrWhiteSpace(first.VmName) ? $"context {first.ContextId}" : first.VmName;
        var what = status == ExecutionStatus.Failed ? "no VM completed" : "some VMs did not complete";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what}: {failed.Count} of {outcomes.Count} failed; first: {name}: {first.Reason}");
    }

    /// <summary>Writes the latest snapshot. Never cancelled: a shutdown must not lose an outcome.</summary>
    public async Task PersistAsync()
    {
        await _persist.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await store.UpdateAsync(Snapshot(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _persist.Release();
        }
    }
}
