using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Samples.Console;

/// <summary>Prints live progress: VMs submitted, running and done, as the scheduler reports them.</summary>
public sealed class ConsoleProgress(TextWriter output) : IExecutionObserver, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ScheduleExecution> _finished = [];
    private readonly SemaphoreSlim _signal = new(0);
    private int _running;
    private int _done;

    /// <summary>Gets every execution that finished so far.</summary>
    public IReadOnlyList<ScheduleExecution> Finished
    {
        get
        {
            lock (_lock)
            {
                return [.. _finished];
            }
        }
    }

    public ValueTask OnExecutionFinishedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _finished.Add(execution);
        }

        Write($"execution {Short(execution.Id)} of '{execution.ScheduleId}' finished {execution.Status}");
        _signal.Release();
        return default;
    }

    /// <summary>Waits for <paramref name="count"/> executions that a schedule fired by itself (not manual ones) to finish.</summary>
    public async Task<IReadOnlyList<ScheduleExecution>> WaitForScheduledAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var scheduled = Finished.Where(e => e.TriggerKind != TriggerKind.Manual).Take(count).ToList();
            if (scheduled.Count >= count)
            {
                return scheduled;
            }

            await _signal.WaitAsync(cancellationToken);
        }
    }

    public ValueTask OnExecutionStartedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
    {
        Write($"execution {Short(execution.Id)} of '{execution.ScheduleId}' started ({execution.TriggerKind}, by {execution.TriggeredBy})");
        return default;
    }

    public ValueTask OnJobStartedAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _running++;
        }

        Write($"  {outcome.VmName,-8} job {outcome.JobId} running        [running {_running}, done {_done}]");
        return default;
    }

    public ValueTask OnVmOutcomeAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (outcome.IsCreated)
            {
                _running--;
            }

            _done++;
        }

        Write($"  {outcome.VmName,-8} {outcome.Kind,-17} [running {_running}, done {_done}]");
        return default;
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
        }
    }

    public void Dispose() => _signal.Dispose();

    internal static string Short(string executionId) => executionId.Length > 16 ? executionId[^12..] : executionId;
}
