using System.Collections.Concurrent;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The executions this process owns, from the moment it claims them until their final record is written, with the token
/// that stops them. Recovery never takes an execution listed here for a dead process's. Entries leave when their work
/// ends, so a host that runs for months holds only what is running now.
/// </summary>
internal sealed class LocalExecutions : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _owned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ScheduleExecution>> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    /// <summary>Executions whose end is decided but whose final record may not be durable yet (a store outage).</summary>
    private readonly ConcurrentDictionary<string, byte> _decided = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Tokens of earlier lease generations: kept, not disposed, since abandoned work may still hold them.</summary>
    private readonly List<CancellationTokenSource> _abandoned = [];
    private CancellationTokenSource _stopping = new();
    private bool _hostStopped;

    /// <summary>
    /// Gets the token every execution of this process observes; it is cancelled when the host stops, or when the lease
    /// the executions run under is lost (each lease generation has its own).
    /// </summary>
    public CancellationToken Stopping
    {
        get
        {
            lock (_lock)
            {
                return _stopping.Token;
            }
        }
    }

    /// <summary>Gets how many executions this process owns now (running, or finishing their record).</summary>
    public int Count => _owned.Count;

    /// <summary>Gets how many background tasks (re-attached job trackers) are in flight.</summary>
    public int BackgroundCount => _background.Count;

    public bool Owns(string executionId) => _owned.ContainsKey(executionId);

    /// <summary>Marks an execution as this process's before its claim is written, so a concurrent recovery cannot take it.</summary>
    public void Own(string executionId) => _owned[executionId] = 0;

    public void Disown(string executionId) => _owned.TryRemove(executionId, out _);

    /// <summary>Marks an execution as ended here, whatever its stored record still says while the final write is retried.</summary>
    public void Decided(string executionId) => _decided[executionId] = 0;

    /// <summary>Gets a value indicating whether this process has already ended the execution (its stored record may lag).</summary>
    public bool IsDecided(string executionId) => _decided.ContainsKey(executionId);

    public bool TryGetRunning(string executionId, out Task<ScheduleExecution> task) => _running.TryGetValue(executionId, out task!);

    /// <summary>Tracks an execution's run; when it ends, the execution is no longer this process's.</summary>
    public void Run(string executionId, Task<ScheduleExecution> task)
    {
        _running[executionId] = task;
        _ = task.ContinueWith(
            static (_, state) =>
            {
                var (self, id) = ((LocalExecutions Self, string Id))state!;
                self._running.TryRemove(id, out Task<ScheduleExecution>? ended);
                self._owned.TryRemove(id, out byte owned);
                self._decided.TryRemove(id, out byte decided);
            },
            (this, executionId),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Tracks work that a stop must wait for (a re-attached job tracker); it is forgotten once it ends.</summary>
    public void Background(Task work)
    {
        _background[work] = 0;
        _ = work.ContinueWith((t, state) => ((LocalExecutions)state!)._background.TryRemove(t, out _), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every execution and background task has ended, whatever their results.</summary>
    public Task WhenAllEnded() =>
        Task.WhenAll(_running.Values.Cast<Task>().Concat(_background.Keys).Select(t => t.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)));

    public Task StopAsync()
    {
        lock (_lock)
        {
            _hostStopped = true;
            return _stopping.CancelAsync();
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _hostStopped = true;
            _stopping.Cancel();
        }
    }

    /// <summary>The lease is lost: every execution stops at once (their writes are refused anyway).</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _stopping.Cancel();
        }
    }

    /// <summary>After the abandoned work ended, a new lease generation starts with a fresh token (unless the host is stopping).</summary>
    public void Resume()
    {
        lock (_lock)
        {
            if (_hostStopped || !_stopping.IsCancellationRequested)
            {
                return;
            }

            _abandoned.Add(_stopping);
            _stopping = new CancellationTokenSource();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping.Dispose();
            _abandoned.ForEach(c => c.Dispose());
        }
    }
}
