namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>An execution store whose calls fail on demand, like a database that drops connections.</summary>
internal sealed class FlakyExecutionStore(IExecutionStore inner) : IExecutionStore
{
    private int _failUpdates;
    private int _failReads;
    private int _failedReads;
    private int _failed;
    private int _lost;
    private int _failCreates;
    private int _failedCreates;
    private int _gets;
    private int _lists;

    public bool LoseNextCreateAcknowledgement { get; set; }

    public int FailedUpdates => Volatile.Read(ref _failed);

    public int LostAcknowledgements => Volatile.Read(ref _lost);

    public int FailedReads => Volatile.Read(ref _failedReads);

    public void FailNextUpdates(int count) => Volatile.Write(ref _failUpdates, count);

    public void FailNextReads(int count) => Volatile.Write(ref _failReads, count);

    public int FailedCreates => Volatile.Read(ref _failedCreates);

    public void FailNextCreates(int count) => Volatile.Write(ref _failCreates, count);

    public async Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failCreates) >= 0)
        {
            Interlocked.Increment(ref _failedCreates);
            throw new IOException("database unreachable");
        }

        Interlocked.Exchange(ref _failCreates, 0);
        var created = await inner.TryCreateAsync(execution, cancellationToken);
        if (LoseNextCreateAcknowledgement)
        {
            LoseNextCreateAcknowledgement = false;
            Interlocked.Increment(ref _lost);
            throw new IOException("database connection lost after the insert");
        }

        return created;
    }

    /// <summary>Gets or sets which updates fail (beyond <see cref="FailNextUpdates"/>): a store that cannot write one record.</summary>
    public Func<ScheduleExecution, bool>? FailUpdateWhen { get; set; }

    public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        if (FailUpdateWhen?.Invoke(execution) == true)
        {
            Interlocked.Increment(ref _failed);
            throw new IOException("database connection lost");
        }

        if (Interlocked.Decrement(ref _failUpdates) >= 0)
        {
            Interlocked.Increment(ref _failed);
            throw new IOException("database connection lost");
        }

        Interlocked.Exchange(ref _failUpdates, 0);
        return inner.UpdateAsync(execution, cancellationToken);
    }

    public Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default)
    {
        if (FailUpdateWhen?.Invoke(replacement) == true)
        {
            Interlocked.Increment(ref _failed);
            throw new IOException("database connection lost");
        }

        return inner.TryTakeOverAsync(replacement, expectedLeaseToken, cancellationToken);
    }

    /// <summary>Gets how many times <see cref="GetAsync"/> was called.</summary>
    public int Gets => Volatile.Read(ref _gets);

    /// <summary>Gets how many times <see cref="ListAsync"/> was called.</summary>
    public int Lists => Volatile.Read(ref _lists);

    public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(executionId, cancellationToken);
    }

    public Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default) => inner.RequestStopAsync(executionId, requestedBy, cancellationToken);

    public Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default) => inner.GetStopRequestAsync(executionId, cancellationToken);

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failReads) >= 0)
        {
            Interlocked.Increment(ref _failedReads);
            throw new IOException("database not up yet");
        }

        Interlocked.Exchange(ref _failReads, 0);
        return inner.GetRunningAsync(cancellationToken);
    }

    public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetLastOccurrenceAsync(scheduleId, cancellationToken);

    public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(scheduleId, limit, cancellationToken);
    }

    public Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
}
