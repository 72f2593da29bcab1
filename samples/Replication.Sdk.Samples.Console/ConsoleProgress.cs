using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Samples.Console;

/// <summary>Prints live progress: VMs submitted, running and done, as the scheduler reports them.</summary>
public sealed class ConsoleProgress(TextWriter output) : IExecutionObserver
{
    private readonly Lock _lock = new();
    private int _running;
    private int _done;

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

    internal static string Short(string executionId) => executionId.Length > 16 ? executionId[^12..] : executionId;
}
