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

    public Task RpoRecoveredAsync(RpoBreach breach, DateTimeOffset recoveredAt, CancellationToken ct) => EachAsync(o => o.OnRpoRecoveredAsync(breach, recoveredAt, ct));

    public Task RpoUnattainableAsync(RpoUnattainable unattainable, CancellationToken ct) => EachAsync(o => o.OnRpoUnattainableAsync(unattainable, ct));

    public Task AutoPausedAsync(PauseState pause, ScheduleExecution lastFailed, CancellationToken ct) => EachAsync(o => o.OnScheduleAutoPausedAsync(pause, lastFailed, ct));

    public Task ResumedAsync(ResumeReport report, CancellationToken ct) => EachAsync(o => o.OnResumedAsync(report, ct));

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
