namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IExecutionStore"/>; one instance shared by several schedulers still claims each
/// occurrence once. It keeps every running execution and the newest <see cref="HistoryLimit"/> finished ones, so a host
/// that runs for months holds a bounded history; running and last-occurrence look-ups never scan that history.
/// </summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    /// <summary>The number of finished executions kept when no limit is given.</summary>
    public const int DefaultHistoryLimit = 10_000;

    private readonly Lock _lock = new();
    private readonly InMemoryInstanceLeaseStore? _leases;
    private readonly Dictionary<string, ScheduleExecution> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduleExecution> _running = new(StringComparer.Ordinal);

    /// <summary>Finished executions in the order they finished; the oldest leave first once the limit is passed.</summary>
    private readonly Queue<string> _finished = new();

    /// <summary>Claimed occurrences, each with the execution that holds it.</summary>
    private readonly Dictionary<(string ScheduleId, long UtcSecond), string> _claims = [];

    /// <summary>Per schedule: the latest occurrence ever recorded, and the latest whose claim was trimmed with its execution.</summary>
    private readonly Dictionary<string, (long Latest, long Trimmed)> _occurrences = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InMemoryExecutionStore"/> class that keeps <see cref="DefaultHistoryLimit"/> finished executions.</summary>
    public InMemoryExecutionStore()
        : this(DefaultHistoryLimit)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryExecutionStore"/> class.</summary>
    /// <param name="historyLimit">How many finished executions to keep (at least 1); running executions are always kept.</param>
    public InMemoryExecutionStore(int historyLimit)
        : this(historyLimit, null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="InMemoryExecutionStore"/> class whose writes are checked against the
    /// leases in <paramref name="leases"/> under one lock, as a database checks them in one transaction: a record whose
    /// lease was taken over can no longer be created or written.
    /// </summary>
    /// <param name="historyLimit">How many finished executions to keep (at least 1); running executions are always kept.</param>
    /// <param name="leases">The lease store the schedulers on this store use, or <see langword="null"/> to check only record ownership.</param>
    public InMemoryExecutionStore(int historyLimit, InMemoryInstanceLeaseStore? leases)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        HistoryLimit = historyLimit;
        _leases = leases;
    }

    /// <summary>Gets how many finished executions are kept.</summary>
    public int HistoryLimit { get; }

    /// <summary>Gets a snapshot of every execution kept, oldest first.</summary>
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

            EnsureLeaseCurrent(execution);
            var second = execution.ScheduledFor.ToUnixTimeSeconds();
            if (execution.TriggerKind != TriggerKind.Manual)
            {
                // An occurrence at or before one whose claim was trimmed may have run already: refuse it rather than run it twice.
                var known = _occurrences.GetValueOrDefault(execution.ScheduleId, (Latest: long.MinValue, Trimmed: long.MinValue));
                if (second <= known.Trimmed || !_claims.TryAdd((execution.ScheduleId, second), execution.Id))
                {
                    return Task.FromResult(false);
                }

                _occurrences[execution.ScheduleId] = (Math.Max(known.Latest, second), known.Trimmed);
            }

            // A stop request is the store's to record (RequestStopAsync), never the creator's.
            Put(execution with { StopRequestedBy = null });
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        lock (_lock)
        {
            if (!_executions.TryGetValue(execution.Id, out var current))
            {
                throw new InvalidOperationException($"Execution '{execution.Id}' was never created, or left the history.");
            }

            if (!IsOwner(current, execution))
            {
                throw new LeaseLostException(execution.InstanceId, $"Execution '{execution.Id}' belongs to instance '{current.InstanceId}' now; the write of instance '{execution.InstanceId}' was refused.");
            }

            EnsureLeaseCurrent(execution);
            Replace(current, execution with { StopRequestedBy = current.StopRequestedBy });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        lock (_lock)
        {
            if (!_running.TryGetValue(executionId, out var current))
            {
                return Task.FromResult(false);
            }

            if (current.StopRequestedBy is null)
            {
                Put(current with { StopRequestedBy = requestedBy });
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_executions.GetValueOrDefault(executionId)?.StopRequestedBy);
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        lock (_lock)
        {
            if (!_executions.TryGetValue(replacement.Id, out var current))
            {
                return Task.FromResult(false);
            }

            if (current.LeaseToken is not null && string.Equals(current.LeaseToken, replacement.LeaseToken, StringComparison.Ordinal))
            {
                return Task.FromResult(true);
            }

            if (!string.Equals(current.LeaseToken, expectedLeaseToken, StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            EnsureLeaseCurrent(replacement);
            Replace(current, replacement with { StopRequestedBy = current.StopRequestedBy });

            return Task.FromResult(true);
        }
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
            return Task.FromResult<IReadOnlyList<ScheduleExecution>>([.. _running.Values]);
        }
    }

    /// <inheritdoc/>
    public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_occurrences.TryGetValue(scheduleId, out var known) ? DateTimeOffset.FromUnixTimeSeconds(known.Latest) : (DateTimeOffset?)null);
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

    /// <inheritdoc/>
    public Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (_lock)
        {
            var matching = _executions.Values.Where(query.Matches).ToList();
            matching.Sort(static (a, b) => b.StartedAt.CompareTo(a.StartedAt) is var c and not 0 ? c : string.CompareOrdinal(b.Id, a.Id));
            return Task.FromResult(new ExecutionPage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Count));
        }
    }

    /// <summary>A record with a token is its token's; one written before leases were fenced is its instance's.</summary>
    private static bool IsOwner(ScheduleExecution stored, ScheduleExecution writer) => stored.LeaseToken is null
        ? writer.LeaseToken is null || string.Equals(stored.InstanceId, writer.InstanceId, StringComparison.Ordinal)
        : string.Equals(stored.LeaseToken, writer.LeaseToken, StringComparison.Ordinal);

    private void EnsureLeaseCurrent(ScheduleExecution execution)
    {
        if (_leases is not null && execution is { LeaseToken: { } token, InstanceId: { } instance } && !_leases.IsCurrent(new InstanceLeaseToken(instance, token)))
        {
            throw new LeaseLostException(instance, $"The lease of instance '{instance}' was taken over; its write of execution '{execution.Id}' was refused.");
        }
    }

    /// <summary>Stores a copy at second precision, like a database column: an occurrence is one UTC second.</summary>
    private void Put(ScheduleExecution execution)
    {
        var stored = execution with { ScheduledFor = DateTimeOffset.FromUnixTimeSeconds(execution.ScheduledFor.ToUnixTimeSeconds()) };
        _executions[stored.Id] = stored;
        if (stored.IsFinished)
        {
            _running.Remove(stored.Id);
        }
        else
        {
            _running[stored.Id] = stored;
        }
    }

    private void Replace(ScheduleExecution current, ScheduleExecution next)
    {
        Put(next);
        if (!current.IsFinished && next.IsFinished)
        {
            _finished.Enqueue(next.Id);
            Trim();
        }
    }

    private void Trim()
    {
        while (_finished.Count > HistoryLimit)
        {
            var id = _finished.Dequeue();
            if (!_executions.Remove(id, out var gone))
            {
                continue;
            }

            var key = (gone.ScheduleId, gone.ScheduledFor.ToUnixTimeSeconds());
            if (_claims.TryGetValue(key, out var holder) && holder == id)
            {
                _claims.Remove(key);
                var known = _occurrences[gone.ScheduleId];
                _occurrences[gone.ScheduleId] = (known.Latest, Math.Max(known.Trimmed, key.Item2));
            }
        }
    }
}
