using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Chaos;

/// <summary>
/// One instance's view of the shared execution store, failing like a database on a bad network: a call fails before it
/// reaches the store, or after it committed (the acknowledgement is lost); and it waits while its instance is frozen.
/// </summary>
internal sealed class ChaosExecutionStore(IExecutionStore inner, Freezer freezer, ChaosDice dice) : IExecutionStore
{
    public Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.TryCreateAsync(execution, cancellationToken), write: true);

    public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) =>
        CallAsync(async () => { await inner.UpdateAsync(execution, cancellationToken); return true; }, write: true);

    public Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.TryTakeOverAsync(replacement, expectedLeaseToken, cancellationToken), write: true);

    public Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.RequestStopAsync(executionId, requestedBy, cancellationToken), write: true);

    public Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.GetStopRequestAsync(executionId, cancellationToken), write: false);

    public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.GetAsync(executionId, cancellationToken), write: false);

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.GetRunningAsync(cancellationToken), write: false);

    public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.GetLastOccurrenceAsync(scheduleId, cancellationToken), write: false);

    public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.ListAsync(scheduleId, limit, cancellationToken), write: false);

    public Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default) =>
        CallAsync(() => inner.QueryAsync(query, cancellationToken), write: false);

    private async Task<T> CallAsync<T>(Func<Task<T>> call, bool write)
    {
        await freezer.WaitAsync();
        if (dice.StoreFailsBefore())
        {
            throw new IOException("chaos: the database connection dropped before the statement ran");
        }

        var result = await call();
        if (write && dice.StoreFailsAfter())
        {
            throw new IOException("chaos: the database connection dropped after the commit; the acknowledgement was lost");
        }

        await freezer.WaitAsync();
        return result;
    }
}
