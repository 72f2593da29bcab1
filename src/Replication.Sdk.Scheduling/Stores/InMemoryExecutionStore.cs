namespace Replication.Sdk.Scheduling;

/// <summary>A thread-safe in-memory <see cref="IExecutionStore"/>; one instance shared by several schedulers still claims each occurrence once.</summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ScheduleExecution> _executions = new(StringComparer.Ordinal);
    private readonly HashSet<(string ScheduleId, long UtcSecond)> _claims = [];

    /// <summary>Gets a snapshot of every execution, oldest first.</summary>
    public IReadOnlyList<ScheduleExecution> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _executions.Values.OrderBy(e => e.StartedAt).ThenBy(e => e.ScheduledFor)];
            }
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        lock (_lock)
        {
            if (_executions.ContainsKey(execution.Id))
            {
                return Task.FromResult(true);
            }

            if (execution.TriggerKind != TriggerKind.Manual
                && !_claims.Add((execution.ScheduleId, execution.ScheduledFor.ToUnixTimeSeconds())))
            {
                return Task.FromResult(false);
            }

            // Like a database column at second precision: an occurrence is one UTC second.
            _executions[execution.Id] = execution with { ScheduledFor = DateTimeOffset.FromUnixTimeSeconds(execution.ScheduledFor.ToUnixTimeSeconds()) };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        lock (_lock)
        {
            if (!_executions.ContainsKey(execution.Id))
            {
                throw new InvalidOperationException($"Execution '{execution.Id}' was never created.");
            }

            _executions[execution.Id] = execution with { ScheduledFor = DateTimeOffset.FromUnixTimeSeconds(execution.ScheduledFor.ToUnixTimeSeconds()) };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_executions.GetValueOrDefault(executionId));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ScheduleExecution>>([.. _executions.Values.Where(e => e.Status == ExecutionStatus.Running)]);
        }
    }

    /// <inheritdoc/>
    public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var last = _executions.Values.Where(e => e.ScheduleId == scheduleId && e.TriggerKind != TriggerKind.Manual)
                .Select(e => (DateTimeOffset?)e.ScheduledFor).Max();
            return Task.FromResult(last);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ScheduleExecution>>(
                [.. _executions.Values.Where(e => e.ScheduleId == scheduleId).OrderByDescending(e => e.ScheduledFor).ThenByDescending(e => e.StartedAt).Take(limit)]);
        }
    }
}
