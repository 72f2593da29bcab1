namespace Replication.Sdk.Scheduling;

/// <summary>
/// What keeps readers from turning forecasts into a load on the host: identical requests in flight at the same time share
/// one computation (a forecast of 1,000 VMs over 7 days costs seconds of CPU), and at most <see cref="Concurrency"/>
/// computations run at once; the others wait their turn, each as long as its own caller's token allows. A computation
/// every one of whose callers has given up is cancelled (waiting for its turn or reading the stores; the simulation
/// itself, once started, runs to its end).
/// </summary>
/// <typeparam name="TKey">What makes two requests identical.</typeparam>
/// <typeparam name="TResult">What a computation gives.</typeparam>
internal sealed class ForecastGate<TKey, TResult> : IDisposable
    where TKey : notnull
{
    private readonly SemaphoreSlim _slots;
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Flight> _flights = [];

    public ForecastGate(int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        Concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
    }

    /// <summary>Gets how many computations run at once.</summary>
    public int Concurrency { get; }

    /// <summary>Gets how many distinct computations are in flight (running or waiting for their turn).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _flights.Count;
            }
        }
    }

    /// <summary>The result of <paramref name="compute"/> for <paramref name="key"/>, shared with every identical request in flight.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the result was there.</exception>
    public async Task<TResult> RunAsync(TKey key, Func<CancellationToken, Task<TResult>> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compute);
        cancellationToken.ThrowIfCancellationRequested();
        Flight flight;
        var started = false;
        lock (_lock)
        {
            if (!_flights.TryGetValue(key, out var existing))
            {
                existing = new Flight();
                _flights[key] = existing;
                started = true;
            }

            flight = existing;
            flight.Callers++;
        }

        if (started)
        {
            // Outside the lock: the computation may complete synchronously and take the lock to leave.
            _ = ComputeAsync(key, flight, compute);
        }

        try
        {
            return await flight.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(key, flight);
        }
    }

    private async Task ComputeAsync(TKey key, Flight flight, Func<CancellationToken, Task<TResult>> compute)
    {
        var token = flight.Cancel.Token;
        TResult result = default!;
        Exception? failure = null;
        var cancelled = false;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                result = await compute(token).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            cancelled = true;
        }
#pragma warning disable CA1031 // Not swallowed: every caller awaiting the flight receives it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        // Out of the table and its slot free before any caller sees the outcome: a caller's next request computes afresh.
        lock (_lock)
        {
            if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
            {
                _flights.Remove(key);
            }
        }

        if (cancelled)
        {
            flight.Result.TrySetCanceled(token);
        }
        else if (failure is not null)
        {
            flight.Result.TrySetException(failure);
        }
        else
        {
            flight.Result.TrySetResult(result);
        }
    }

    public void Dispose() => _slots.Dispose();

    private void Leave(TKey key, Flight flight)
    {
        var abandon = false;
        lock (_lock)
        {
            flight.Callers--;
            if (flight.Callers == 0 && !flight.Result.Task.IsCompleted)
            {
                // Nobody waits for it any more: a request arriving now starts afresh rather than join a cancelled one.
                abandon = true;
                if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
                {
                    _flights.Remove(key);
                }
            }
        }

        if (abandon)
        {
            // Outside the lock: the cancellation runs the computation's continuations, which take it. The source is
            // never disposed: without a timer or linked tokens it holds nothing, and a late Cancel must not throw.
            flight.Cancel.Cancel();
        }
    }

    private sealed class Flight
    {
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancel { get; } = new();

        public int Callers { get; set; }
    }
}
