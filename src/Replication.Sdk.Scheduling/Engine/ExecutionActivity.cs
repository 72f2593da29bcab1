namespace Replication.Sdk.Scheduling;

/// <summary>
/// Counts the executions of this process that are deciding their starts rather than waiting on the clock. A test clock
/// that jumps to its earliest pending timer whenever nothing seems to run asks it: between two waits (one VM started, the
/// next VM's spread start not armed yet) an execution holds no timer, and a jump then would carry it past starts it has
/// not planned. An execution counts from its launch until its last VM is started or given up; tracking its jobs and
/// writing its final record wait on timers of their own and are not counted. The main loop has the same hand-off
/// (<see cref="ReplicationScheduler.IsLoopBusy"/>). Nothing in production reads it; it costs a few interlocked
/// operations per wait.
/// </summary>
internal sealed class ExecutionActivity
{
    private int _working;

    /// <summary>Gets a value indicating whether any execution is working between two of its waits.</summary>
    public bool IsWorking => Volatile.Read(ref _working) > 0;

    /// <summary>Begins an execution's work, synchronously where it is launched, so the hand-off to the pool is covered too.</summary>
    public Work Begin()
    {
        Interlocked.Increment(ref _working);
        return new Work(this);
    }

    /// <summary>One execution's part of the count: working, parked on a wait, or ended.</summary>
    internal sealed class Work(ExecutionActivity owner) : IDisposable
    {
        private const int Working = 0;
        private const int Parked = 1;
        private const int Ended = 2;
        private int _state;
        private int _generation;

        /// <summary>
        /// Parks the work once its waits are armed; it is working again the moment one of <paramref name="wakers"/> completes
        /// (synchronously, inside the clock's advance or the release that completes it), or when <see cref="Wake"/> is called.
        /// A waker of an earlier wait that completes late does not count.
        /// </summary>
        public void Park(params ReadOnlySpan<Task> wakers)
        {
            var generation = Interlocked.Increment(ref _generation);
            if (Interlocked.CompareExchange(ref _state, Parked, Working) != Working)
            {
                return;
            }

            Interlocked.Decrement(ref owner._working);
            foreach (var waker in wakers)
            {
                _ = waker.ContinueWith(
                    static (_, s) =>
                    {
                        var (work, gen) = ((Work Work, int Generation))s!;
                        if (Volatile.Read(ref work._generation) == gen)
                        {
                            work.Wake();
                        }
                    },
                    (this, generation),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        /// <summary>Counts the work as working again, if it was parked.</summary>
        public void Wake()
        {
            if (Interlocked.CompareExchange(ref _state, Working, Parked) == Parked)
            {
                Interlocked.Increment(ref owner._working);
            }
        }

        /// <summary>Ends the work's part of the count, whatever its state.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _state, Ended) == Working)
            {
                Interlocked.Decrement(ref owner._working);
            }
        }
    }
}
